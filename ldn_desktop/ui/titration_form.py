"""Titration: the dose steps up to a target. A form of its own, and rows the liquid and
cream forms reuse ("one dose" or "a titration")."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QWidget

from ldn_desktop.core.dose_text import count_text, dose_text, mg_text
from ldn_desktop.core.quantities import parse_mass_mg
from ldn_desktop.core.titration import (
    PhaseOrder,
    TitrationPlan,
    TitrationSchedule,
    plan_titration,
    schedule_phases,
)
from ldn_desktop.ui.calc_form import CalculatorForm, Figure
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.inputs import count_field, dose_field

# The usual LDN titration (seeds 000, 002; DOMAIN.md): 1.5 mg, +1.5 mg every 14 days to
# 4.5 mg. Only the form's starting values: the pharmacist changes them per prescription.
USUAL_START, USUAL_STEP, USUAL_EVERY, USUAL_TARGET = "1.5", "1.5", 14, "4.5"


class ScheduleRows:
    """Start, step, every N days, target: rows added to a form, read into core phases."""

    def __init__(self, form: CalculatorForm) -> None:
        self.form = form
        self.start = dose_field("Starting dose", USUAL_START)
        self.step = dose_field("Dose step", USUAL_STEP)
        self.every = count_field("Days between steps", USUAL_EVERY, minimum=1, maximum=365)
        self.every.setSuffix(" days")
        self.target = dose_field("Target dose", USUAL_TARGET)
        form.add_row("start", "S&tarting dose", self.start)
        form.add_row("step", "Ste&p", self.step)
        form.add_row("every", "&Every", self.every)
        form.add_row("target", "Target do&se", self.target, fields=("titration",))

    KEYS = ("start", "step", "every", "target")

    def schedule(self) -> TitrationSchedule:
        start = parse_mass_mg(
            self.form.require(self.start, "start", "Enter the starting dose."), "start"
        )
        target = parse_mass_mg(
            self.form.require(self.target, "target", "Enter the target dose."), "target"
        )
        step = Decimal(0) if self.step.is_empty() else parse_mass_mg(self.step.text(), "step")
        return TitrationSchedule(start, step, self.every.value(), target)

    def phases(self) -> tuple[PhaseOrder, ...]:
        return schedule_phases(self.schedule())


class DoseOrTitration:
    """ "One dose" or "A titration" for the liquid and cream forms."""

    def __init__(self, form: CalculatorForm, dose_name: str = "Dose") -> None:
        self.form = form
        self.one_dose = QRadioButton("One dose")
        self.one_dose.setAccessibleName("One dose throughout")
        self.titrated = QRadioButton("A titration")
        self.titrated.setAccessibleName("A titration")
        self.one_dose.setChecked(True)
        self._group = QButtonGroup(form)
        self._group.addButton(self.one_dose)
        self._group.addButton(self.titrated)
        choice = QWidget()
        row = QHBoxLayout(choice)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.one_dose)
        row.addWidget(self.titrated)
        row.addStretch(1)
        form.add_row("schedule", "S&chedule", choice)
        self.dose = dose_field(dose_name, "4.5")
        form.add_row("dose", "&Dose", self.dose)
        self.rows = ScheduleRows(form)
        self.titrated.toggled.connect(self._show_rows)
        self._show_rows()

    def _show_rows(self) -> None:
        titrated = self.titrated.isChecked()
        self.form.set_row_visible("dose", not titrated)
        for key in self.rows.KEYS:
            self.form.set_row_visible(key, titrated)
        self.form.recalculate()

    def read(self) -> tuple[Decimal | None, tuple[PhaseOrder, ...]]:
        """(dose, ()) or (None, phases): what the core's liquid and cream orders take."""
        if self.titrated.isChecked():
            return None, self.rows.phases()
        text = self.form.require(self.dose, "dose", "Enter the dose.")
        return parse_mass_mg(text, "dose"), ()


class TitrationForm(CalculatorForm):
    """The schedule alone: phases with day ranges and doses, and the drug over N days."""

    title = "Titration"
    can_start_batch = False

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows = ScheduleRows(self)
        self.days = count_field("Days' supply", 30, minimum=1, maximum=3650)
        self.days.setSuffix(" days")
        self.add_row("days", "Days' supp&ly", self.days)
        self.ready()

    def read_order(self) -> tuple[TitrationSchedule, int]:
        return self.rows.schedule(), self.days.value()

    def calculate(self, order: tuple[TitrationSchedule, int]) -> TitrationPlan:
        schedule, days = order
        return plan_titration(schedule, days, self.context.settings.calculation)

    def figures(self, plan: TitrationPlan) -> list[Figure]:
        return [
            Figure("Naltrexone HCl over the supply", mg_text(plan.total_mg)),
            Figure("Days' supply", count_text(plan.days, "day")),
            Figure("First dose", dose_text(plan.phases[0].dose_mg)),
            Figure("Final dose", dose_text(plan.phases[-1].dose_mg)),
        ]

    def table(self, plan: TitrationPlan) -> tuple[str, list[tuple[str, str]]]:
        rows = [
            (f"Days {p.from_day} to {p.to_day}", f"{dose_text(p.dose_mg)} daily")
            for p in plan.phases
        ]
        return "Phases", rows
