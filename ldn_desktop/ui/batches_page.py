"""Batches: every compounding record in one searchable table, and the open record beside it.

The table is `BatchTableModel` (paged from the store, instant at 100,000 rows). Search by
patient, Rx number or lot (the batch's own or an ingredient lot used in it), a date range
and a state. A calculation from the Calculate page arrives through
`context.start_batch_requested(plan)` and becomes a new draft for a prescription or as
stock, after the pharmacist picks the master formulation it follows.
"""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.core.dose_text import count_text, dose_text, volume_text
from ldn_desktop.store.records import BatchQuery, BatchState, MasterFormulation, Prescription
from ldn_desktop.ui.batch_detail import BatchDetail
from ldn_desktop.ui.batch_model import COMPOUNDED, STATE_WORDS, BatchIdRole, BatchTableModel
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.keyboard import DateEdit, focus_lands_on, tab_field_to_field

SEARCH_FIELDS = (("Patient", "patient"), ("Rx number", "rx_number"), ("Lot number", "lot_number"))
SEARCH_DELAY_MS = 250


def plan_batch_size(calculation: dict[str, Any]) -> tuple[str, Decimal, str] | None:
    """(dosage form, amount made, unit) as the core's plan states them, or None."""
    if "units_to_make" in calculation:
        return "capsule", Decimal(int(calculation["units_to_make"])), "capsules"
    if "batch_ml" in calculation:
        return "oral liquid", Decimal(str(calculation["batch_ml"])), "mL"
    if "mg_per_ml" in calculation and "total_ml" in calculation:
        return "cream", Decimal(str(calculation["total_ml"])), "mL"
    return None


def find_prescriptions(store: Any, text: str, limit: int = 20) -> tuple[Prescription, ...]:
    """Prescriptions with this exact Rx number, then those of patients whose name matches."""
    needle = text.strip()
    if not needle:
        return ()
    found: dict[int, Prescription] = {rx.id: rx for rx in store.prescriptions_by_rx(needle)}
    for patient in store.find_patients(needle, limit=limit):
        for rx in store.prescriptions_for(patient.id):
            found.setdefault(rx.id, rx)
            if len(found) >= limit:
                return tuple(found.values())
    return tuple(found.values())


def plan_dose_text(calculation: dict[str, Any]) -> str:
    """The calculated dose, as the core wrote it, to compare with the prescription's."""
    if "dose_mg" in calculation:
        return f"{dose_text(Decimal(str(calculation['dose_mg'])))} a capsule"
    phases = calculation.get("phases") or ()
    if phases:
        return f"{dose_text(Decimal(str(phases[-1]['dose_mg'])))} a dose"
    return ""


