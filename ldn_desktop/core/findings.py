"""What a calculation has to say about its input: information, a warning, or a stop."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters.

    INFO: worth knowing. WARNING: the pharmacist must look at it before going on.
    STOP: the preparation must not be made as entered.
    """

    INFO = "info"
    WARNING = "warning"
    STOP = "stop"


@dataclass(frozen=True)
class Finding:
    """One thing a calculation found. `field` names the input it concerns, if any."""

    code: str
    severity: Severity
    message: str
    field: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "field": self.field,
        }


def has_stop(findings: Iterable[Finding]) -> bool:
    """True when any finding forbids making the preparation as entered."""
    return any(f.severity is Severity.STOP for f in findings)


class InputRefused(ValueError):
    """An input the core will not calculate with, naming the field and saying why.

    Raised for input that makes no sense at all (a bare number with no unit, a negative
    dose, NaN). The message is written for a pharmacist: one clear line.
    """

    def __init__(self, field: str, message: str) -> None:
        field, message = _one_line(field), _one_line(message)
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _one_line(text: str) -> str:
    """Typed text quoted in a message must not break it over lines: '\n' is shown escaped."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )
