"""From the naltrexone HCl a prescription needs to the API powder to weigh.

Doses are written as naltrexone hydrochloride (the 50 mg tablets and the USP monographs
state the HCl salt). When the API on the shelf is the base, the same number of molecules
weighs less; the certificate of analysis gives assay and water, and the weighed amount is
corrected for both (DOMAIN.md, "Capsules").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ldn_desktop.core.dose_text import format_number, mass_text
from ldn_desktop.core.findings import Finding, InputRefused, Severity

# Molecular weights (DailyMed naltrexone label; USP monograph): naltrexone HCl
# C20H23NO4·HCl 377.86, naltrexone base C20H23NO4 341.4. HCl → base factor 341.4 / 377.86.
NALTREXONE_HCL_MW = Decimal("377.86")
NALTREXONE_BASE_MW = Decimal("341.4")

# A certificate of analysis outside these limits is a typing error (assay is usually
# 98 to 102 %, water a few %); below 90 % assay is worth a second look.
MAX_ASSAY_PERCENT = Decimal(110)
LOW_ASSAY_PERCENT = Decimal(90)
MAX_WATER_PERCENT = Decimal(50)


class ApiForm(StrEnum):
    HCL = "hcl"
    BASE = "base"


class DrugSource(StrEnum):
    """Where the naltrexone comes from: API powder, or crushed/dissolved 50 mg tablets."""

    API = "api"
    TABLETS = "tablets"


@dataclass(frozen=True)
class ApiWeighing:
    """The API to weigh for `hcl_mg` of naltrexone HCl, with the working."""

    hcl_mg: Decimal
    active_mg: Decimal  # as the form on the shelf (HCl, or the base equivalent)
    weigh_mg: Decimal  # corrected for assay and water
    steps: tuple[str, ...]
    findings: tuple[Finding, ...]


def _percent(value: Decimal) -> str:
    return f"{format_number(value, 3)} %"


def api_to_weigh(
    hcl_mg: Decimal,
    assay_percent: Decimal = Decimal(100),
    water_percent: Decimal = Decimal(0),
    form: ApiForm = ApiForm.HCL,
) -> ApiWeighing:
    """weigh = need ÷ (assay × (1 − water)), after converting HCl to base if needed."""
    if not assay_percent.is_finite() or not 0 < assay_percent <= MAX_ASSAY_PERCENT:
        raise InputRefused("assay", f"an assay of {assay_percent} % is not plausible")
    if not water_percent.is_finite() or not 0 <= water_percent < MAX_WATER_PERCENT:
        raise InputRefused("water", f"a water content of {water_percent} % is not plausible")
    steps: list[str] = []
    findings: list[Finding] = []
    active = hcl_mg
    if ApiForm(form) is ApiForm.BASE:
        active = hcl_mg * NALTREXONE_BASE_MW / NALTREXONE_HCL_MW
        steps.append(
            f"The API is naltrexone base: {mass_text(hcl_mg, 3)} naltrexone HCl × "
            f"{NALTREXONE_BASE_MW} ÷ {NALTREXONE_HCL_MW} = {mass_text(active, 3)} base."
        )
    weigh = active
    if assay_percent != 100 or water_percent != 0:
        fraction = (assay_percent / 100) * (1 - water_percent / 100)
        weigh = active / fraction
        steps.append(
            f"Potency: {mass_text(active, 3)} ÷ ({_percent(assay_percent)} × "
            f"(1 − {_percent(water_percent)})) = {mass_text(active, 3)} ÷ "
            f"{format_number(fraction, 6)} = {mass_text(weigh, 3)} to weigh."
        )
    if assay_percent < LOW_ASSAY_PERCENT:
        findings.append(
            Finding(
                "low-assay",
                Severity.WARNING,
                f"Assay {_percent(assay_percent)} is unusually low: check the certificate "
                "of analysis.",
                "assay",
            )
        )
    return ApiWeighing(hcl_mg, active, weigh, tuple(steps), tuple(findings))
