"""Inventory: ingredients and their lots; receive, release, quarantine, recall; what expires
soon; and the recall trace from a lot to every batch and patient that received it.

A received lot is quarantined until a pharmacist checks its certificate and releases it;
a recalled, quarantined or expired lot cannot go into a batch (the store refuses it).
"""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.core.dose_text import count_text
from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.quantities import parse_percent
from ldn_desktop.store.records import IngredientLot, LotStatus
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.keyboard import focus_lands_on, tab_field_to_field
from ldn_desktop.ui.lot_model import STATUS_WORDS, LotIdRole, LotTableModel, RecallTraceModel
from ldn_desktop.ui.patient_form import DateField

EXPIRING_DAYS_DEFAULT = 60


def _table(model: Any, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ReceiveLotDialog(QDialog):
    """A delivery: which ingredient, from whom, its lot, expiry and certificate figures."""

    def __init__(self, ingredients: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Receive a lot")
        form = QFormLayout(self)
        self.ingredient = QComboBox()
        self.ingredient.setAccessibleName("Ingredient")
        for ingredient in ingredients:
            self.ingredient.addItem(ingredient.name, ingredient.id)
        self.supplier = QLineEdit()
        self.supplier.setAccessibleName("Supplier")
        self.lot_number = QLineEdit()
        self.lot_number.setAccessibleName("Lot number (scan or type)")
        # No default expiry: a guessed date must never be saved for a lot. Typed as on the
        # label (a field Tab moves on from, as the patient's date of birth).
        self.expiry = DateField("Expiry date", "YYYY-MM-DD, as on the label")
        self.assay = QLineEdit()
        self.assay.setAccessibleName("Assay, percent (certificate of analysis)")
        self.assay.setPlaceholderText("e.g. 99.5 (blank if not stated)")
        self.water = QLineEdit()
        self.water.setAccessibleName("Water content, percent (certificate of analysis)")
        self.water.setPlaceholderText("e.g. 1.5 (blank if not stated)")
        form.addRow("&Ingredient:", self.ingredient)
        form.addRow("&Supplier:", self.supplier)
        form.addRow("&Lot number:", self.lot_number)
        form.addRow("&Expiry:", self.expiry)
        form.addRow("&Assay (%):", self.assay)
        form.addRow("&Water (%):", self.water)
        note = QLabel("The lot is quarantined until a pharmacist checks the certificate.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Receive")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        # A barcode scanner ends the lot number with Enter: go on to the next field rather
        # than receiving a half-filled lot.
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        for edit in (self.supplier, self.lot_number, self.expiry, self.assay, self.water):
            edit.returnPressed.connect(self.focusNextChild)

    def accept(self) -> None:
        missing = [
            name
            for name, empty in (
                ("the supplier", not self.supplier.text().strip()),
                ("the lot number", not self.lot_number.text().strip()),
                ("the expiry date", not self.expiry.text().strip()),
            )
            if empty
        ]
        if missing:
            QMessageBox.warning(
                self, "Receive a lot", f"Enter {', '.join(missing)} from the label first."
            )
            return
        try:
            self.expiry.date_value()
        except ValueError as exc:
            QMessageBox.warning(self, "Receive a lot", f"Expiry: {exc}.")
            self.expiry.setFocus()
            return
        super().accept()

    def percent(self, field: QLineEdit, name: str) -> Decimal | None:
        text = field.text().strip()
        return None if not text else parse_percent(text, name)


INGREDIENT_KINDS = (
    ("api", "Active ingredient (API powder)"),
    ("tablet", "Commercial tablets"),
    ("excipient", "Excipient (filler, capsule shells)"),
    ("base", "Base or vehicle"),
)


class NewIngredientDialog(QDialog):
    """An ingredient the pharmacy starts to stock; its lots are then received against it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New ingredient")
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setAccessibleName("Ingredient name")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of ingredient")
        for key, words in INGREDIENT_KINDS:
            self.kind.addItem(words, key)
        self.salt_form = QLineEdit()
        self.salt_form.setAccessibleName("Salt form")
        self.salt_form.setPlaceholderText("e.g. hydrochloride")
        self.grade = QLineEdit()
        self.grade.setAccessibleName("Grade")
        self.grade.setPlaceholderText("e.g. USP, Ph. Eur.")
        form.addRow("&Name:", self.name)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Salt form:", self.salt_form)
        form.addRow("G&rade:", self.grade)  # Alt+G is the Go menu
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add ingredient")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class InventoryPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        title = QLabel("Inventory")
        title.setObjectName("pageTitle")

        # -- lots ------------------------------------------------------------------------
        self.ingredient_filter = QComboBox()
        self.ingredient_filter.setAccessibleName("Ingredient")
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Lot status")
        self.status_filter.addItem("All statuses", None)
        for status, word in STATUS_WORDS.items():
            self.status_filter.addItem(word, status.value)
        self.lots = LotTableModel(self)
        self.lots_view = _table(self.lots, "Ingredient lots")
        self.new_ingredient_button = QPushButton("&New ingredient…")
        self.new_ingredient_button.clicked.connect(self.add_ingredient)
        self.receive_button = QPushButton("&Receive lot…")
        self.release_button = QPushButton("Re&lease")
        self.quarantine_button = QPushButton("&Quarantine…")
        self.recall_button = QPushButton("Re&call…")
        self.trace_button = QPushButton("&Trace this lot")
        self.receive_button.clicked.connect(self.receive_lot)
        self.release_button.clicked.connect(self.release_lot)
        self.quarantine_button.clicked.connect(lambda: self._set_aside("quarantine"))
        self.recall_button.clicked.connect(lambda: self._set_aside("recall"))
        self.trace_button.clicked.connect(self._trace_selected)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Ingredient:"))
        filters.addWidget(self.ingredient_filter, 1)
        filters.addWidget(QLabel("Status:"))
        filters.addWidget(self.status_filter)
        filters.addWidget(self.new_ingredient_button)
        actions = QHBoxLayout()
        for button in (
            self.receive_button,
            self.release_button,
            self.quarantine_button,
            self.recall_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.trace_button)
        lots_tab = QWidget()
        lots_layout = QVBoxLayout(lots_tab)
        lots_layout.addLayout(filters)
        lots_layout.addWidget(self.lots_view, 1)
        lots_layout.addLayout(actions)

        # -- expiring soon ---------------------------------------------------------------
        self.expiring_days = QSpinBox()
        self.expiring_days.setRange(1, 730)
        self.expiring_days.setValue(EXPIRING_DAYS_DEFAULT)
        self.expiring_days.setSuffix(" days")
        self.expiring_days.setAccessibleName("Expiring within")
        self.expiring = LotTableModel(self)
        self.expiring_view = _table(self.expiring, "Lots expiring soon")
        self.expiring_count = QLabel()
        expiring_tab = QWidget()
        expiring_layout = QVBoxLayout(expiring_tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("Released lots expiring within"))
        row.addWidget(self.expiring_days)
        row.addWidget(QLabel("(or already expired)"))
        row.addStretch(1)
        expiring_layout.addLayout(row)
        expiring_layout.addWidget(self.expiring_view, 1)
        expiring_layout.addWidget(self.expiring_count)

        # -- recall trace ----------------------------------------------------------------
        self.trace_field = QLineEdit()
        self.trace_field.setAccessibleName("Ingredient lot number to trace")
        self.trace_field.setPlaceholderText("Scan or type an ingredient lot number, then Enter")
        self.trace_field.returnPressed.connect(self.trace)
        trace_go = QPushButton("Trace")
        trace_go.clicked.connect(self.trace)
        self.trace_summary = QLabel("Which batches used a lot, and which patients received them.")
        self.trace_summary.setWordWrap(True)
        self.trace_summary.setTextFormat(Qt.TextFormat.RichText)
        self.trace_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.trace_model = RecallTraceModel(self)
        self.trace_view = _table(self.trace_model, "Batches that used the lot")
        trace_tab = QWidget()
        trace_layout = QVBoxLayout(trace_tab)
        trace_row = QHBoxLayout()
        trace_label = QLabel("Lot &number:")
        trace_label.setBuddy(self.trace_field)
        trace_row.addWidget(trace_label)
        trace_row.addWidget(self.trace_field, 1)
        trace_row.addWidget(trace_go)
        trace_layout.addLayout(trace_row)
        trace_layout.addWidget(self.trace_summary)
        trace_layout.addWidget(self.trace_view, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(lots_tab, "&Lots")
        self.tabs.addTab(expiring_tab, "&Expiring soon")
        self.tabs.addTab(trace_tab, "Recall &trace")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)

        self.ingredient_filter.currentIndexChanged.connect(lambda _i: self.refresh_lots())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh_lots())
        self.expiring_days.valueChanged.connect(lambda _v: self.refresh_expiring())
        self.lots_view.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        context.data_changed.connect(self.refresh)
        focus_lands_on(self, self.lots_view)
        tab_field_to_field(self)
        self._load_ingredients()
        self.refresh()

    # -- reading -------------------------------------------------------------------------
    def _load_ingredients(self) -> None:
        self.ingredient_filter.blockSignals(True)
        self.ingredient_filter.clear()
        self.ingredient_filter.addItem("All ingredients", None)
        for ingredient in self.context.store.list_ingredients():
            self.ingredient_filter.addItem(ingredient.name, ingredient.id)
        self.ingredient_filter.blockSignals(False)

    def refresh(self) -> None:
        self.refresh_lots()
        self.refresh_expiring()

    def refresh_lots(self) -> None:
        status = self.status_filter.currentData()
        try:
            lots = self.context.store.list_lots(
                ingredient_id=self.ingredient_filter.currentData(),
                status=LotStatus(status) if status else None,
            )
        except Exception as exc:
            show_error(self, "Lots not read", exc)
            return
        self.lots.set_rows(lots)
        self._update()

    def refresh_expiring(self) -> None:
        days = self.expiring_days.value()
        self.lots.soon_days = days
        lots = self.context.store.expiring_lots(days)
        self.expiring.soon_days = days
        self.expiring.set_rows(lots)
        self.expiring_count.setText(
            f"{count_text(len(lots), 'released lot')} expiring within {days} days."
        )
        self.tabs.setTabText(1, f"&Expiring soon ({len(lots)})" if lots else "&Expiring soon")

    def selected_lot(self) -> IngredientLot | None:
        rows = self.lots_view.selectionModel().selectedRows()
        return self.lots.row(rows[0].row()) if rows else None

    def select_lot(self, lot_id: int) -> None:
        for row in range(self.lots.rowCount()):
            if self.lots.index(row, 0).data(LotIdRole) == lot_id:
                self.lots_view.selectRow(row)
                return

    def _update(self) -> None:
        lot = self.selected_lot()
        status = lot.status if lot else None
        self.release_button.setEnabled(status is LotStatus.QUARANTINED)
        self.quarantine_button.setEnabled(status is LotStatus.RELEASED)
        self.recall_button.setEnabled(status in (LotStatus.RELEASED, LotStatus.QUARANTINED))
        self.trace_button.setEnabled(lot is not None)

    # -- writing -------------------------------------------------------------------------
    def _write(self, title: str, action: Any) -> IngredientLot | None:
        try:
            lot = action()
        except Exception as exc:
            show_error(self, title, exc)
            return None
        self.context.notify_data_changed()
        self.select_lot(lot.id)
        return lot  # type: ignore[no-any-return]

    def add_ingredient(self) -> None:
        dialog = NewIngredientDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            ingredient = self.context.store.add_ingredient(
                dialog.name.text().strip(),
                dialog.kind.currentData(),
                salt_form=dialog.salt_form.text().strip(),
                grade=dialog.grade.text().strip(),
                by=self.context.user,
            )
        except Exception as exc:
            show_error(self, "Ingredient not added", exc)
            return
        self._load_ingredients()
        self.ingredient_filter.setCurrentIndex(self.ingredient_filter.findData(ingredient.id))
        self.context.notify_data_changed()

    def receive_lot(self) -> None:
        dialog = ReceiveLotDialog(self.context.store.list_ingredients(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            assay = dialog.percent(dialog.assay, "assay")
            water = dialog.percent(dialog.water, "water")
        except InputRefused as refused:
            show_error(self, "Lot not received", refused)
            return
        expiry = dialog.expiry.date_value()  # accept() made sure it is there and a date
        if expiry is None:
            return
        self.status_filter.setCurrentIndex(0)
        self._write(
            "Lot not received",
            lambda: self.context.store.receive_lot(
                dialog.ingredient.currentData(),
                dialog.supplier.text(),
                dialog.lot_number.text().strip(),
                expiry,
                assay_percent=assay,
                water_percent=water,
                by=self.context.user,
            ),
        )

    def release_lot(self) -> None:
        lot = self.selected_lot()
        if lot is None:
            return
        answer = QMessageBox.question(
            self,
            "Release lot",
            f"Release lot {lot.lot_number} of {lot.ingredient_name} ({lot.supplier}) for use? "
            "Confirm that its certificate of analysis has been checked.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._write(
            "Lot not released",
            lambda: self.context.store.release_lot(lot.id, by=self.context.user),
        )

    def _set_aside(self, how: str) -> None:
        lot = self.selected_lot()
        if lot is None:
            return
        verb = "Quarantine" if how == "quarantine" else "Recall"
        reason, ok = QInputDialog.getText(
            self,
            f"{verb} lot",
            f"{verb} lot {lot.lot_number} of {lot.ingredient_name}: the reason (kept in the "
            "record). It can no longer be used in a batch.",
        )
        if not ok or not reason.strip():
            return
        store, user = self.context.store, self.context.user
        action = store.quarantine_lot if how == "quarantine" else store.recall_lot
        if self._write(f"Lot not {how}ed", lambda: action(lot.id, reason, by=user)) and (
            how == "recall"
        ):
            self.trace_field.setText(lot.lot_number)
            self.trace()
            self.tabs.setCurrentIndex(2)

    def _trace_selected(self) -> None:
        lot = self.selected_lot()
        if lot is not None:
            self.trace_field.setText(lot.lot_number)
            self.tabs.setCurrentIndex(2)
            self.trace()

    def trace(self) -> None:
        number = self.trace_field.text().strip()
        if not number:
            return
        try:
            found = self.context.store.recall_trace(number)
        except Exception as exc:
            show_error(self, "Trace failed", exc)
            return
        self.trace_model.set_rows(found.batches)
        if not found.lots:
            self.trace_summary.setText(f"No ingredient lot {number} has been received.")
            return
        lots = "; ".join(
            f"{lot.ingredient_name} from {lot.supplier} ({STATUS_WORDS[lot.status].lower()})"
            for lot in found.lots
        )
        patients = [html.escape(name) for name in found.patients]
        self.trace_summary.setText(
            f"<b>Lot {html.escape(number)}</b>: {html.escape(lots)}.<br>"
            f"Used in {count_text(len(found.batches), 'batch', 'batches')}; "
            f"{count_text(len(patients), 'patient')} received it"
            + (f": {', '.join(patients)}." if patients else ".")
        )
