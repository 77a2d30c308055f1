"""Dose checks every calculation runs before it does any arithmetic.

A dose that makes no sense (zero, negative, not a number, above the 50 mg addiction dose,
finer than a tenth of a microgram) is refused outright; a dose above the usual LDN range
is calculated but carries a warning the pharmacist must look at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ldn_desktop.core.dose_text import dose_text
from ldn_desktop.core.findings import Finding, InputRefused, Severity
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS, CalculationSettings
from ldn_desktop.core.quantities import parse_mass_mg

# The finest dose the app accepts: 0.1 mcg. ULDN goes down to micrograms (LDN Research
# Trust dosing guide); anything finer is a typing error, not a prescription.
FINEST_DOSE_MG = Decimal("0.0001")

# A titration phase at 10 × the previous one or more is a decimal-point slip, not a step
# (the usual step is 1.5 mg on 1.5 mg, or 0.5 mg on 0.5 mg: seeds 000, 002; DOMAIN.md).
TITRATION_JUMP_LIMIT = Decimal(10)


def check_dose(
    mg: Decimal, field: str = "dose", settings: CalculationSettings = DEFAULT_SETTINGS
) -> tuple[Finding, ...]:
    """Findings for one dose of naltrexone HCl in mg, or InputRefused if it is unusable."""
    if not isinstance(mg, Decimal) or not mg.is_finite():
        raise InputRefused(field, f"'{mg}' is not a dose")
    if mg <= 0:
        raise InputRefused(field, f"a dose must be more than zero, not {mg} mg")
    if mg > settings.absolute_max_dose_mg:
        raise InputRefused(
            field,
            f"{dose_text(mg)} is above {dose_text(settings.absolute_max_dose_mg)}, "
            "the addiction dose: this is not a low-dose naltrexone prescription",
        )
    if mg % FINEST_DOSE_MG != 0:
        raise InputRefused(
            field, f"{mg} mg is finer than 0.1 mcg: check the decimal point and the unit"
        )
    if mg > settings.usual_max_dose_mg:
        return (
            Finding(
                "dose-above-usual-range",
                Severity.WARNING,
                f"{dose_text(mg)} is above the usual LDN range "
                f"(up to {dose_text(settings.usual_max_dose_mg)} a day): confirm with the "
                "prescriber.",
                field,
            ),
        )
    return ()


def read_dose(
    text: str, field: str = "dose", settings: CalculationSettings = DEFAULT_SETTINGS
) -> Decimal:
    """A dose typed by a person ('4.5mg', '250 mcg'), in mg, refused if unusable."""
    mg = parse_mass_mg(text, field)
    check_dose(mg, field, settings)
    return mg


def check_phase_doses(
    doses_mg: Sequence[Decimal],
    field: str = "titration",
    settings: CalculationSettings = DEFAULT_SETTINGS,
) -> tuple[Finding, ...]:
    """Check each phase's dose, and refuse a phase at 10 × the previous one or more."""
    findings: list[Finding] = []
    previous: Decimal | None = None
    for number, dose in enumerate(doses_mg, start=1):
        for finding in check_dose(dose, field, settings):
            if finding not in findings:
                findings.append(finding)
        if previous is not None and dose >= previous * TITRATION_JUMP_LIMIT:
            raise InputRefused(
                field,
                f"phase {number} ({dose_text(dose)}) is 10 times or more the phase before "
                f"({dose_text(previous)}): check the decimal point and the unit",
            )
        previous = dose
    return tuple(findings)


# A number in a written-out titration is a dose (it needs a mass unit), or else a duration
# or a count (days, weeks, capsules, mL, clicks), which needs its word too.
_SCHEDULE_NUMBER = re.compile(
    r"(?<![\w.,])(?P<number>\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?P<unit>[^\W\d_]+)?"
)
_NOT_DOSE_WORDS = frozenset(
    {
        "day", "days", "week", "weeks", "month", "months", "night", "nights",
        "time", "times", "x", "ml", "capsule", "capsules", "tablet", "tablets",
        "click", "clicks", "pump", "pumps", "drop", "drops",
    }
)  # fmt: skip
_MASS_WORDS = frozenset({"mg", "mcg", "ug", "µg", "μg", "g"})
_NUMBERING_WORDS = ("day", "days", "week", "weeks", "month", "months", "phase", "step")


def read_titration_doses(
    text: str, field: str = "titration", settings: CalculationSettings = DEFAULT_SETTINGS
) -> tuple[Decimal, ...]:
    """The phase doses of a titration as written ('1.5 mg for 14 days, then 3 mg'), in mg.

    Every dose needs its unit (a bare '4.5' is refused, as for any dose), and the doses are
    checked like a titration's phases. Numbers that count days or units ('for 14 days',
    'days 1-7', '1 capsule') are not doses. Empty text is no titration: ().
    """
    doses: list[Decimal] = []
    for match in _SCHEDULE_NUMBER.finditer(text):
        unit = (match.group("unit") or "").lower()
        before = text[: match.start()].rstrip()
        numbering = before.lower().endswith(_NUMBERING_WORDS) or before.endswith(("-", "–"))
        if unit in _NOT_DOSE_WORDS or (not unit and numbering):
            continue
        # A word that is no mass unit ('4.5 for 14 days') means the dose has no unit.
        written = match.group(0) if unit in _MASS_WORDS else match.group("number")
        doses.append(parse_mass_mg(written, field))
    if text.strip() and not doses:
        raise InputRefused(
            field,
            "names no dose: write each phase's dose with its unit, e.g. "
            "'1.5 mg for 14 days, then 3 mg'",
        )
    check_phase_doses(doses, field, settings)
    return tuple(doses)
