"""What the `calc` and `bud` commands share: reading options, and writing a plan out.

Options are read here rather than by argparse types, so a refused value gives one line
on stderr naming the option (argparse would print its usage block as well).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ldn_desktop.core.findings import Finding, InputRefused, Severity, has_stop

#: A plan was made but carries a STOP finding: it must not be made as entered.
EXIT_STOP = 3


def option(field: str) -> str:
    """'fill_mg' → '--fill-mg'."""
    return "--" + field.replace("_", "-")


def required(value: str | None, field: str) -> str:
    if value is None:
        raise InputRefused(option(field), "is required")
    return value


def number(text: str, field: str, unit: str | None = None) -> Decimal:
    """A plain number, or the number followed by the unit the option is named after."""
    from ldn_desktop.core.quantities import parse_decimal

    raw = text.strip()
    if unit is not None and raw.lower().endswith(unit.lower()):
        raw = raw[: -len(unit)].strip()
    try:
        return parse_decimal(raw, field)
    except InputRefused as refused:
        raise InputRefused(option(field), refused.message) from None


def whole(text: str, field: str) -> int:
    value = number(text, field)
    if value != value.to_integral_value():
        raise InputRefused(option(field), f"'{text}' is not a whole number")
    return int(value)


def choice(text: str, field: str, choices: Sequence[str]) -> str:
    cleaned = text.strip().lower()
    if cleaned not in choices:
        raise InputRefused(option(field), f"'{text}' is not one of {', '.join(choices)}")
    return cleaned


def renamed(refused: InputRefused, options: Mapping[str, str]) -> InputRefused:
    """The core names its fields; the command line names its options."""
    name = options.get(refused.field, refused.field)
    return InputRefused(name, refused.message)


def findings_exit(findings: Iterable[Finding]) -> int:
    return EXIT_STOP if has_stop(findings) else 0


def print_json(data: Mapping[str, Any]) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


_MARK = {Severity.STOP: "STOP", Severity.WARNING: "WARNING", Severity.INFO: "info"}


def print_report(
    title: str,
    lines: Sequence[tuple[str, str]],
    steps: Sequence[str],
    findings: Sequence[Finding],
    extra: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (),
) -> None:
    """A plan for a person: the figures, then the working, then the findings."""
    print(title)
    print("=" * len(title))
    width = max((len(label) for label, _ in lines), default=0)
    for label, value in lines:
        print(f"{label.ljust(width)}  {value}")
    for heading, rows in extra:
        print()
        print(f"{heading}:")
        inner = max((len(label) for label, _ in rows), default=0)
        for label, value in rows:
            print(f"  {label.ljust(inner)}  {value}")
    if steps:
        print()
        print("Working:")
        for number_, step in enumerate(steps, start=1):
            print(f"  {number_}. {step}")
    print()
    if findings:
        print("Findings:")
        for finding in findings:
            print(f"  {_MARK[finding.severity]}: {finding.message}")
    else:
        print("Findings: none.")