class NewBatchDialog(QDialog):
    """Which formula the new batch follows, and for which prescription (or as stock)."""

    def __init__(
        self,
        store: Any,
        form: str,
        made_text: str,
        parent: QWidget | None = None,
        *,
        context: AppContext | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.context = context
        self.form = form
        self.setWindowTitle("Start a batch")
        self.resize(560, 420)
        self.found: tuple[Prescription, ...] = ()
        layout = QVBoxLayout(self)
        intro = QLabel(f"A new draft compounding record: <b>{html.escape(made_text)}</b>.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form_layout = QFormLayout()
        self.formula = QComboBox()
        self.formula.setAccessibleName("Master formulation")
        self.formulas: list[MasterFormulation] = [
            f for f in store.list_formulas() if f.dosage_form.strip().lower() == form
        ]
        for formula in self.formulas:
            self.formula.addItem(f"{formula.name} (v{formula.version})", formula.id)
        form_layout.addRow("F&ormula:", self.formula)  # Alt+F is the File menu
        self.rx_field = QLineEdit()
        self.rx_field.setAccessibleName("Find the prescription: Rx number or patient name")
        self.rx_field.setPlaceholderText("Rx number or patient name")
        self.rx_field.textChanged.connect(self._find_prescription)
        self.new_rx_button = QPushButton("&New prescription…")
        self.new_rx_button.setAccessibleName("Enter a new prescription")
        self.new_rx_button.setToolTip("Receive a prescription that is not entered yet")
        self.new_rx_button.clicked.connect(self.new_prescription)
        self.new_rx_button.setVisible(context is not None)
        rx_row = QHBoxLayout()
        rx_row.addWidget(self.rx_field, 1)
        rx_row.addWidget(self.new_rx_button)
        rx_label = QLabel("&Prescription:")
        rx_label.setBuddy(self.rx_field)
        form_layout.addRow(rx_label, rx_row)
        self.matches = QListWidget()
        self.matches.setAccessibleName("Matching prescriptions")
        self.matches.currentRowChanged.connect(lambda _r: self._update_ok())
        form_layout.addRow("", self.matches)
        self.rx_found = QLabel("Type the Rx number or the patient's name.")
        self.rx_found.setWordWrap(True)
        self.rx_found.setObjectName("muted")
        form_layout.addRow("", self.rx_found)
        self.stock = QCheckBox("&Stock batch (no prescription)")
        self.stock.toggled.connect(self._stock_toggled)
        form_layout.addRow("", self.stock)
        layout.addLayout(form_layout)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create draft")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if not self.formulas:
            self.rx_found.setText(f"There is no current master formulation for {form}s.")
        self._update_ok()

    def _find_prescription(self, text: str) -> None:
        self.found = find_prescriptions(self.store, text)
        self.matches.clear()
        for rx in self.found:
            self.matches.addItem(
                f"Rx {rx.rx_number} · {rx.patient_name} · {rx.dose} · {rx.prescriber}"
            )
        if self.found:
            self.matches.setCurrentRow(0)
            self.rx_found.setText("Check that the prescribed dose is the dose calculated.")
        elif text.strip():
            self.rx_found.setText(f"No prescription matches '{text.strip()}'.")
        self._update_ok()

    def new_prescription(self) -> None:
        """Enter the prescription here (the same form as the Patients page), then select it."""
        from ldn_desktop.ui.prescription_form import PrescriptionDialog

        form = self.form.replace(" ", "-")
        dialog = PrescriptionDialog(self.context, dosage_form=form, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.saved is None:
            return
        self.stock.setChecked(False)
        self.rx_field.setText(dialog.saved.rx_number)
        for row, rx in enumerate(self.found):
            if rx.id == dialog.saved.id:
                self.matches.setCurrentRow(row)

    def _stock_toggled(self, on: bool) -> None:
        self.rx_field.setEnabled(not on)
        self.new_rx_button.setEnabled(not on)
        self.matches.setEnabled(not on)
        self._update_ok()

    @property
    def prescription(self) -> Prescription | None:
        row = self.matches.currentRow()
        return self.found[row] if 0 <= row < len(self.found) else None

    def _update_ok(self) -> None:
        ok = bool(self.formulas) and (self.stock.isChecked() or self.prescription is not None)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    @property
    def formula_id(self) -> int | None:
        data = self.formula.currentData()
        return int(data) if data is not None else None

    @property
    def prescription_id(self) -> int | None:
        if self.stock.isChecked() or self.prescription is None:
            return None
        return self.prescription.id


class BatchesPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = BatchTableModel(context.store, self)

        title = QLabel("Batches")
        title.setObjectName("pageTitle")
        self.search_field = QComboBox()
        self.search_field.setAccessibleName("Search by")
        for label, key in SEARCH_FIELDS:
            self.search_field.addItem(label, key)
        self.search = QLineEdit()
        self.search.setAccessibleName("Search text")
        self.search.setPlaceholderText("Search (Ctrl+F)")
        self.search.setToolTip("Search by the patient's name, the Rx number or a lot number")
        self.search.setClearButtonEnabled(True)
        self.use_dates = QCheckBox("Compounded fro&m")
        self.date_from = DateEdit(QDate.currentDate().addMonths(-1))
        self.date_to = DateEdit(QDate.currentDate())
        for edit, name in ((self.date_from, "From date"), (self.date_to, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setEnabled(False)
        self.state = QComboBox()
        self.state.setAccessibleName("State")
        self.state.addItem("All states", None)
        for state, word in STATE_WORDS.items():
            self.state.addItem(word, state.value)
        self.count = QLabel()
        self.count.setObjectName("muted")

        bar = QHBoxLayout()
        bar.addWidget(self.search_field)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.state)
        filters = QHBoxLayout()
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("to"))
        filters.addWidget(self.date_to)
        filters.addStretch(1)

        self.table = QTableView()
        self.table.setAccessibleName("Batches")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((105, 100, 110, 170, 95, 260, 100, 95)):
            self.table.setColumnWidth(column, width)
        # Sorting without sortByColumn's initial ascending pass: the store's default order.
        header.setSortIndicator(COMPOUNDED, Qt.SortOrder.DescendingOrder)

        self.detail = BatchDetail(context)
        self.detail.changed.connect(self._batch_changed)
        self.detail.print_requested.connect(self.print_batch)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(16, 12, 8, 12)
        left_layout.addWidget(title)
        left_layout.addLayout(bar)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([480, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.search_field.currentIndexChanged.connect(lambda _i: self.run_search())
        self.use_dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(lambda _d: self.run_search())
        self.date_to.dateChanged.connect(lambda _d: self.run_search())
        self.state.currentIndexChanged.connect(lambda _i: self.run_search())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)

        context.start_batch_requested.connect(self.start_batch)
        context.data_changed.connect(self._data_changed)
        context.user_changed.connect(lambda _u: self.run_search())
        focus_lands_on(self, self.search)
        tab_field_to_field(self)  # the batch table and the open batch's panel too
        self._writing = False
        self.run_search()

    # -- searching -----------------------------------------------------------------------
    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.run_search()

    def current_query(self) -> BatchQuery:
        text = self.search.text().strip()
        key = self.search_field.currentData()
        fields = {key: text} if text else {}
        dates: dict[str, date] = {}
        if self.use_dates.isChecked():
            dates = {
                "date_from": self.date_from.date().toPython(),
                "date_to": self.date_to.date().toPython(),
            }
        state = self.state.currentData()
        return BatchQuery(
            **fields,
            **dates,
            state=BatchState(state) if state else None,
            sort=self.model.query.sort,
            descending=self.model.query.descending,
        )

    def run_search(self) -> None:
        self._search_timer.stop()
        keep = self.detail.batch.id if self.detail.batch else None
        try:
            self.model.set_query(self.current_query())
        except Exception as exc:  # a locked or damaged database while searching
            show_error(self, "Search failed", exc)
            return
        total = self.model.rowCount()
        self.count.setText(count_text(total, "batch", "batches"))
        if keep is not None:
            self._select(keep)

    def _select(self, batch_id: int) -> None:
        row = self.model.row_of(batch_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._writing or not current.isValid():
            return
        batch_id = self.model.data(self.model.index(current.row(), 0), BatchIdRole)
        if batch_id is not None and (self.detail.batch is None or self.detail.batch.id != batch_id):
            try:
                self.detail.show_batch(int(batch_id))
            except Exception as exc:
                show_error(self, "Batch not opened", exc)

    def _batch_changed(self, batch_id: int) -> None:
        self._writing = True
        try:
            self.run_search()
        finally:
            self._writing = False

    def _data_changed(self) -> None:
        if not self._writing:
            self._batch_changed(self.detail.batch.id if self.detail.batch else 0)

    # -- a new batch from a calculation --------------------------------------------------
    def start_batch(self, plan: Any) -> None:
        """A plan from the Calculate page becomes a new draft (after choosing formula and Rx)."""
        calculation = plan.to_dict() if hasattr(plan, "to_dict") else dict(plan)
        size = plan_batch_size(calculation)
        if size is None:
            QMessageBox.information(
                self,
                "Start a batch",
                "This calculation does not describe a preparation to make (capsules, an oral "
                "liquid or a cream): calculate the preparation itself, then start the batch.",
            )
            return
        form, made, unit = size
        made_text = count_text(made, "capsule") if unit == "capsules" else volume_text(made)
        dose = plan_dose_text(calculation)
        what = f"{made_text} of {form}" + (f", {dose}" if dose else "")
        dialog = NewBatchDialog(self.context.store, form, what, self, context=self.context)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.formula_id is None:
            return
        try:
            batch = self.context.store.create_draft_batch(
                dialog.formula_id,
                dialog.prescription_id,
                calculation,
                made,
                unit,
                by=self.context.user,
            )
        except Exception as exc:
            show_error(self, "Batch not started", exc)
            return
        self.open_batch(batch.id)
        self.context.notify_data_changed()
        self.detail.lot_field.setFocus()

    def open_batch(self, batch_id: int) -> None:
        """Show a batch in the detail and, if the table holds it, select its row."""
        self.search.clear()
        self.detail.show_batch(batch_id)
        self._batch_changed(batch_id)

    def print_batch(self, batch_id: int) -> None:
        from ldn_desktop.ui.print_page import PrintDialog

        dialog = PrintDialog(self.context, batch_id, self)
        dialog.exec()
        self.detail.reload()
        self._batch_changed(batch_id)
