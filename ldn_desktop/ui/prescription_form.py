"""Receiving a prescription: the patient, the Rx, the dose or titration, the directions.

The dose is typed as written, with its unit chosen beside it; the unit starts empty, so a
dose copied without its unit ("4.5") reaches the store as written and is refused there, by
the core, beside the field. A titration is start, step, every N days and target (laid out
by the core) or phases written out ("1.5 mg for 14 days, then 3 mg"), read by the core.
Directions typed here are the prescriber's, printed verbatim. Left empty, nothing is
saved: the label and leaflet write them when they print (`core/directions.py`), for a
titration the phase current on the date filled, so a refill on day 30 does not repeat
"Days 1 to 14". The form shows what the first fill's label will say as you type.
The dose is never copied from a calculation: it is what the three-way check compares the
batch against.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.core.directions import (
    DosageForm,
    DoseMeasure,
    DosePhase,
    directions,
    dose_measure,
    titration_directions,
)
from ldn_desktop.core.dose_text import count_text, short_dose_text, volume_text
from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.quantities import decimal_str, parse_mass_mg, parse_strength
from ldn_desktop.core.safety import read_dose, read_titration_doses
from ldn_desktop.core.titration import (
    MAX_DAYS,
    PhaseOrder,
    TitrationSchedule,
    plan_phases,
    schedule_phases,
)
from ldn_desktop.store.errors import InvalidField, StoreError
from ldn_desktop.store.records import Patient, Prescription
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.inputs import QuantityField, choice_field, count_field, strength_field
from ldn_desktop.ui.keyboard import DateEdit
from ldn_desktop.ui.patient_form import PatientDialog
from ldn_desktop.ui.record_form import CheckedForm

FORMS = [("Capsules", DosageForm.CAPSULE.value), ("Oral liquid", DosageForm.ORAL_LIQUID.value)]
FORMS.append(("Transdermal cream", DosageForm.CREAM.value))
ONE_DOSE, STEPPED, WRITTEN = "one", "stepped", "written"
SCHEDULES = [
    ("One dose throughout", ONE_DOSE),
    ("Titration: start, step, target", STEPPED),
    ("Titration: phases written out", WRITTEN),
]


def prescribed_dose_field(name: str) -> QuantityField:
    """The Calculate page's dose field, but with no unit until mg or mcg is chosen."""
    field = QuantityField(name, ("mg", "mcg"), placeholder="e.g. 4.5")
    if field.unit_box is not None:
        field.unit_box.setPlaceholderText("unit")
        field.unit_box.setCurrentIndex(-1)
        field.unit_box.setToolTip("mg or mcg, as written on the prescription")
    return field


def written(field: QuantityField) -> str:
    """'4.5 mg' as the pharmacist entered it; '4.5' if no unit was chosen."""
    return f"{field.number.text().strip()} {field.unit}".strip()


def schedule_text(orders: tuple[PhaseOrder, ...]) -> str:
    """The core's phases written out as the store keeps a titration, read back by the core:
    '1.5 mg for 14 days, then 3 mg for 14 days, then 4.5 mg'."""
    parts = [
        short_dose_text(o.dose_mg) + (f" for {count_text(o.days, 'day')}" if o.days else "")
        for o in orders
    ]
    return ", then ".join(parts)


class Missing(Exception):
    """A required field is empty: the form says what to enter, beside it."""

    def __init__(self, field: str, prompt: str) -> None:
        super().__init__(prompt)
        self.field = field
        self.prompt = prompt


