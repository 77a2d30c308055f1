"""Patients: find a patient, add one, correct one's details, and receive their prescriptions.

The day starts here: a prescription arrives, the patient is found (or added), the
prescription is entered, and then it is calculated and compounded. Search is the store's
(name or a word of it, case and accents folded: "jose" finds "José"), narrowed by date of
birth when one is given. Every check is the store's or the core's; the page gathers and shows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.core.dose_text import count_text
from ldn_desktop.core.signing import action_refusal
from ldn_desktop.store.records import Patient, Prescription
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.keyboard import focus_lands_on, tab_field_to_field
from ldn_desktop.ui.patient_form import DateField, PatientDialog
from ldn_desktop.ui.patient_models import PatientTableModel, PrescriptionTableModel
from ldn_desktop.ui.prescription_form import PrescriptionDialog

SEARCH_DELAY_MS = 200
# Enough to browse, bounded so a large pharmacy's list stays instant; the search narrows it.
SHOWN_PATIENTS = 500


def _table(name: str, model: Any) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


class PrescriptionsPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.patients = PatientTableModel(self)
        self.prescriptions = PrescriptionTableModel(self)

        title = QLabel("Patients")
        title.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setAccessibleName("Find a patient by name")
        self.search.setPlaceholderText("Name or part of it (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        search_label = QLabel("Fi&nd:")
        search_label.setBuddy(self.search)
        self.born = DateField("Born on (any date when empty)", "YYYY-MM-DD, any")
        self.born.setMaximumWidth(130)
        born_label = QLabel("&Born:")
        born_label.setBuddy(self.born)
        self.add_button = QPushButton("&Add patient…")
        self.add_button.setAccessibleName("Add a patient")
        self.correct_button = QPushButton("&Correct details…")
        self.correct_button.setAccessibleName("Correct the patient's details, with the reason")
        self.new_rx_button = QPushButton("New &prescription…")
        self.new_rx_button.setAccessibleName("New prescription for this patient")
        self.permission = QLabel()
        self.permission.setObjectName("muted")
        self.permission.setAccessibleName("What you may do here")
        self.permission.hide()
        bar = QHBoxLayout()
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        bar.addWidget(born_label)
        bar.addWidget(self.born)
        bar.addWidget(self.add_button)

        self.patient_table = _table("Patients", self.patients)
        header = self.patient_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 100), (2, 95)):
            self.patient_table.setColumnWidth(column, width)
        patients_label = QLabel("Ma&tching patients")
        patients_label.setObjectName("sectionTitle")
        patients_label.setBuddy(self.patient_table)
        self.count = QLabel()
        self.count.setObjectName("muted")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(patients_label)
        left_layout.addWidget(self.patient_table, 1)
        left_layout.addWidget(self.count)

        self.patient_heading = QLabel()
        self.patient_heading.setObjectName("sectionTitle")
        self.patient_heading.setAccessibleName("Selected patient")
        self.patient_heading.setWordWrap(True)
        self.patient_details = QLabel()
        self.patient_details.setObjectName("muted")
        self.patient_details.setWordWrap(True)
        self.patient_details.setAccessibleName("Selected patient's details")
        self.rx_table = _table("Prescriptions", self.prescriptions)
        # Directions (and any titration) wrap in the last column: the whole prescription
        # shows without scrolling sideways.
        self.rx_table.setWordWrap(True)
        for column, width in enumerate((85, 95, 75, 130, 140)):
            self.rx_table.setColumnWidth(column, width)
        self.rx_table.horizontalHeader().sectionResized.connect(
            lambda *_: self.rx_table.resizeRowsToContents()
        )
        rx_label = QLabel("P&rescriptions")
        rx_label.setObjectName("sectionTitle")
        rx_label.setBuddy(self.rx_table)
        actions = QHBoxLayout()
        actions.addWidget(self.correct_button)
        actions.addStretch(1)
        actions.addWidget(self.new_rx_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        right_layout.addWidget(self.patient_heading)
        right_layout.addWidget(self.patient_details)
        right_layout.addLayout(actions)
        right_layout.addWidget(rx_label)
        right_layout.addWidget(self.rx_table, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([360, 820])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.permission)
        layout.addWidget(self.splitter, 1)

        # Tab follows reading order: search, date, Add, the list, then the patient's actions.
        for first, second in (
            (self.search, self.born),
            (self.born, self.add_button),
            (self.add_button, self.patient_table),
            (self.patient_table, self.correct_button),
            (self.correct_button, self.new_rx_button),
            (self.new_rx_button, self.rx_table),
        ):
            QWidget.setTabOrder(first, second)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.born.textChanged.connect(lambda _t: self._timer.start())
        self.born.returnPressed.connect(self.run_search)
        self.add_button.clicked.connect(self.add_patient)
        self.correct_button.clicked.connect(self.correct_patient)
        self.new_rx_button.clicked.connect(self.new_prescription)
        self.patient_table.selectionModel().currentRowChanged.connect(self._patient_changed)
        # Space (or a click) chooses the row after it became current: follow the choice too.
        self.patient_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._show_patient(self.current_patient)
        )
        self.patient_table.doubleClicked.connect(lambda _i: self.new_prescription())
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self._focus_search)
        context.data_changed.connect(self._data_changed)
        context.user_changed.connect(lambda _u: self._show_patient(self.current_patient))
        focus_lands_on(self, self.search)
        tab_field_to_field(self)
        self._show_patient(None)
        self.run_search()

    # -- finding ---------------------------------------------------------------------------
    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def run_search(self, keep: int | None = None) -> None:
        self._timer.stop()
        keep = keep if keep is not None else getattr(self.current_patient, "id", None)
        try:
            found = self.context.store.find_patients(self.search.text(), limit=SHOWN_PATIENTS)
        except Exception as exc:  # a locked or damaged database while searching
            show_error(self, "Search failed", exc)
            return
        counted = count_text(len(found), "patient")
        try:
            born = self.born.date_value()
        except ValueError as wrong:
            born, counted = None, f"{counted} (date of birth ignored: {wrong})"
        if born is not None:
            found = tuple(p for p in found if p.date_of_birth == born)
            counted = count_text(len(found), "patient") + f" born {born.isoformat()}"
        self.patients.set_rows(found)
        self.count.setText(counted)
        row = self.patients.row_of(keep) if keep is not None else None
        if row is None and len(found) == 1:
            row = 0
        if row is not None:
            self.patient_table.selectRow(row)
        self._show_patient(self.current_patient)

    @property
    def current_patient(self) -> Patient | None:
        index = self.patient_table.currentIndex()
        if not index.isValid() or not self.patient_table.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        patient: Patient | None = self.patients.record(index.row())
        return patient

    def _patient_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_patient(self.current_patient)

    def refusal(self) -> str | None:
        """Why the signed-in user may not record patients (the core's rule), or None."""
        user = self.context.user
        if user is None:
            return "nobody is signed in"
        return action_refusal(user.role.value, "patients")

    def _show_patient(self, patient: Patient | None) -> None:
        refusal = self.refusal()
        self.permission.setVisible(refusal is not None)
        self.permission.setText(f"Only shown: {refusal}." if refusal else "")
        self.add_button.setEnabled(refusal is None)
        self.correct_button.setEnabled(patient is not None and refusal is None)
        self.new_rx_button.setEnabled(patient is not None and refusal is None)
        if patient is None:
            self.patient_heading.setText("No patient selected")
            self.patient_details.setText(
                "Find the patient, or add a new one, to see and add their prescriptions."
            )
            self.prescriptions.set_rows(())
            return
        born = patient.date_of_birth.isoformat() if patient.date_of_birth else "not recorded"
        self.patient_heading.setText(patient.name)
        details = [f"Born {born}"]
        details += [d for d in (patient.phone, patient.address) if d]
        self.patient_details.setText(" · ".join(details))
        try:
            self.prescriptions.set_rows(self.context.store.prescriptions_for(patient.id))
        except Exception as exc:
            show_error(self, "Prescriptions not read", exc)
        self.rx_table.resizeRowsToContents()

    def _data_changed(self) -> None:
        self.run_search()

    # -- actions ---------------------------------------------------------------------------
    def show_patient_id(self, patient_id: int, name: str) -> None:
        """Find a patient by name and select them (after adding or correcting)."""
        self.born.clear()
        self.search.setText(name)
        self.run_search(keep=patient_id)

    def add_patient(self) -> None:
        if self.refusal() is not None:
            return
        dialog = PatientDialog(self.context, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.show_patient_id(dialog.saved.id, dialog.saved.name)
            self.new_rx_button.setFocus()

    def correct_patient(self) -> None:
        patient = self.current_patient
        if patient is None or self.refusal() is not None:
            return
        dialog = PatientDialog(self.context, patient, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.show_patient_id(dialog.saved.id, dialog.saved.name)

    def new_prescription(self) -> None:
        patient = self.current_patient
        if patient is None or self.refusal() is not None:
            return
        dialog = PrescriptionDialog(self.context, patient, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.show_prescription(dialog.saved)

    def show_prescription(self, prescription: Prescription) -> None:
        """Select a prescription (just received) in its patient's list."""
        self.run_search(keep=prescription.patient_id)
        row = self.prescriptions.row_of(prescription.id)
        if row is not None:
            self.rx_table.selectRow(row)
