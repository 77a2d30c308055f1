"""The capsule calculator: dose per capsule, quantity, size, overage, drug source, potency."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QWidget

from ldn_desktop.core.capsules import (
    CapsuleOrder,
    CapsulePlan,
    DrugSource,
    Overage,
    TabletPowder,
    plan_capsules,
)
from ldn_desktop.core.dose_text import count_text, dose_text, mass_text, weighing_text
from ldn_desktop.core.pharmacy_settings import CAPSULE_SIZES
from ldn_desktop.core.potency import ApiForm
from ldn_desktop.core.quantities import parse_mass_mg, parse_percent
from ldn_desktop.ui.calc_form import CalculatorForm, Figure
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.inputs import (
    QuantityField,
    choice_field,
    count_field,
    dose_field,
    mass_field,
    percent_field,
)


class CapsuleForm(CalculatorForm):
    title = "Capsules"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.dose = dose_field("Dose per capsule")
        self.quantity = count_field("Number of capsules ordered", 30, minimum=1)
        self.size = choice_field(
            "Capsule size", [(f"Size {s}", s) for s in CAPSULE_SIZES], current="1"
        )
        self.overage = QuantityField(
            "Overage", ("%", "capsules"), value="10", unit="%", placeholder="0"
        )
        self.source = choice_field(
            "Drug source",
            [
                ("Naltrexone HCl API powder", DrugSource.API),
                ("Crushed 50 mg tablets", DrugSource.TABLETS),
            ],
        )
        self.api_form = choice_field(
            "API salt form",
            [("Naltrexone hydrochloride (HCl)", ApiForm.HCL), ("Naltrexone base", ApiForm.BASE)],
        )
        self.assay = percent_field("Assay from the certificate", "100")
        self.water = percent_field("Water content from the certificate", "0")
        self.tablets = count_field("Tablets crushed", 0, minimum=0, maximum=1000)
        self.powder = mass_field("Weight of the tablet powder", units=("mg", "g"))
        self.fill = mass_field("Filler-only fill per capsule (optional)")
        self.fill.number.setPlaceholderText("from settings")

        self.add_row("dose", "&Dose per capsule", self.dose)
        self.add_row("quantity", "&Quantity", self.quantity)
        self.add_row("size", "Capsule &size", self.size)
        self.add_row("overage", "O&verage", self.overage)
        self.add_row("source", "Drug so&urce", self.source)
        self.add_row("api_form", "Salt for&m", self.api_form)
        self.add_row("assay", "&Assay", self.assay)
        self.add_row("water", "&Water content", self.water)
        self.add_row("tablets", "&Tablets crushed", self.tablets)
        self.add_row("tablet_powder", "Tablet &powder", self.powder)
        self.add_row("fill_mg", "Fill per &capsule", self.fill)
        self.source.currentIndexChanged.connect(self._show_source_rows)
        self._show_source_rows()
        self.ready()

    def _show_source_rows(self) -> None:
        tablets = self.source.currentData() == DrugSource.TABLETS
        for key in ("api_form", "assay", "water"):
            self.set_row_visible(key, not tablets)
        for key in ("tablets", "tablet_powder"):
            self.set_row_visible(key, tablets)
        self.recalculate()

    def read_order(self) -> CapsuleOrder:
        dose = parse_mass_mg(self.require(self.dose, "dose", "Enter the dose per capsule."))
        overage = Overage()
        if not self.overage.is_empty():
            text = self.overage.number.text().strip()
            overage = Overage.parse(text + ("%" if self.overage.unit == "%" else ""))
        fill = None if self.fill.is_empty() else parse_mass_mg(self.fill.text(), "fill_mg")
        source = DrugSource(self.source.currentData())
        order: dict[str, Any] = {
            "dose_mg": dose,
            "quantity": self.quantity.value(),
            "size": self.size.currentData(),
            "overage": overage,
            "fill_mg": fill,
            "source": source,
        }
        if source is DrugSource.TABLETS:
            if self.tablets.value() and not self.powder.is_empty():
                powder = parse_mass_mg(self.powder.text(), "tablet_powder")
                order["tablet_powder"] = TabletPowder(self.tablets.value(), powder)
        else:
            order["api_form"] = ApiForm(self.api_form.currentData())
            order["assay_percent"] = (
                Decimal(100) if self.assay.is_empty() else parse_percent(self.assay.text(), "assay")
            )
            order["water_percent"] = (
                Decimal(0) if self.water.is_empty() else parse_percent(self.water.text(), "water")
            )
        return CapsuleOrder(**order)

    def calculate(self, order: CapsuleOrder) -> CapsulePlan:
        return plan_capsules(order, self.context.settings.calculation)

    def figures(self, plan: CapsulePlan) -> list[Figure]:
        d = plan.balance_readability_mg  # weighings as the pharmacy's balance shows them
        if plan.trituration is not None:
            drug = Figure(
                "Drug into the batch",
                weighing_text(plan.trituration.use_mg, d),
                f"of {plan.trituration.stages[-1].name}",
            )
        else:
            drug = Figure(
                "Drug into the batch",
                weighing_text(plan.drug_mg_to_weigh, d),
                f"of {plan.drug_material}",
            )
        return [
            Figure("Capsules to make", count_text(plan.units_to_make, "capsule")),
            Figure("Each capsule", dose_text(plan.order.dose_mg), "naltrexone HCl"),
            Figure("Naltrexone HCl in the batch", mass_text(plan.drug_mg_total, 3)),
            drug,
            Figure(
                "Filler", weighing_text(plan.filler_mg_total, d), f"of {plan.order.filler_name}"
            ),
            Figure("Fill per capsule", mass_text(plan.fill_mg_per_unit)),
        ]

    def table(self, plan: CapsulePlan) -> tuple[str, list[tuple[str, str]]]:
        d = plan.balance_readability_mg
        rows = [(w.what, weighing_text(w.mg, d)) for w in plan.weighings]
        title = f"Every weighing (balance minimum {mass_text(plan.minimum_weight_mg)}, USP <41>)"
        return title, rows