class PrescriptionDialog(QDialog):
    """A new prescription for `patient` (or one chosen here, or added here)."""

    def __init__(
        self,
        context: Any,
        patient: Patient | None = None,
        *,
        dosage_form: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.saved: Prescription | None = None
        self.patients: tuple[Patient, ...] = (patient,) if patient else ()
        self.setWindowTitle("New prescription")
        self.resize(620, 620)
        self.form = CheckedForm()

        self.patient_search = QLineEdit()
        self.patient_search.setAccessibleName("Find the patient by name")
        self.patient_search.setPlaceholderText("Type the patient's name")
        self.patient_choice = QComboBox()
        self.patient_choice.setAccessibleName("Patient")
        self.add_patient_button = QPushButton("Add ne&w patient…")
        self.add_patient_button.setAccessibleName("Add a new patient")
        patient_row = QWidget()
        row = QVBoxLayout(patient_row)
        row.setContentsMargins(0, 0, 0, 0)
        if patient is None:
            row.addWidget(self.patient_search)
            line = QHBoxLayout()
            line.addWidget(self.patient_choice, 1)
            line.addWidget(self.add_patient_button)
            row.addLayout(line)
            patient_row.setFocusProxy(self.patient_search)
            self.patient_search.textChanged.connect(self._find_patients)
            self.add_patient_button.clicked.connect(self.add_patient)
        else:
            fixed = QLabel(f"<b>{_escape(patient.name)}</b>")
            fixed.setAccessibleName("Patient")
            row.addWidget(fixed)
            self.patient_choice.addItem(patient.name, patient.id)
        self.form.add_row("patient_id", "&Patient:", patient_row)

        self.rx_number = QLineEdit()
        self.rx_number.setAccessibleName("Rx number")
        self.prescriber = QLineEdit()
        self.prescriber.setAccessibleName("Prescriber")
        self.prescriber.setPlaceholderText("e.g. Dr. Helen Park")
        self.written_on = DateEdit(QDate.currentDate())  # one Tab stop, not three
        self.written_on.setMaximumDate(QDate.currentDate())
        self.written_on.setCalendarPopup(True)
        self.written_on.setDisplayFormat("yyyy-MM-dd")
        self.written_on.setAccessibleName("Date written")
        self.dosage_form = choice_field("Dosage form", FORMS, dosage_form)
        self.schedule = choice_field("Schedule", SCHEDULES)
        self.dose = prescribed_dose_field("Dose")
        self.start = prescribed_dose_field("Starting dose")
        self.step = prescribed_dose_field("Dose step")
        self.every = count_field("Days between steps", 0, minimum=0, maximum=365)
        self.every.setSpecialValueText("—")
        self.every.setSuffix(" days")
        self.target = prescribed_dose_field("Target dose")
        self.phases = QLineEdit()
        self.phases.setAccessibleName("Phases written out, each dose with its unit")
        self.phases.setPlaceholderText("e.g. 0.5 mg for 7 days, then 1 mg for 7 days, then 1.5 mg")
        self.strength = strength_field("Strength the directions are written for")
        self.strength.setToolTip("The pharmacy's default strength; change it to the one you make")
        self.directions = QLineEdit()
        self.directions.setAccessibleName("Directions (empty: the generated directions)")
        self.directions.setPlaceholderText("Empty: written when the label prints, as shown below")
        self.generated = QLabel()
        self.generated.setWordWrap(True)
        self.generated.setObjectName("muted")
        self.generated.setAccessibleName("Generated directions")
        self.generated.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        directions_box = QWidget()
        box = QVBoxLayout(directions_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.directions)
        box.addWidget(self.generated)
        directions_box.setFocusProxy(self.directions)
        self.quantity = count_field("Quantity", 0, minimum=0, maximum=100_000)
        self.quantity.setSpecialValueText("not stated")
        self.days_supply = count_field("Days' supply", 0, minimum=0, maximum=3650)
        self.days_supply.setSpecialValueText("not stated")
        self.days_supply.setSuffix(" days")

        f = self.form
        f.add_row("rx_number", "R&x number:", self.rx_number)
        f.add_row("prescriber", "Prescri&ber:", self.prescriber)
        f.add_row("written_on", "Writte&n on:", self.written_on)
        f.add_row("form", "Dosage for&m:", self.dosage_form)
        f.add_row("schedule", "Sched&ule:", self.schedule)
        f.add_row("dose", "&Dose:", self.dose)
        f.add_row("start", "S&tarting dose:", self.start)
        f.add_row("step", "Step si&ze:", self.step)
        f.add_row("every", "&Every:", self.every)
        f.add_row("target", "T&arget dose:", self.target)
        f.add_row("phases", "&Doses and days:", self.phases)
        f.add_row("strength", "St&rength:", self.strength, fields=("click_volume",))
        f.add_row("directions", "Dire&ctions:", directions_box)
        f.add_row("quantity", "&Quantity:", self.quantity)
        f.add_row("days_supply", "Da&ys' supply:", self.days_supply)

        inputs = QWidget()
        inputs_layout = QVBoxLayout(inputs)
        inputs_layout.addLayout(self.form)
        inputs_layout.addWidget(self.form.general)
        inputs_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inputs)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Sa&ve prescription")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Cance&l")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)

        for quantity in (self.dose, self.start, self.step, self.target, self.strength):
            quantity.changed.connect(self.update_generated)
        self.phases.textChanged.connect(self.update_generated)
        self.every.valueChanged.connect(self.update_generated)
        self.directions.textChanged.connect(self.update_generated)
        self.dosage_form.currentIndexChanged.connect(self._form_changed)
        self.schedule.currentIndexChanged.connect(self._schedule_changed)
        self._form_changed()
        self._schedule_changed()
        if patient is None:
            self._find_patients("")
            self.patient_search.setFocus()
        else:
            self.rx_number.setFocus()

    # -- the patient -----------------------------------------------------------------------
    def _find_patients(self, text: str) -> None:
        self.patients = self.context.store.find_patients(text, limit=50)
        self.patient_choice.clear()
        for patient in self.patients:
            born = patient.date_of_birth.isoformat() if patient.date_of_birth else "no DOB"
            self.patient_choice.addItem(f"{patient.name} (born {born})", patient.id)

    def add_patient(self) -> None:
        dialog = PatientDialog(self.context, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.patient_search.setText(dialog.saved.name)
            index = self.patient_choice.findData(dialog.saved.id)
            self.patient_choice.setCurrentIndex(max(index, 0))

    # -- rows that depend on the form and the schedule -------------------------------------
    @property
    def form_value(self) -> DosageForm:
        return DosageForm(self.dosage_form.currentData())

    @property
    def schedule_value(self) -> str:
        return str(self.schedule.currentData())

    def _form_changed(self) -> None:
        form = self.form_value
        settings = self.context.settings.calculation
        self.form.set_row_visible("strength", form is not DosageForm.CAPSULE)
        default = settings.liquid_strength if form is DosageForm.ORAL_LIQUID else None
        default = settings.cream_strength if form is DosageForm.CREAM else default
        if default is not None:
            self.strength.set_value(decimal_str(default.mg))
        self.quantity.setSuffix(" capsules" if form is DosageForm.CAPSULE else " mL")
        self.update_generated()

    def _schedule_changed(self) -> None:
        mode = self.schedule_value
        self.form.set_row_visible("dose", mode == ONE_DOSE)
        for key in ("start", "step", "every", "target"):
            self.form.set_row_visible(key, mode == STEPPED)
        self.form.set_row_visible("phases", mode == WRITTEN)
        self.form.map_field("titration", "phases" if mode == WRITTEN else "target")
        self.update_generated()

    # -- reading the fields through the core -----------------------------------------------
    def _doses(self) -> tuple[str, str, tuple[PhaseOrder, ...]]:
        """(dose as written, titration as written, the core's phases or ())."""
        settings = self.context.settings.calculation
        mode = self.schedule_value
        if mode == ONE_DOSE:
            if self.dose.is_empty():
                raise Missing("dose", "enter the prescribed dose")
            return written(self.dose), "", ()
        if mode == WRITTEN:
            text = self.phases.text()
            if not text.strip():
                raise Missing("phases", "write each phase's dose and days")
            doses = read_titration_doses(text, "titration", settings)
            return short_dose_text(doses[-1]), text, ()
        for field, key, what in (
            (self.start, "start", "starting"),
            (self.target, "target", "target"),
        ):
            if field.is_empty():
                raise Missing(key, f"enter the {what} dose")
        if self.every.value() == 0:
            raise Missing("every", "enter the days between steps")
        step = Decimal(0) if self.step.is_empty() else parse_mass_mg(written(self.step), "step")
        schedule = TitrationSchedule(
            parse_mass_mg(written(self.start), "start"),
            step,
            self.every.value(),
            parse_mass_mg(written(self.target), "target"),
        )
        orders = schedule_phases(schedule, settings)
        return short_dose_text(orders[-1].dose_mg), schedule_text(orders), orders

    def _measure(self, dose_mg: Decimal) -> DoseMeasure:
        form = self.form_value
        strength = None
        if form is not DosageForm.CAPSULE:
            if self.strength.is_empty():
                raise Missing("strength", "enter the strength the directions are written for")
            strength = parse_strength(self.strength.text(), "strength")
        return dose_measure(
            form,
            dose_mg,
            strength=strength,
            click_volume_ml=self.context.settings.calculation.click_ml,
        )

    def _generate(self, dose: str, orders: tuple[PhaseOrder, ...]) -> str | None:
        """The directions the first fill's label will print (a titration: its first phase).

        None for phases written out: the label writes them from the batch's schedule.
        Refuses (beside the field) a dose the patient could not measure.
        """
        settings = self.context.settings.calculation
        if self.schedule_value == WRITTEN:
            return None
        if orders:
            laid = plan_phases(orders, MAX_DAYS, settings).phases
            phases = [DosePhase(p.from_day, p.to_day, p.dose_mg) for p in laid]
            return titration_directions(phases, 1, self._measure)
        return directions(self._measure(read_dose(dose, "dose", settings)))

    def update_generated(self) -> None:
        """Show the core's directions as the fields change (or what they still need)."""
        try:
            dose, _titration, orders = self._doses()
            text = self._generate(dose, orders)
        except Missing as missing:
            message = missing.prompt
        except InputRefused as refused:
            message = refused.message
        else:
            typed = bool(self.directions.text().strip())
            if text is None:
                self.generated.setText(
                    "Not used: the directions typed above are printed as written."
                    if typed
                    else "Generated when the label prints, from the batch's schedule: the "
                    "phase current on the date filled, then “see schedule”."
                )
                return
            if typed:
                how = "not used: the directions typed above are printed as written"
            elif orders:
                how = "the first fill's label; a refill's gives the phase current on its date"
            else:
                how = "printed on the label unless you type others"
            self.generated.setText(f"Generated ({how}): {text}")
            return
        self.generated.setText(f"Not generated yet: {message[:1].upper()}{message[1:]}.")

    def quantity_text(self) -> str:
        amount = self.quantity.value()
        if amount == 0:
            return ""
        if self.form_value is DosageForm.CAPSULE:
            return count_text(amount, "capsule")
        return volume_text(Decimal(amount))

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        """Read, ask the store to save; any refusal shows beside its field, nothing saved."""
        self.form.clear_notes()
        try:
            patient_id = self.patient_choice.currentData()
            if patient_id is None:
                raise Missing("patient_id", "choose the patient, or add a new one")
            dose, titration, orders = self._doses()
            typed = self.directions.text()
            if not typed.strip():
                # Nothing typed: nothing saved. The label writes them when it prints;
                # generating them now refuses, beside its field, what cannot be measured.
                typed = ""
                self._generate(dose, orders)
        except Missing as missing:
            self._refused(missing.field, missing.prompt)
            return
        except InputRefused as refused:
            self._refused(refused.field, refused.message)
            return
        days = self.days_supply.value()
        try:
            self.saved = self.context.store.add_prescription(
                int(patient_id),
                self.rx_number.text(),
                self.prescriber.text(),
                dose,
                typed,
                titration=titration,
                quantity=self.quantity_text(),
                days_supply=days or None,
                written_on=self.written_on.date().toPython(),
                by=self.context.user,
            )
        except InvalidField as refused:
            self._refused(refused.field, refused.message)
            return
        except StoreError as exc:
            show_error(self, "Prescription not saved", exc)
            return
        self.context.notify_data_changed()
        self.accept()

    def _refused(self, field: str, message: str) -> None:
        key = self.form.show_refusal(field, message)
        if key:
            caption = self.form.rows[key][0]
            buddy = caption.buddy()
            if buddy is not None:
                buddy.setFocus()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
