"""The batch table: a model over the store's paged search that never loads every row.

`rowCount` is the total the store reports for the query; rows are fetched a page at a
time when the view first asks for them, and only the most recently used pages are kept
(a windowed cache), so scrolling through 100,000 compounding records stays instant and
memory stays flat. Sorting and searching are done by the store (indexed SQL); the model
only asks again.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication

from ldn_desktop.core.dose_text import count_text, format_number, volume_text
from ldn_desktop.store.records import BatchQuery, BatchSort, BatchState, BatchSummary

PAGE_SIZE = 200
PAGES_KEPT = 12

# (header, the store's sort for the column or None when the store cannot sort by it)
COLUMNS: tuple[tuple[str, BatchSort | None], ...] = (
    ("Lot", BatchSort.LOT_NUMBER),
    ("State", BatchSort.STATE),
    ("Compounded", BatchSort.COMPOUNDED_ON),
    ("Patient", BatchSort.PATIENT),
    ("Rx number", BatchSort.RX_NUMBER),
    ("Formula", None),
    ("Made", None),
    ("BUD", BatchSort.BUD),
)
LOT, STATE, COMPOUNDED, PATIENT, RX, FORMULA, MADE, BUD = range(len(COLUMNS))

STATE_WORDS = {
    BatchState.DRAFT: "Draft",
    BatchState.COMPOUNDED: "Compounded",
    BatchState.VERIFIED: "Verified",
    BatchState.DISPENSED: "Dispensed",
    BatchState.REJECTED: "Rejected",
}

#: The summary's `id`, for the view to open the batch.
BatchIdRole = Qt.ItemDataRole.UserRole + 1

_AnyIndex = QModelIndex | QPersistentModelIndex


def amount_text(amount: Decimal, unit: str) -> str:
    """'33 capsules', '100 mL', '45 g': the amount made, as the record states it."""
    if unit in ("capsule", "capsules"):
        return count_text(amount, "capsule")
    if unit == "mL":
        return volume_text(amount)
    return f"{format_number(amount, 2)} {unit}"


def date_text(day: date | None) -> str:
    return day.isoformat() if day is not None else "—"


class BatchTableModel(QAbstractTableModel):
    """Every batch matching `query`, sorted by the store, fetched a page at a time."""

    def __init__(self, store: Any, parent: Any = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._query = BatchQuery(limit=page_size)
        self._total = 0
        self._pages: OrderedDict[int, tuple[BatchSummary, ...]] = OrderedDict()
        self.fetches = 0  # how many pages were read from the store (for tests and benches)

    # -- the query -------------------------------------------------------------------------
    @property
    def query(self) -> BatchQuery:
        return self._query

    def set_query(self, query: BatchQuery) -> None:
        """Search again (sort and filters from `query`; offset and limit are the model's)."""
        self.beginResetModel()
        self._query = replace(query, offset=0, limit=self._page_size)
        self._pages.clear()
        self._total = 0
        self._fetch(0)
        self.endResetModel()

    def refresh(self) -> None:
        """Read the current query again (after a write through the store)."""
        self.set_query(self._query)

    def _fetch(self, page_number: int) -> tuple[BatchSummary, ...]:
        page = self._store.search_batches(
            replace(self._query, offset=page_number * self._page_size, limit=self._page_size)
        )
        self.fetches += 1
        self._total = page.total
        self._pages[page_number] = page.rows
        while len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        return tuple(page.rows)

    def summary(self, row: int) -> BatchSummary | None:
        """The batch on `row`, fetching its page if needed (None if it has gone since)."""
        if not 0 <= row < self._total:
            return None
        page_number, within = divmod(row, self._page_size)
        rows = self._pages.get(page_number)
        if rows is None:
            rows = self._fetch(page_number)
        else:
            self._pages.move_to_end(page_number)
        return rows[within] if within < len(rows) else None

    def row_of(self, batch_id: int) -> int | None:
        """The row of a batch among the pages already read (None if not read yet)."""
        for page_number, rows in self._pages.items():
            for within, summary in enumerate(rows):
                if summary.id == batch_id:
                    return page_number * self._page_size + within
        return None

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section][0]
            if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section][1] is not None:
                return f"Sort by {COLUMNS[section][0].lower()}"
        if (
            orientation == Qt.Orientation.Vertical
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < self._total
        ):
            return section + 1
        return None

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(COLUMNS):
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            BatchIdRole,
        ):
            return None
        summary = self.summary(index.row())
        if summary is None:
            return None
        if role == BatchIdRole:
            return summary.id
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(summary, index.column())
        text = self._text(summary, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if index.column() in (PATIENT, FORMULA) else None
        return text

    @staticmethod
    def _text(summary: BatchSummary, column: int) -> str:
        if column == LOT:
            return summary.lot_number
        if column == STATE:
            return STATE_WORDS.get(summary.state, str(summary.state))
        if column == COMPOUNDED:
            return date_text(summary.compounded_on)
        if column == PATIENT:
            return summary.patient_name or "Stock batch"
        if column == RX:
            return summary.rx_number or "—"
        if column == FORMULA:
            return summary.formula_name
        if column == MADE:
            return amount_text(summary.units_made, summary.unit)
        return date_text(summary.bud)

    @staticmethod
    def _foreground(summary: BatchSummary, column: int) -> QBrush | None:
        palette = QApplication.palette()
        if column == PATIENT and not summary.patient_name:
            return palette.brush(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        if column == STATE and summary.state is BatchState.REJECTED:
            dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
            return QBrush(QColor("#ff8a80" if dark else "#b3261e"))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        sort = COLUMNS[column][1]
        if sort is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if sort == self._query.sort and descending == self._query.descending and self._pages:
            return
        # A reset, not a layout change: rows written meanwhile may change the count.
        self.set_query(replace(self._query, sort=sort, descending=descending))
