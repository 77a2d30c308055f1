"""Patients and their prescriptions as tables: what the store holds, as it holds it.

A pharmacy has hundreds to a few thousand patients and a handful of prescriptions each;
the store's search returns a bounded list, so each model holds its rows at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ldn_desktop.core.dose_text import count_text
from ldn_desktop.store.records import Patient, Prescription
from ldn_desktop.ui.batch_model import date_text

_AnyIndex = QModelIndex | QPersistentModelIndex

#: The record's id (patient or prescription), for the page's actions.
RecordIdRole = Qt.ItemDataRole.UserRole + 3


class _RecordModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[Any, ...] = ()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: int) -> int | None:
        for number, record in enumerate(self._rows):
            if record.id == record_id:
                return number
        return None

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def cells(self, record: Any) -> tuple[str, ...]:
        raise NotImplementedError

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.record(index.row()) if index.isValid() else None
        if record is None or not 0 <= index.column() < len(self.HEADERS):
            return None
        if role == RecordIdRole:
            return record.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(record)[index.column()]
        return None


class PatientTableModel(_RecordModel):
    HEADERS = ("Name", "Date of birth", "Phone")

    def cells(self, patient: Patient) -> tuple[str, ...]:
        return (patient.name, date_text(patient.date_of_birth), patient.phone or "—")


class PrescriptionTableModel(_RecordModel):
    HEADERS = ("Rx number", "Written", "Dose", "Quantity", "Prescriber", "Directions")

    def cells(self, rx: Prescription) -> tuple[str, ...]:
        supply = "" if rx.days_supply is None else f" ({count_text(rx.days_supply, 'day')})"
        # None typed: the label writes them when it prints (a titration: the current phase).
        written = rx.directions or "(written on the label from the dose)"
        directions = written + (f"\nTitration: {rx.titration}" if rx.titration else "")
        return (
            rx.rx_number,
            date_text(rx.written_on),
            rx.dose,
            (rx.quantity or "—") + supply,
            rx.prescriber,
            directions,
        )
