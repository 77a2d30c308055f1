"""A weight the technician recorded, checked against the plan before the batch goes on.

The tolerance (default ± 5 %) is a pharmacy setting `[check]`: the pharmacy's SOP decides.
A weight outside it stops the batch until it is weighed again or the deviation recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ldn_desktop.core.dose_text import format_number, mass_text, weighing_text
from ldn_desktop.core.findings import Finding, InputRefused, Severity
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS, CalculationSettings
from ldn_desktop.core.quantities import decimal_str


@dataclass(frozen=True)
class WeighingCheck:
    what: str
    planned_mg: Decimal
    actual_mg: Decimal
    deviation_mg: Decimal  # actual − planned
    deviation_percent: Decimal
    tolerance_percent: Decimal
    findings: tuple[Finding, ...]

    @property
    def within_tolerance(self) -> bool:
        return abs(self.deviation_percent) <= self.tolerance_percent

    def to_dict(self) -> dict[str, object]:
        return {
            "what": self.what,
            "planned_mg": decimal_str(self.planned_mg),
            "actual_mg": decimal_str(self.actual_mg),
            "deviation_mg": decimal_str(self.deviation_mg),
            "deviation_percent": decimal_str(self.deviation_percent),
            "tolerance_percent": decimal_str(self.tolerance_percent),
            "within_tolerance": self.within_tolerance,
            "findings": [f.to_dict() for f in self.findings],
        }


def check_weighing(
    what: str,
    planned_mg: Decimal,
    actual_mg: Decimal,
    settings: CalculationSettings = DEFAULT_SETTINGS,
    tolerance_percent: Decimal | None = None,
) -> WeighingCheck:
    """Compare a recorded weight with the planned one (± tolerance % of the planned)."""
    tolerance = (
        settings.weighing_tolerance_percent if tolerance_percent is None else (tolerance_percent)
    )
    if not tolerance.is_finite() or tolerance < 0:
        raise InputRefused("tolerance", f"a tolerance of {tolerance} % is not possible")
    if not planned_mg.is_finite() or planned_mg <= 0:
        raise InputRefused("planned_mg", f"a planned weight of {planned_mg} mg is not possible")
    if not actual_mg.is_finite() or actual_mg <= 0:
        raise InputRefused("actual_mg", f"a recorded weight of {actual_mg} mg is not possible")
    d = settings.balance_readability_mg
    deviation = actual_mg - planned_mg
    percent = deviation / planned_mg * 100
    findings: list[Finding] = []
    if abs(percent) > tolerance:
        direction = "more" if deviation > 0 else "less"
        findings.append(
            Finding(
                "weight-out-of-tolerance",
                Severity.STOP,
                f"{what}: {weighing_text(actual_mg, d)} weighed, "
                f"{weighing_text(planned_mg, d)} planned "
                f"({format_number(abs(percent), 1)} % {direction}, tolerance ± "
                f"{format_number(tolerance, 2)} %): weigh again or record a deviation.",
                "actual_mg",
            )
        )
    minimum = settings.minimum_weight_mg
    if actual_mg < minimum:
        findings.append(
            Finding(
                "weight-below-minimum",
                Severity.WARNING,
                f"{what}: {weighing_text(actual_mg, d)} is below the balance's minimum weight of "
                f"{mass_text(minimum)} (USP <41>).",
                "actual_mg",
            )
        )
    return WeighingCheck(
        what=what,
        planned_mg=planned_mg,
        actual_mg=actual_mg,
        deviation_mg=deviation,
        deviation_percent=percent,
        tolerance_percent=tolerance,
        findings=tuple(findings),
    )
