"""Patients and their prescriptions as tables: what the store holds, as it holds it.

A pharmacy has hundreds to a few thousand patients and a handful of prescriptions each;
the store's search returns a bounded list, so each model holds its rows at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ldn_desktop.core.dose_text import count_text
from ldn_desktop.store.records import Patient, Prescription
from ldn_desktop.ui.batch_model import date_text
from ldn_desktop.ui.list_model import AnyIndex, ListTableModel

#: The record's id (patient or prescription), for the page's actions.
RecordIdRole = Qt.ItemDataRole.UserRole + 3


class _RecordModel(ListTableModel):
    def record(self, row: int) -> Any:
        return self.row(row)

    def row_of(self, record_id: int) -> int | None:
        for number, record in enumerate(self._rows):
            if record.id == record_id:
                return number
        return None

    def cells(self, record: Any) -> tuple[str, ...]:
        raise NotImplementedError

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
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
