"""Oral liquid: mL per dose, the volume for a days' supply, and what goes into the batch.

Dose volume = dose ÷ strength (4.5 mg = 4.5 mL at 1 mg/mL), measured with an oral syringe
to 0.01 mL. Made from whole 50 mg tablets (1 mg/mL: 2 tablets to 100 mL), so the batch
volume follows from the tablets, or from weighed API (DOMAIN.md, "Oral liquid"). Preserved
or not decides the USP <795> BUD; a supply longer than the BUD is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from ldn_desktop.core.bud import USP_795_BUD, PreparationType
from ldn_desktop.core.dose_text import (
    VOLUME_ML_PLACES,
    count_text,
    dose_text,
    format_number,
    mass_text,
    strength_text,
    volume_text,
    weighing_text,
)
from ldn_desktop.core.findings import Finding, InputRefused, Severity
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS, CalculationSettings
from ldn_desktop.core.potency import ApiForm, DrugSource, api_to_weigh
from ldn_desktop.core.quantities import Strength, decimal_str
from ldn_desktop.core.titration import Phase, PhaseOrder, supply_schedule

# Naltrexone HCl dissolves in water at about 100 mg/mL (DailyMed naltrexone label):
# a stronger solution cannot be made.
MAX_LIQUID_MG_PER_ML = Decimal(100)

# An oral syringe is read to 0.01 mL (issue 2).
SYRINGE_STEP_ML = Decimal(1).scaleb(-VOLUME_ML_PLACES)

MAX_DOSES_PER_DAY = 4

# Above a litre (one 50 mg tablet at 0.05 mg/mL), a batch is better made as a stronger
# stock and diluted: a practical limit for a pharmacy's glassware, not a clinical one.
LARGE_BATCH_ML = Decimal(1000)


@dataclass(frozen=True)
class LiquidOrder:
    """A dose (or a titration) at `strength` for `days` days.

    Give either `dose_mg` or `titration` (explicit phases); with a titration, the days'
    supply follows its phases.
    """

    strength: Strength
    days: int
    dose_mg: Decimal | None = None
    titration: tuple[PhaseOrder, ...] = ()
    doses_per_day: int = 1
    preserved: bool = False
    source: DrugSource = DrugSource.TABLETS
    assay_percent: Decimal = Decimal(100)
    water_percent: Decimal = Decimal(0)
    api_form: ApiForm = ApiForm.HCL


@dataclass(frozen=True)
class PhaseVolume:
    phase: Phase
    dose_ml: Decimal

    def to_dict(self) -> dict[str, object]:
        return {**self.phase.to_dict(), "dose_ml": decimal_str(self.dose_ml)}


def check_doses_per_day(doses_per_day: int) -> None:
    if isinstance(doses_per_day, bool) or not isinstance(doses_per_day, int):
        raise InputRefused("doses_per_day", f"'{doses_per_day}' is not a whole number")
    if not 1 <= doses_per_day <= MAX_DOSES_PER_DAY:
        raise InputRefused("doses_per_day", f"{doses_per_day} doses a day is not LDN dosing")


@dataclass(frozen=True)
class LiquidPlan:
    order: LiquidOrder
    dose_ml: Decimal  # of the (last) dose
    phases: tuple[PhaseVolume, ...]
    total_ml: Decimal
    drug_mg_total: Decimal  # naltrexone HCl the patient takes over the supply
    tablets: int | None
    batch_ml: Decimal
    batch_drug_mg: Decimal  # naltrexone HCl in the whole batch
    api_mg_to_weigh: Decimal | None
    balance_readability_mg: Decimal  # the API is weighed on this balance
    bud_days: int
    preparation: PreparationType
    steps: tuple[str, ...]
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "strength": strength_text(self.order.strength.mg, "mL"),
            "dose_ml": decimal_str(self.dose_ml),
            "phases": [p.to_dict() for p in self.phases],
            "total_ml": decimal_str(self.total_ml),
            "drug_mg_total": decimal_str(self.drug_mg_total),
            "tablets": self.tablets,
            "batch_ml": decimal_str(self.batch_ml),
            "batch_drug_mg": decimal_str(self.batch_drug_mg),
            "api_mg_to_weigh": None
            if self.api_mg_to_weigh is None
            else decimal_str(self.api_mg_to_weigh),
            "balance_readability_mg": decimal_str(self.balance_readability_mg),
            "bud_days": self.bud_days,
            "preparation": self.preparation.value,
            "steps": list(self.steps),
            "findings": [f.to_dict() for f in self.findings],
        }


def not_measurable(dose_ml: Decimal, dose_mg: Decimal, field: str) -> Finding | None:
    """A warning when a dose volume cannot be drawn up exactly on a 0.01 mL syringe."""
    if dose_ml % SYRINGE_STEP_ML == 0:
        return None
    return Finding(
        "dose-volume-not-measurable",
        Severity.WARNING,
        f"{dose_text(dose_mg)} is {volume_text(dose_ml, 4)}, which cannot be measured on "
        f"a 0.01 mL syringe (about {volume_text(dose_ml)}): choose another strength.",
        field,
    )


def plan_liquid(order: LiquidOrder, settings: CalculationSettings = DEFAULT_SETTINGS) -> LiquidPlan:
    strength = order.strength
    if strength.per != "mL":
        raise InputRefused("strength", "an oral liquid's strength is in mg/mL")
    if not strength.mg.is_finite() or strength.mg <= 0:
        raise InputRefused("strength", f"{strength.mg} mg/mL is not a strength")
    if strength.mg > MAX_LIQUID_MG_PER_ML:
        raise InputRefused(
            "strength",
            f"{strength_text(strength.mg, 'mL')} is above naltrexone HCl's solubility in "
            "water (about 100 mg/mL)",
        )
    check_doses_per_day(order.doses_per_day)
    schedule = supply_schedule(order.dose_mg, order.titration, order.days, settings)
    findings: list[Finding] = list(schedule.findings)
    steps: list[str] = []
    per_day = order.doses_per_day
    s_text = strength_text(strength.mg, "mL")

    phases: list[PhaseVolume] = []
    for phase in schedule.phases:
        ml = phase.dose_mg / strength.mg
        phases.append(PhaseVolume(phase, ml))
        steps.append(f"Dose volume: {dose_text(phase.dose_mg)} ÷ {s_text} = {volume_text(ml)}.")
        warning = not_measurable(ml, phase.dose_mg, "strength")
        if warning is not None and warning not in findings:
            findings.append(warning)
        if ml < settings.min_measurable_dose_ml:
            findings.append(
                Finding(
                    "dose-volume-too-small",
                    Severity.WARNING,
                    f"{dose_text(phase.dose_mg)} is only {volume_text(ml, 4)}: below "
                    f"{volume_text(settings.min_measurable_dose_ml)} a syringe is hard to read "
                    "accurately; use a weaker strength.",
                    "strength",
                )
            )
    steps.extend(schedule.steps)
    drug_total = schedule.total_mg * per_day
    if per_day > 1:
        steps.append(
            f"{count_text(per_day, 'dose')} a day: {mass_text(schedule.total_mg, 3)} × "
            f"{per_day} = {mass_text(drug_total, 3)}."
        )
    total_ml = drug_total / strength.mg
    steps.append(f"Total: {mass_text(drug_total, 3)} ÷ {s_text} = {volume_text(total_ml)}.")

    tablets: int | None = None
    api_weigh: Decimal | None = None
    if DrugSource(order.source) is DrugSource.TABLETS:
        if order.assay_percent != 100 or order.water_percent != 0:
            raise InputRefused("assay", "assay and water apply to API powder, not to tablets")
        if ApiForm(order.api_form) is not ApiForm.HCL:
            raise InputRefused("api_form", "the 50 mg tablets are naltrexone HCl")
        count = (drug_total / settings.tablet_mg).to_integral_value(rounding=ROUND_CEILING)
        tablets = int(count)
        batch_drug = count * settings.tablet_mg
        batch_ml = batch_drug / strength.mg
        steps.append(
            f"Whole tablets: {mass_text(drug_total, 3)} ÷ {mass_text(settings.tablet_mg)} "
            f"rounded up = {count_text(tablets, 'tablet')} ({mass_text(batch_drug)}); "
            f"{mass_text(batch_drug)} ÷ {s_text} = {volume_text(batch_ml)} batch."
        )
    else:
        batch_drug = drug_total
        batch_ml = total_ml
        api = api_to_weigh(batch_drug, order.assay_percent, order.water_percent, order.api_form)
        api_weigh = api.weigh_mg
        minimum = settings.minimum_weight_mg
        if api_weigh < minimum:
            # The smallest whole-mL batch whose API can be weighed.
            batch_ml = (total_ml * minimum / api_weigh).to_integral_value(rounding=ROUND_CEILING)
            batch_drug = batch_ml * strength.mg
            findings.append(
                Finding(
                    "batch-enlarged-to-weigh",
                    Severity.INFO,
                    f"The API for {volume_text(total_ml)} is below the balance's minimum "
                    f"weight of {mass_text(minimum)} (USP <41>): make {volume_text(batch_ml)} "
                    "and dispense what is needed.",
                    "days",
                )
            )
            api = api_to_weigh(batch_drug, order.assay_percent, order.water_percent, order.api_form)
            api_weigh = api.weigh_mg
        steps.append(f"Batch: {volume_text(batch_ml)} at {s_text} = {mass_text(batch_drug, 3)}.")
        steps.extend(api.steps)
        findings.extend(api.findings)
        d = settings.balance_readability_mg
        steps.append(f"Weigh {weighing_text(api_weigh, d)} of API.")
    if batch_ml > LARGE_BATCH_ML:
        findings.append(
            Finding(
                "batch-volume-large",
                Severity.WARNING,
                f"The batch would be {volume_text(batch_ml)} at {s_text}: make a stronger "
                "stock solution and dilute it instead.",
                "strength",
            )
        )

    preparation = (
        PreparationType.PRESERVED_AQUEOUS
        if order.preserved
        else PreparationType.UNPRESERVED_AQUEOUS
    )
    bud_days = USP_795_BUD[preparation].days
    steps.append(
        f"{'Preserved' if order.preserved else 'Unpreserved'} aqueous liquid: USP <795> BUD "
        f"{count_text(bud_days, 'day')}."
    )
    if order.days > bud_days:
        findings.append(
            Finding(
                "supply-longer-than-bud",
                Severity.WARNING,
                f"A {format_number(Decimal(order.days), 0)}-day supply is longer than the "
                f"{bud_days}-day BUD: dispense it in parts"
                + ("" if order.preserved else " or use a preserved vehicle")
                + ".",
                "days",
            )
        )
    return LiquidPlan(
        order=order,
        dose_ml=phases[-1].dose_ml,
        phases=tuple(phases),
        total_ml=total_ml,
        drug_mg_total=drug_total,
        tablets=tablets,
        batch_ml=batch_ml,
        batch_drug_mg=batch_drug,
        api_mg_to_weigh=api_weigh,
        balance_readability_mg=settings.balance_readability_mg,
        bud_days=bud_days,
        preparation=preparation,
        steps=tuple(steps),
        findings=tuple(findings),
    )
