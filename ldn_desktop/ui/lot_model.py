"""Ingredient lots as a table: what the certificate and the store say about each lot.

A pharmacy holds tens to hundreds of lots, so the whole list is read at once; the recall
trace (batches that used a lot) is a second small model here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication

from ldn_desktop.core.dose_text import format_number
from ldn_desktop.core.lots import expires_within
from ldn_desktop.store.records import IngredientLot, LotStatus, RecalledBatch
from ldn_desktop.ui.batch_model import STATE_WORDS, amount_text, date_text
from ldn_desktop.ui.list_model import AnyIndex, ListTableModel

STATUS_WORDS = {
    LotStatus.QUARANTINED: "Quarantined",
    LotStatus.RELEASED: "Released",
    LotStatus.RECALLED: "Recalled",
    LotStatus.EXPIRED: "Expired",
}

#: The lot's id, for the page's actions.
LotIdRole = Qt.ItemDataRole.UserRole + 2


def percent_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_number(value, 2)} %"


def _is_dark() -> bool:
    return QApplication.palette().window().color().lightness() < 128


class LotTableModel(ListTableModel):
    HEADERS = ("Ingredient", "Lot", "Supplier", "Expiry", "Status", "Assay", "Water", "Received")

    def __init__(self, parent: Any = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.soon_days = 60

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        lot: IngredientLot | None = self.row(index.row()) if index.isValid() else None
        if lot is None or not 0 <= index.column() < len(self.HEADERS):
            return None
        column = index.column()
        if role == LotIdRole:
            return lot.id
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                lot.ingredient_name,
                lot.lot_number,
                lot.supplier,
                lot.expiry.isoformat(),
                STATUS_WORDS.get(lot.status, lot.status.value),
                percent_text(lot.assay_percent),
                percent_text(lot.water_percent),
                lot.received_on.isoformat(),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 4 and lot.status_reason:
            return lot.status_reason
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(lot, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (5, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _foreground(self, lot: IngredientLot, column: int) -> QBrush | None:
        dark = _is_dark()
        if column == 4 and lot.status in (LotStatus.RECALLED, LotStatus.EXPIRED):
            return QBrush(QColor("#ff8a80" if dark else "#b3261e"))
        if column == 4 and lot.status is LotStatus.QUARANTINED:
            return QBrush(QColor("#ffd27a" if dark else "#8a5a00"))
        if (
            column == 3
            and lot.status is LotStatus.RELEASED
            and expires_within(lot.expiry, self.today or date.today(), self.soon_days)
        ):
            return QBrush(QColor("#ffd27a" if dark else "#8a5a00"))
        return None


class RecallTraceModel(ListTableModel):
    HEADERS = ("Batch", "State", "Compounded", "BUD", "Patient", "Date of birth", "Rx", "Made")

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        batch: RecalledBatch | None = self.row(index.row()) if index.isValid() else None
        if batch is None or not 0 <= index.column() < len(self.HEADERS):
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            batch.lot_number,
            STATE_WORDS.get(batch.state, batch.state.value),
            date_text(batch.compounded_on),
            date_text(batch.bud),
            batch.patient_name or "Stock batch",
            date_text(batch.patient_date_of_birth) if batch.patient_name else "",
            batch.rx_number or "—",
            amount_text(batch.units_made, batch.unit),
        )[index.column()]
