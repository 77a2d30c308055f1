"""The three-way check before a final label prints.

The prescribed dose, the batch's calculated dose and strength, and what the label says
must agree exactly. A wrong number on a label can hurt a patient (the 2022 Class I recall
of compounding software: labels that did not match the record, DOMAIN.md), so any
disagreement is a STOP that names the two that disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from ldn_desktop.core.dose_text import dose_text, format_number
from ldn_desktop.core.findings import Finding, InputRefused, Severity, has_stop

# What a strength can be per: one capsule, one mL of liquid or cream, one g of cream.
STRENGTH_UNITS = ("capsule", "mL", "g")


@dataclass(frozen=True)
class DoseStatement:
    """What one source (the prescription, the batch, the label) says about the dose."""

    source: str
    dose_mg: Decimal
    strength_mg: Decimal | None = None
    strength_per: str | None = None

    def strength_words(self) -> str:
        if self.strength_mg is None:
            return "no strength"
        return f"{format_number(self.strength_mg, 4)} mg/{self.strength_per}"


@dataclass(frozen=True)
class DispensingCheck:
    statements: tuple[DoseStatement, ...]
    steps: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def agrees(self) -> bool:
        return not has_stop(self.findings)

    def to_dict(self) -> dict[str, object]:
        return {
            "agrees": self.agrees,
            "steps": list(self.steps),
            "findings": [f.to_dict() for f in self.findings],
        }


def _validate(statement: DoseStatement) -> None:
    if not statement.dose_mg.is_finite() or statement.dose_mg <= 0:
        raise InputRefused(statement.source, f"the dose {statement.dose_mg} mg is not a dose")
    if (statement.strength_mg is None) != (statement.strength_per is None):
        raise InputRefused(statement.source, "a strength needs both its mg and what it is per")
    if statement.strength_mg is not None:
        if not statement.strength_mg.is_finite() or statement.strength_mg <= 0:
            raise InputRefused(statement.source, f"{statement.strength_mg} mg is not a strength")
        if statement.strength_per not in STRENGTH_UNITS:
            per = statement.strength_per
            raise InputRefused(statement.source, f"a strength is per capsule, mL or g, not {per}")


def three_way_check(
    prescribed: DoseStatement, batch: DoseStatement, label: DoseStatement
) -> DispensingCheck:
    """Every pair must state the same dose, and the same strength where both state one."""
    statements = (prescribed, batch, label)
    for statement in statements:
        _validate(statement)
    steps = [
        f"{s.source.capitalize()}: {dose_text(s.dose_mg)}, {s.strength_words()}."
        for s in statements
    ]
    findings: list[Finding] = []
    for first, second in combinations(statements, 2):
        if first.dose_mg != second.dose_mg:
            findings.append(
                Finding(
                    "dose-mismatch",
                    Severity.STOP,
                    f"The {first.source} says {dose_text(first.dose_mg)} but the "
                    f"{second.source} says {dose_text(second.dose_mg)}: do not dispense.",
                    second.source,
                )
            )
        both_state = first.strength_mg is not None and second.strength_mg is not None
        if both_state and (
            first.strength_mg != second.strength_mg or first.strength_per != second.strength_per
        ):
            findings.append(
                Finding(
                    "strength-mismatch",
                    Severity.STOP,
                    f"The {first.source} says {first.strength_words()} but the "
                    f"{second.source} says {second.strength_words()}: do not dispense.",
                    second.source,
                )
            )
    if batch.strength_mg is not None and label.strength_mg is None:
        findings.append(
            Finding(
                "label-without-strength",
                Severity.STOP,
                f"The label does not state the strength ({batch.strength_words()}).",
                label.source,
            )
        )
    if not findings:
        steps.append("All three agree.")
    return DispensingCheck(statements, tuple(steps), tuple(findings))
