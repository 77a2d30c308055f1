"""Transdermal cream from a metered dispenser: mg per click, clicks per dose, volume.

Dose per click = strength (mg/mL) × click volume; a strength in mg/g is first turned into
mg/mL with the base's specific gravity (mg/mL = mg/g × SG). Topi-CLICK is designed for
0.25 mL a click, but the delivered volume varies with the base, so it is a setting.
DOMAIN.md: 3 mg/mL → 0.75 mg/click; 4.5 mg = 6 clicks = 1.5 mL; 30 days = 45 mL + priming.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ldn_desktop.core.bud import USP_795_BUD, PreparationType
from ldn_desktop.core.dose_text import (
    count_text,
    dose_text,
    format_number,
    mass_text,
    mg_text,
    strength_text,
    volume_text,
)
from ldn_desktop.core.findings import Finding, InputRefused, Severity
from ldn_desktop.core.liquid import PhaseVolume, check_doses_per_day
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS, CalculationSettings
from ldn_desktop.core.quantities import Strength, decimal_str
from ldn_desktop.core.titration import PhaseOrder, supply_schedule

# Creams and gels in the published range (0.5 mg/mL to 10 mg/g, DOMAIN.md); far above is
# a typing error.
MAX_CREAM_MG_PER_ML = Decimal(100)
# Bases are close to water: 0.8 to 1.3 g/mL covers creams, gels and ointments.
SPECIFIC_GRAVITY_RANGE = (Decimal("0.5"), Decimal(2))
# A click delivers a fraction of a mL (Topi-CLICK 0.25 mL; 0.12 to 0.14 mL seen).
CLICK_ML_RANGE = (Decimal("0.01"), Decimal(5))
MAX_PRIMING_ML = Decimal(50)


@dataclass(frozen=True)
class CreamOrder:
    """A dose (or titration) of a cream at `strength` for `days` days.

    `click_ml` and `priming_ml` default to the pharmacy's settings; `specific_gravity` is
    needed when the strength is per g.
    """

    strength: Strength
    days: int
    dose_mg: Decimal | None = None
    titration: tuple[PhaseOrder, ...] = ()
    specific_gravity: Decimal | None = None
    click_ml: Decimal | None = None
    priming_ml: Decimal | None = None
    doses_per_day: int = 1
    preparation: PreparationType = PreparationType.PRESERVED_AQUEOUS


@dataclass(frozen=True)
class CreamPlan:
    order: CreamOrder
    mg_per_ml: Decimal
    click_ml: Decimal
    mg_per_click: Decimal
    clicks_per_dose: Decimal  # of the (last) dose; a whole number unless warned
    dose_ml: Decimal
    phases: tuple[PhaseVolume, ...]
    priming_ml: Decimal
    total_ml: Decimal
    total_g: Decimal | None
    drug_mg_total: Decimal  # naltrexone HCl in the whole batch, priming included
    balance_readability_mg: Decimal  # the drug is weighed on this balance
    bud_days: int
    steps: tuple[str, ...]
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "mg_per_ml": decimal_str(self.mg_per_ml),
            "click_ml": decimal_str(self.click_ml),
            "mg_per_click": decimal_str(self.mg_per_click),
            "clicks_per_dose": decimal_str(self.clicks_per_dose),
            "dose_ml": decimal_str(self.dose_ml),
            "phases": [
                {**p.to_dict(), "clicks": decimal_str(p.phase.dose_mg / self.mg_per_click)}
                for p in self.phases
            ],
            "priming_ml": decimal_str(self.priming_ml),
            "total_ml": decimal_str(self.total_ml),
            "total_g": None if self.total_g is None else decimal_str(self.total_g),
            "drug_mg_total": decimal_str(self.drug_mg_total),
            "balance_readability_mg": decimal_str(self.balance_readability_mg),
            "bud_days": self.bud_days,
            "steps": list(self.steps),
            "findings": [f.to_dict() for f in self.findings],
        }


def _in_range(value: Decimal, low: Decimal, high: Decimal, field: str, what: str) -> None:
    if not value.is_finite() or not low <= value <= high:
        raise InputRefused(field, f"{what} of {value} is not plausible ({low} to {high})")


def _mg_per_ml(order: CreamOrder, steps: list[str]) -> Decimal:
    strength = order.strength
    if not strength.mg.is_finite() or strength.mg <= 0:
        raise InputRefused("strength", f"{strength.mg} {strength.text_unit} is not a strength")
    sg = order.specific_gravity
    if sg is not None:
        _in_range(sg, *SPECIFIC_GRAVITY_RANGE, "specific_gravity", "a specific gravity")
    if strength.per == "g":
        if sg is None:
            raise InputRefused(
                "specific_gravity", "a strength in mg/g needs the base's specific gravity"
            )
        mg_per_ml = strength.mg * sg
        steps.append(
            f"Strength: {strength_text(strength.mg, 'g')} × specific gravity "
            f"{format_number(sg, 3)} g/mL = {strength_text(mg_per_ml, 'mL')}."
        )
    else:
        mg_per_ml = strength.mg
    if mg_per_ml > MAX_CREAM_MG_PER_ML:
        raise InputRefused(
            "strength", f"{strength_text(mg_per_ml, 'mL')} is not a transdermal LDN strength"
        )
    return mg_per_ml


def plan_cream(order: CreamOrder, settings: CalculationSettings = DEFAULT_SETTINGS) -> CreamPlan:
    steps: list[str] = []
    mg_per_ml = _mg_per_ml(order, steps)
    click_ml = settings.click_ml if order.click_ml is None else order.click_ml
    _in_range(click_ml, *CLICK_ML_RANGE, "click_ml", "a click volume")
    priming = settings.cream_priming_ml if order.priming_ml is None else order.priming_ml
    _in_range(priming, Decimal(0), MAX_PRIMING_ML, "priming_ml", "a priming loss")
    check_doses_per_day(order.doses_per_day)
    schedule = supply_schedule(order.dose_mg, order.titration, order.days, settings)
    findings: list[Finding] = list(schedule.findings)

    mg_per_click = mg_per_ml * click_ml
    s_text = strength_text(mg_per_ml, "mL")
    steps.append(f"Per click: {s_text} × {volume_text(click_ml, 3)} = {mg_text(mg_per_click, 4)}.")
    phases: list[PhaseVolume] = []
    for phase in schedule.phases:
        clicks = phase.dose_mg / mg_per_click
        dose_ml = phase.dose_mg / mg_per_ml
        phases.append(PhaseVolume(phase, dose_ml))
        if clicks == clicks.to_integral_value():
            steps.append(
                f"{dose_text(phase.dose_mg)} ÷ {mg_text(mg_per_click, 4)} a click = "
                f"{count_text(clicks, 'click')} = {volume_text(dose_ml, 3)}."
            )
            continue
        whole = max(clicks.to_integral_value(rounding=ROUND_HALF_UP), Decimal(1))
        steps.append(
            f"{dose_text(phase.dose_mg)} ÷ {mg_text(mg_per_click, 4)} a click = "
            f"{format_number(clicks, 3)} clicks = {volume_text(dose_ml, 3)}."
        )
        findings.append(
            Finding(
                "clicks-not-whole",
                Severity.WARNING,
                f"{dose_text(phase.dose_mg)} is {format_number(clicks, 3)} clicks, not a "
                f"whole number: {count_text(whole, 'click')} would give "
                f"{dose_text(whole * mg_per_click)}. Choose another strength.",
                "strength",
            )
        )
    steps.extend(schedule.steps)
    drug_for_doses = schedule.total_mg * order.doses_per_day
    doses_ml = drug_for_doses / mg_per_ml
    total_ml = doses_ml + priming
    if order.doses_per_day > 1:
        steps.append(
            f"{count_text(order.doses_per_day, 'dose')} a day: "
            f"{mass_text(schedule.total_mg, 3)} × {order.doses_per_day} = "
            f"{mass_text(drug_for_doses, 3)}."
        )
    steps.append(
        f"Total: {mass_text(drug_for_doses, 3)} ÷ {s_text} = {volume_text(doses_ml)}, "
        f"+ {volume_text(priming)} priming loss = {volume_text(total_ml)}."
    )
    drug_total = total_ml * mg_per_ml
    steps.append(
        f"Drug in the batch: {volume_text(total_ml)} × {s_text} = {mass_text(drug_total, 3)}."
    )
    minimum = settings.minimum_weight_mg
    if drug_total < minimum:
        findings.append(
            Finding(
                "drug-below-minimum-weight",
                Severity.WARNING,
                f"The drug for this batch ({mass_text(drug_total, 3)}) is below the balance's "
                f"minimum weight of {mass_text(minimum)} (USP <41>): make a larger batch or "
                "triturate the drug first.",
                "days",
            )
        )
    total_g: Decimal | None = None
    if order.specific_gravity is not None:
        total_g = total_ml * order.specific_gravity
        steps.append(
            f"Batch weight: {volume_text(total_ml)} × {format_number(order.specific_gravity, 3)}"
            f" g/mL = {format_number(total_g, 2)} g."
        )
    preparation = PreparationType(order.preparation)
    bud_days = USP_795_BUD[preparation].days
    if order.days > bud_days:
        findings.append(
            Finding(
                "supply-longer-than-bud",
                Severity.WARNING,
                f"A {format_number(Decimal(order.days), 0)}-day supply is longer than the "
                f"{bud_days}-day BUD ({preparation.value}): dispense it in parts.",
                "days",
            )
        )
    return CreamPlan(
        order=order,
        mg_per_ml=mg_per_ml,
        click_ml=click_ml,
        mg_per_click=mg_per_click,
        clicks_per_dose=phases[-1].phase.dose_mg / mg_per_click,
        dose_ml=phases[-1].dose_ml,
        phases=tuple(phases),
        priming_ml=priming,
        total_ml=total_ml,
        total_g=total_g,
        drug_mg_total=drug_total,
        balance_readability_mg=settings.balance_readability_mg,
        bud_days=bud_days,
        steps=tuple(steps),
        findings=tuple(findings),
    )
