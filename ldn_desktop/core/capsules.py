"""Capsules: how many to make, how much drug and filler to weigh (DOMAIN.md, "Capsules").

Units to make = quantity + overage (a count, or a percentage rounded up: 30 at 10 % is 33).
The filler-only fill of one capsule comes from the pharmacy's packing statistic for the
size (fallback: size volume × filler bulk density); the filler is what is left of the fill
after the drug: fill − drug × (filler density ÷ drug density). The drug is naltrexone HCl
API (corrected for salt form, assay and water) or the powder of crushed 50 mg tablets.
When the drug to weigh is below the balance's minimum weight, it is triturated first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, Decimal

from ldn_desktop.core.dose_text import (
    count_text,
    dose_text,
    format_number,
    mass_text,
    weighing_text,
)
from ldn_desktop.core.findings import Finding, InputRefused, Severity
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS, CalculationSettings
from ldn_desktop.core.potency import ApiForm, DrugSource, api_to_weigh
from ldn_desktop.core.quantities import decimal_str, parse_decimal
from ldn_desktop.core.safety import check_dose
from ldn_desktop.core.titration import TitrationPlan
from ldn_desktop.core.trituration import TriturationPlan, Weighing, WeighingKind, plan_trituration

MAX_QUANTITY = 10_000  # more capsules than one batch in a pharmacy is a typing error
MAX_OVERAGE_PERCENT = Decimal(100)


@dataclass(frozen=True)
class Overage:
    """Extra units to cover loss: `amount` capsules, or `amount` % when `percent`."""

    amount: Decimal = Decimal(0)
    percent: bool = False

    @classmethod
    def parse(cls, text: str) -> Overage:
        """'3' → 3 capsules, '10%' → 10 %."""
        raw = text.strip()
        if raw.endswith("%"):
            return cls(parse_decimal(raw[:-1].strip(), "overage"), True)
        return cls(parse_decimal(raw, "overage"), False)

    def extra_units(self, quantity: int) -> int:
        if not self.amount.is_finite() or self.amount < 0:
            raise InputRefused("overage", f"an overage of {self.amount} is not possible")
        if self.percent:
            if self.amount > MAX_OVERAGE_PERCENT:
                raise InputRefused("overage", f"{self.amount} % overage is more than 100 %")
            extra = (quantity * self.amount / 100).to_integral_value(rounding=ROUND_CEILING)
            return int(extra)
        if self.amount != self.amount.to_integral_value():
            raise InputRefused("overage", f"{self.amount} is not a whole number of capsules")
        if self.amount > quantity:
            raise InputRefused("overage", "more extra capsules than the quantity ordered")
        return int(self.amount)

    def text(self) -> str:
        if self.percent:
            return f"{format_number(self.amount, 3)} %"
        return count_text(self.amount, "capsule")


@dataclass(frozen=True)
class TabletPowder:
    """Whole 50 mg tablets crushed and the total powder they gave, weighed."""

    tablets: int
    powder_mg: Decimal


@dataclass(frozen=True)
class CapsuleOrder:
    dose_mg: Decimal  # naltrexone HCl per capsule
    quantity: int
    size: str = "1"
    overage: Overage = field(default_factory=Overage)
    fill_mg: Decimal | None = None  # filler-only fill per capsule; None: from settings
    assay_percent: Decimal = Decimal(100)
    water_percent: Decimal = Decimal(0)
    api_form: ApiForm = ApiForm.HCL
    source: DrugSource = DrugSource.API
    tablet_powder: TabletPowder | None = None
    filler_name: str = "microcrystalline cellulose"


@dataclass(frozen=True)
class CapsulePlan:
    order: CapsuleOrder
    units_to_make: int
    drug_mg_total: Decimal  # naltrexone HCl in the batch
    drug_mg_to_weigh: Decimal  # API (after salt and potency) or tablet powder
    drug_material: str
    fill_mg_per_unit: Decimal
    fill_mg_total: Decimal
    filler_mg_total: Decimal  # filler to weigh into the batch (after any trituration)
    minimum_weight_mg: Decimal
    balance_readability_mg: Decimal  # the weighings are written to this balance's places
    trituration: TriturationPlan | None
    weighings: tuple[Weighing, ...]
    steps: tuple[str, ...]
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "dose_mg": decimal_str(self.order.dose_mg),
            "quantity": self.order.quantity,
            "size": self.order.size,
            "units_to_make": self.units_to_make,
            "drug_mg_total": decimal_str(self.drug_mg_total),
            "drug_mg_to_weigh": decimal_str(self.drug_mg_to_weigh),
            "drug_material": self.drug_material,
            "filler_mg_total": decimal_str(self.filler_mg_total),
            "fill_mg_per_unit": decimal_str(self.fill_mg_per_unit),
            "fill_mg_total": decimal_str(self.fill_mg_total),
            "minimum_weight_mg": decimal_str(self.minimum_weight_mg),
            "balance_readability_mg": decimal_str(self.balance_readability_mg),
            "weighings": [w.to_dict(self.balance_readability_mg) for w in self.weighings],
            "trituration": [] if self.trituration is None else self.trituration.to_dict(),
            "steps": list(self.steps),
            "findings": [f.to_dict() for f in self.findings],
        }


def _check_quantity(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise InputRefused("quantity", f"'{quantity}' is not a whole number of capsules")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InputRefused("quantity", f"{quantity} capsules is not a batch (1 to 10,000)")


def _tablet_powder_to_weigh(
    drug_mg: Decimal, powder: TabletPowder | None, settings: CalculationSettings
) -> tuple[Decimal, str]:
    """Powder to use = drug × W ÷ (T × 50 mg), with the working."""
    needed = (drug_mg / settings.tablet_mg).to_integral_value(rounding=ROUND_CEILING)
    if powder is None:
        raise InputRefused(
            "tablet_powder",
            f"crush at least {count_text(needed, 'tablet')} and give the number of tablets "
            "and the weight of their powder",
        )
    if isinstance(powder.tablets, bool) or not isinstance(powder.tablets, int):
        raise InputRefused("tablets", f"'{powder.tablets}' is not a whole number of tablets")
    if powder.tablets < needed:
        raise InputRefused(
            "tablets",
            f"{count_text(powder.tablets, 'tablet')} hold less than the "
            f"{mass_text(drug_mg, 3)} needed: crush at least {count_text(needed, 'tablet')}",
        )
    drug_in_tablets = powder.tablets * settings.tablet_mg
    if not powder.powder_mg.is_finite() or powder.powder_mg < drug_in_tablets:
        raise InputRefused(
            "tablet_powder",
            f"{mass_text(powder.powder_mg)} of powder is less than the "
            f"{mass_text(drug_in_tablets)} of drug {count_text(powder.tablets, 'tablet')} "
            "contain: weigh the whole powder",
        )
    per_mg = powder.powder_mg / drug_in_tablets
    use = drug_mg * per_mg
    step = (
        f"Crushed tablets: {mass_text(powder.powder_mg)} of powder from "
        f"{count_text(powder.tablets, 'tablet')} × {mass_text(settings.tablet_mg)} = "
        f"{format_number(per_mg, 4)} mg of powder per mg of drug; "
        f"{mass_text(drug_mg, 3)} × {format_number(per_mg, 4)} = "
        f"{weighing_text(use, settings.balance_readability_mg)} of powder."
    )
    return use, step


def plan_capsules(
    order: CapsuleOrder, settings: CalculationSettings = DEFAULT_SETTINGS
) -> CapsulePlan:
    findings: list[Finding] = list(check_dose(order.dose_mg, "dose", settings))
    _check_quantity(order.quantity)
    fill, fill_source = settings.fill_mg_per_capsule(order.size)  # also checks the size
    if order.fill_mg is not None:
        if not order.fill_mg.is_finite() or order.fill_mg <= 0:
            raise InputRefused("fill_mg", f"a capsule fill of {order.fill_mg} mg is not possible")
        fill, fill_source = order.fill_mg, "filler-only fill given"
    steps: list[str] = []

    extra = order.overage.extra_units(order.quantity)
    units = order.quantity + extra
    if order.overage.amount and order.overage.percent:
        steps.append(
            f"Units to make: {count_text(order.quantity, 'capsule')} + "
            f"{order.overage.text()} overage ({count_text(extra, 'capsule')}, rounded up) = "
            f"{count_text(units, 'capsule')}."
        )
    elif order.overage.amount:
        steps.append(
            f"Units to make: {count_text(order.quantity, 'capsule')} + "
            f"{order.overage.text()} overage = {count_text(units, 'capsule')}."
        )
    else:
        steps.append(f"Units to make: {count_text(units, 'capsule')} (no overage).")

    drug_total = order.dose_mg * units
    steps.append(
        f"Naltrexone HCl: {dose_text(order.dose_mg)} × {count_text(units, 'capsule')} = "
        f"{mass_text(drug_total, 3)}."
    )
    if DrugSource(order.source) is DrugSource.TABLETS:
        if order.assay_percent != 100 or order.water_percent != 0:
            raise InputRefused("assay", "assay and water apply to API powder, not to tablets")
        if ApiForm(order.api_form) is not ApiForm.HCL:
            raise InputRefused("api_form", "the 50 mg tablets are naltrexone HCl")
        weigh, step = _tablet_powder_to_weigh(drug_total, order.tablet_powder, settings)
        steps.append(step)
        material = "crushed tablet powder"
    else:
        api = api_to_weigh(drug_total, order.assay_percent, order.water_percent, order.api_form)
        steps.extend(api.steps)
        findings.extend(api.findings)
        weigh = api.weigh_mg
        material = f"naltrexone {'base' if order.api_form == ApiForm.BASE else 'HCl'} API"

    fill_total = fill * units
    steps.append(
        f"Fill ({fill_source}): {mass_text(fill)} × {count_text(units, 'capsule')} = "
        f"{mass_text(fill_total)}."
    )
    minimum = settings.minimum_weight_mg
    d = settings.balance_readability_mg
    ratio = settings.filler_to_drug_density_ratio
    trituration: TriturationPlan | None = None
    weighings: list[Weighing] = []
    if weigh < minimum:
        available = None
        if order.tablet_powder is not None and DrugSource(order.source) is DrugSource.TABLETS:
            available = order.tablet_powder.powder_mg
            if available < minimum:
                per_tablet = available / order.tablet_powder.tablets
                tablets = (minimum / per_tablet).to_integral_value(rounding=ROUND_CEILING)
                raise InputRefused(
                    "tablets",
                    f"{mass_text(available)} of tablet powder is below the balance's minimum "
                    f"weight of {mass_text(minimum)}: crush at least "
                    f"{count_text(tablets, 'tablet')} for the trituration",
                )
        trituration = plan_trituration(
            weigh,
            minimum,
            material,
            order.filler_name,
            available_mg=available,
            readability_mg=settings.balance_readability_mg,
        )
        steps.extend(trituration.steps)
        weighings.extend(trituration.weighings)
        # The aliquot is the drug plus the filler it was diluted in.
        displaced = weigh * ratio + (trituration.use_mg - weigh)
        in_batch = f"{weighing_text(trituration.use_mg, d)} of trituration"
    else:
        weighings.append(Weighing(material, weigh, WeighingKind.DRUG))
        displaced = weigh * ratio
        in_batch = f"{weighing_text(weigh, d)} of {material}"
    filler = fill_total - displaced
    ratio_text = "" if ratio == 1 else f" × density ratio {format_number(ratio, 4)}"
    steps.append(
        f"Filler: {mass_text(fill_total)} − {in_batch}{ratio_text} = {weighing_text(filler, d)} "
        f"of {order.filler_name}."
    )
    if filler < 0:
        findings.append(
            Finding(
                "drug-exceeds-fill",
                Severity.STOP,
                f"The drug ({mass_text(displaced)}) does not fit in "
                f"{count_text(units, 'capsule')} of size {order.size} "
                f"({mass_text(fill_total)} fill): choose a larger capsule.",
                "size",
            )
        )
    elif filler > 0:
        weighings.append(Weighing(order.filler_name, filler, WeighingKind.FILLER))
        if filler < minimum:
            findings.append(
                Finding(
                    "filler-below-minimum-weight",
                    Severity.WARNING,
                    f"{weighing_text(filler, d)} of {order.filler_name} is below the balance's "
                    f"minimum weight of {mass_text(minimum)} (USP <41>): make more capsules "
                    "or use a more sensitive balance.",
                    "quantity",
                )
            )
    return CapsulePlan(
        order=order,
        units_to_make=units,
        drug_mg_total=drug_total,
        drug_mg_to_weigh=weigh,
        drug_material=material,
        fill_mg_per_unit=fill,
        fill_mg_total=fill_total,
        filler_mg_total=filler,
        minimum_weight_mg=minimum,
        balance_readability_mg=d,
        trituration=trituration,
        weighings=tuple(weighings),
        steps=tuple(steps),
        findings=tuple(findings),
    )


def titration_capsule_orders(
    titration: TitrationPlan, template: CapsuleOrder, doses_per_day: int = 1
) -> tuple[CapsuleOrder, ...]:
    """A capsule batch for each phase of a titration: capsules hold one strength, so each
    phase's dose is its own batch of (days in the phase × doses a day) capsules."""
    if isinstance(doses_per_day, bool) or not isinstance(doses_per_day, int) or doses_per_day < 1:
        raise InputRefused("doses_per_day", f"'{doses_per_day}' is not a number of doses a day")
    return tuple(
        replace(template, dose_mg=phase.dose_mg, quantity=phase.days * doses_per_day)
        for phase in titration.phases
    )
