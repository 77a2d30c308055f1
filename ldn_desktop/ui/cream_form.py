"""The transdermal cream calculator: mg per click, clicks per dose, the supply's volume."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ldn_desktop.core.bud import USP_795_BUD, PreparationType
from ldn_desktop.core.cream import CreamOrder, CreamPlan, plan_cream
from ldn_desktop.core.dose_text import (
    count_text,
    dose_text,
    format_number,
    mass_text,
    mg_text,
    strength_text,
    volume_text,
)
from ldn_desktop.core.quantities import parse_decimal, parse_strength, parse_volume_ml
from ldn_desktop.ui.calc_form import CalculatorForm, Figure
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.inputs import (
    QuantityField,
    choice_field,
    count_field,
    strength_field,
    volume_field,
)
from ldn_desktop.ui.titration_form import DoseOrTitration


class CreamForm(CalculatorForm):
    title = "Cream"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.schedule = DoseOrTitration(self)
        self.strength = strength_field("Strength", per=("mg/mL", "mg/g"))
        self.specific_gravity = QuantityField(
            "Specific gravity of the base", ("g/mL",), placeholder="needed for mg/g"
        )
        self.click = volume_field("Volume per click")
        self.click.number.setPlaceholderText("from settings")
        self.priming = volume_field("Priming loss")
        self.priming.number.setPlaceholderText("from settings")
        self.days = count_field("Days' supply", 30, minimum=1, maximum=3650)
        self.days.setSuffix(" days")
        self.doses_per_day = count_field("Doses a day", 1, minimum=1, maximum=10)
        self.base = choice_field(
            "Kind of base",
            [
                ("Aqueous cream or gel, preserved", PreparationType.PRESERVED_AQUEOUS),
                ("Anhydrous (ointment)", PreparationType.CAPSULE),
            ],
        )
        self.add_row("strength", "St&rength", self.strength)
        self.add_row("specific_gravity", "Specific gra&vity", self.specific_gravity)
        self.add_row("click_ml", "Vol&ume per click", self.click)
        self.add_row("priming_ml", "Pri&ming loss", self.priming)
        self.add_row("days", "Days' supp&ly", self.days)
        self.add_row("doses_per_day", "D&oses a day", self.doses_per_day)
        self.add_row("preparation", "Base t&ype", self.base)
        context.settings_changed.connect(lambda _s: self._default_strength())
        self._default_strength()
        self.ready()

    def _default_strength(self) -> None:
        if self.strength.is_empty() or not self.strength.number.isModified():
            default = self.context.settings.calculation.cream_strength
            self.strength.set_value(
                format_number(default.mg, 3).replace(",", ""), default.text_unit
            )

    def read_order(self) -> CreamOrder:
        dose, titration = self.schedule.read()
        strength = parse_strength(
            self.require(self.strength, "strength", "Enter the strength."), "strength"
        )
        sg = (
            None
            if self.specific_gravity.is_empty()
            else parse_decimal(self.specific_gravity.number.text(), "specific_gravity")
        )
        click = None if self.click.is_empty() else parse_volume_ml(self.click.text(), "click_ml")
        priming = (
            None if self.priming.is_empty() else parse_volume_ml(self.priming.text(), "priming_ml")
        )
        return CreamOrder(
            strength=strength,
            days=self.days.value(),
            dose_mg=dose,
            titration=titration,
            specific_gravity=sg,
            click_ml=click,
            priming_ml=priming,
            doses_per_day=self.doses_per_day.value(),
            preparation=PreparationType(self.base.currentData()),
        )

    def calculate(self, order: CreamOrder) -> CreamPlan:
        return plan_cream(order, self.context.settings.calculation)

    def figures(self, plan: CreamPlan) -> list[Figure]:
        last = plan.phases[-1]
        return [
            Figure(
                "Clicks per dose",
                count_text(plan.clicks_per_dose, "click"),
                f"{dose_text(last.phase.dose_mg)} = {volume_text(last.dose_ml, 3)}",
            ),
            Figure(
                "Per click",
                mg_text(plan.mg_per_click, 4),
                f"{volume_text(plan.click_ml, 3)} at {strength_text(plan.mg_per_ml, 'mL')}",
            ),
            Figure(
                "Volume to make",
                volume_text(plan.total_ml),
                f"with {volume_text(plan.priming_ml)} priming loss",
            ),
            Figure("Naltrexone HCl in the batch", mass_text(plan.drug_mg_total, 3)),
            Figure(
                "Beyond-use date (USP <795>)",
                count_text(plan.bud_days, "day"),
                USP_795_BUD[PreparationType(plan.order.preparation)].description,
            ),
        ]

    def table(self, plan: CreamPlan) -> tuple[str, list[tuple[str, str]]]:
        if len(plan.phases) < 2:
            return "", []
        rows = [
            (
                f"Days {p.phase.from_day} to {p.phase.to_day}: {dose_text(p.phase.dose_mg)}",
                f"{count_text(p.dose_ml / plan.click_ml, 'click')} ({volume_text(p.dose_ml, 3)})",
            )
            for p in plan.phases
        ]
        return "Titration: clicks per dose", rows
