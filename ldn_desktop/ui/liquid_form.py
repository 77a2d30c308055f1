"""The oral liquid calculator: mL per dose, the supply's volume, tablets or API for the batch."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QCheckBox, QWidget

from ldn_desktop.core.bud import USP_795_BUD
from ldn_desktop.core.dose_text import (
    count_text,
    dose_text,
    format_number,
    mass_text,
    strength_text,
    volume_text,
    weighing_text,
)
from ldn_desktop.core.liquid import LiquidOrder, LiquidPlan, plan_liquid
from ldn_desktop.core.potency import ApiForm, DrugSource
from ldn_desktop.core.quantities import parse_percent, parse_strength
from ldn_desktop.ui.calc_form import CalculatorForm, Figure
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.inputs import choice_field, count_field, percent_field, strength_field
from ldn_desktop.ui.titration_form import DoseOrTitration


class LiquidForm(CalculatorForm):
    title = "Oral liquid"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.schedule = DoseOrTitration(self)
        self.strength = strength_field("Strength")
        self.days = count_field("Days' supply", 30, minimum=1, maximum=3650)
        self.days.setSuffix(" days")
        self.doses_per_day = count_field("Doses a day", 1, minimum=1, maximum=10)
        self.preserved = QCheckBox("Preserved vehicle")
        self.preserved.setAccessibleName("Preserved vehicle")
        self.source = choice_field(
            "Drug source",
            [
                ("Whole 50 mg tablets", DrugSource.TABLETS),
                ("Naltrexone HCl API powder", DrugSource.API),
            ],
        )
        self.api_form = choice_field(
            "API salt form",
            [("Naltrexone hydrochloride (HCl)", ApiForm.HCL), ("Naltrexone base", ApiForm.BASE)],
        )
        self.assay = percent_field("Assay from the certificate", "100")
        self.water = percent_field("Water content from the certificate", "0")
        self.add_row("strength", "St&rength", self.strength)
        self.add_row("days", "Days' supp&ly", self.days)
        self.add_row("doses_per_day", "D&oses a day", self.doses_per_day)
        self.add_row("preserved", "&Vehicle", self.preserved)
        self.add_row("source", "Drug so&urce", self.source)
        self.add_row("api_form", "Salt for&m", self.api_form)
        self.add_row("assay", "&Assay", self.assay)
        self.add_row("water", "&Water content", self.water)
        self.source.currentIndexChanged.connect(self._show_source_rows)
        context.settings_changed.connect(lambda _s: self._default_strength())
        self._default_strength()
        self._show_source_rows()
        self.ready()

    def _default_strength(self) -> None:
        """The pharmacy's default liquid strength, until the pharmacist types another."""
        if self.strength.is_empty() or not self.strength.number.isModified():
            mg = self.context.settings.calculation.liquid_strength.mg
            self.strength.number.setText(format_number(mg, 3).replace(",", ""))

    def _show_source_rows(self) -> None:
        api = self.source.currentData() == DrugSource.API
        for key in ("api_form", "assay", "water"):
            self.set_row_visible(key, api)
        self.recalculate()

    def read_order(self) -> LiquidOrder:
        dose, titration = self.schedule.read()
        strength = parse_strength(
            self.require(self.strength, "strength", "Enter the strength."), "strength"
        )
        source = DrugSource(self.source.currentData())
        extra = {}
        if source is DrugSource.API:
            extra = {
                "api_form": ApiForm(self.api_form.currentData()),
                "assay_percent": Decimal(100)
                if self.assay.is_empty()
                else parse_percent(self.assay.text(), "assay"),
                "water_percent": Decimal(0)
                if self.water.is_empty()
                else parse_percent(self.water.text(), "water"),
            }
        return LiquidOrder(
            strength=strength,
            days=self.days.value(),
            dose_mg=dose,
            titration=titration,
            doses_per_day=self.doses_per_day.value(),
            preserved=self.preserved.isChecked(),
            source=source,
            **extra,
        )

    def calculate(self, order: LiquidOrder) -> LiquidPlan:
        return plan_liquid(order, self.context.settings.calculation)

    def figures(self, plan: LiquidPlan) -> list[Figure]:
        last = plan.phases[-1]
        if plan.tablets is not None:
            make = Figure(
                "Make", volume_text(plan.batch_ml), f"from {count_text(plan.tablets, 'tablet')}"
            )
        else:
            api = weighing_text(plan.api_mg_to_weigh or Decimal(0), plan.balance_readability_mg)
            make = Figure("Make", volume_text(plan.batch_ml), f"from {api} of API")
        return [
            Figure("Volume per dose", volume_text(last.dose_ml), dose_text(last.phase.dose_mg)),
            Figure("Strength", strength_text(plan.order.strength.mg, "mL")),
            Figure(
                "Volume for the supply",
                volume_text(plan.total_ml),
                f"{mass_text(plan.drug_mg_total, 3)} of naltrexone HCl",
            ),
            make,
            Figure(
                "Beyond-use date (USP <795>)",
                count_text(plan.bud_days, "day"),
                USP_795_BUD[plan.preparation].description,
            ),
        ]

    def table(self, plan: LiquidPlan) -> tuple[str, list[tuple[str, str]]]:
        if len(plan.phases) < 2:
            return "", []
        rows = [
            (
                f"Days {p.phase.from_day} to {p.phase.to_day}: {dose_text(p.phase.dose_mg)}",
                volume_text(p.dose_ml),
            )
            for p in plan.phases
        ]
        return "Titration: volume per dose", rows
