"""Adding a patient, or correcting one's details with the reason (kept in the audit trail).

The store checks every field and refuses with the field's name; the refusal is shown
beside that field and nothing is saved. The date of birth has no default: a guessed date
must never reach a label.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.store.errors import InvalidField, StoreError
from ldn_desktop.store.records import Patient
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.record_form import CheckedForm


class DateField(QLineEdit):
    """A date typed year-month-day ('1958-03-14'), empty until typed: never a guessed
    default. A line edit, not a date edit: an empty date edit traps the Tab key."""

    def __init__(self, name: str, placeholder: str = "YYYY-MM-DD") -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setPlaceholderText(placeholder)
        self.setMaxLength(10)
        self.setToolTip("Year-month-day, e.g. 1958-03-14")
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"^[0-9-]{0,10}$"), self))

    def date_value(self) -> date | None:
        """The date typed, None if empty; ValueError (with a message) if it is no date."""
        text = self.text().strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"'{text}' is not a date: write year-month-day, e.g. 1958-03-14"
            ) from None


class PatientDialog(QDialog):
    """A new patient (`patient` None) or a correction of `patient`, with its reason."""

    def __init__(self, context: Any, patient: Patient | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.original = patient
        self.saved: Patient | None = None
        correcting = patient is not None
        self.setWindowTitle("Correct a patient's details" if correcting else "Add a patient")
        self.setMinimumWidth(480)
        self.name = QLineEdit()
        self.name.setAccessibleName("Patient name")
        self.name.setPlaceholderText("Full name, as on the prescription")
        self.date_of_birth = DateField("Date of birth")
        self.phone = QLineEdit()
        self.phone.setAccessibleName("Phone")
        self.address = QLineEdit()
        self.address.setAccessibleName("Address")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for the correction")
        self.reason.setPlaceholderText("e.g. date of birth mistyped; checked with the patient")
        self.form = CheckedForm()
        self.form.add_row("name", "&Name:", self.name)
        self.form.add_row("date_of_birth", "Date of &birth:", self.date_of_birth)
        self.form.add_row("phone", "&Phone:", self.phone)
        self.form.add_row("address", "A&ddress:", self.address)
        if correcting:
            self.form.add_row("reason", "&Reason:", self.reason)
        layout = QVBoxLayout(self)
        if patient is not None:
            intro = QLabel(
                "The old details and the reason are kept in the audit trail; batches already "
                "made keep the name they were labelled with."
            )
            intro.setWordWrap(True)
            intro.setObjectName("muted")
            layout.addWidget(intro)
            self.name.setText(patient.name)
            if patient.date_of_birth is not None:
                self.date_of_birth.setText(patient.date_of_birth.isoformat())
            self.phone.setText(patient.phone)
            self.address.setText(patient.address)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            "Sa&ve correction" if correcting else "Sa&ve patient"
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Cance&l")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.name.setFocus()

    def save(self) -> None:
        """Ask the store to save; a refusal shows beside its field and the dialog stays."""
        try:
            born = self.date_of_birth.date_value()
        except ValueError as wrong:
            self.form.show_refusal("date_of_birth", str(wrong))
            self.date_of_birth.setFocus()
            return
        if born is None:
            # Labels, leaflets and the recall trace identify the patient by it.
            self.form.show_refusal("date_of_birth", "enter the date of birth: every label shows it")
            self.date_of_birth.setFocus()
            return
        store, user = self.context.store, self.context.user
        try:
            if self.original is None:
                self.saved = store.add_patient(
                    self.name.text(),
                    born,
                    phone=self.phone.text(),
                    address=self.address.text(),
                    by=user,
                )
            else:
                corrected = dataclasses.replace(
                    self.original,
                    name=self.name.text(),
                    date_of_birth=born,
                    phone=self.phone.text(),
                    address=self.address.text(),
                )
                self.saved = store.correct_patient(corrected, reason=self.reason.text(), by=user)
        except InvalidField as refused:
            key = self.form.show_refusal(refused.field, refused.message)
            widget = {
                "name": self.name,
                "date_of_birth": self.date_of_birth,
                "reason": self.reason,
            }.get(key)
            if widget is not None:
                widget.setFocus()
            return
        except StoreError as exc:
            show_error(self, "Patient not saved", exc)
            return
        self.context.notify_data_changed()
        self.accept()
