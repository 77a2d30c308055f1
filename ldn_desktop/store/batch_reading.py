"""Reading compounding records: one batch in full, the paged batch table, recall, audit."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from ldn_desktop.store import audit
from ldn_desktop.store.base import StoreBase, parse_date, parse_time
from ldn_desktop.store.errors import InvalidField, NotFound
from ldn_desktop.store.lots import lot_from_row
from ldn_desktop.store.records import (
    AuditEntry,
    AuditVerification,
    Batch,
    BatchComponent,
    BatchPage,
    BatchQuery,
    BatchSort,
    BatchState,
    BatchSummary,
    Deviation,
    QualityCheck,
    RecalledBatch,
    RecallTrace,
    Signature,
    SignatureMeaning,
)
from ldn_desktop.store.schema import ADDED_COLUMNS, patient_key

#: Batch columns a signature does not cover: the state moves on after signing by design.
UNSIGNED_COLUMNS = ("state", "reject_reason", "printed_at", "last_printed_at", "patient_key")
MAX_PAGE = 1000
_TOP = "\U0010ffff"  # above every character: the end of a prefix range

_BATCH_COLUMNS = (
    "b.id, b.lot_number, b.state, b.formula_id, f.code, f.version, f.name, b.prescription_id, "
    "b.patient_name, b.rx_number, b.calculation_json, b.units_made, b.unit, b.compounded_on, "
    "b.bud, b.bud_basis, b.storage, b.reject_reason, b.printed_at, b.created_by, b.created_at, "
    "b.last_printed_at"
)
_SUMMARY_COLUMNS = (
    "b.id, b.lot_number, b.state, f.name, b.patient_name, b.rx_number, b.compounded_on, b.bud, "
    "b.units_made, b.unit"
)
_SORT_COLUMNS = {
    BatchSort.COMPOUNDED_ON: "b.compounded_on",
    BatchSort.LOT_NUMBER: "b.lot_number",
    BatchSort.PATIENT: "b.patient_key",
    BatchSort.RX_NUMBER: "b.rx_number",
    BatchSort.STATE: "b.state",
    BatchSort.BUD: "b.bud",
}


class BatchReadingMixin(StoreBase):
    def batch(self, batch_id: int) -> Batch:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_BATCH_COLUMNS} FROM batches b JOIN formulas f ON f.id = b.formula_id "
                "WHERE b.id = ?",
                (batch_id,),
            ).fetchone()
            if row is None:
                raise NotFound(f"There is no batch {batch_id}.")
            current_hash = self._record_hash(batch_id)
            components = tuple(
                BatchComponent(
                    id=int(r[0]),
                    lot_id=None if r[1] is None else int(r[1]),
                    lot_number=r[2] or "",
                    ingredient_name=r[3] or "",
                    supplier=r[4] or "",
                    expiry=parse_date(r[5]),
                    planned=Decimal(r[6]),
                    unit=r[7],
                    actual=None if r[8] is None else Decimal(r[8]),
                    what=r[9],
                )
                for r in conn.execute(
                    "SELECT c.id, c.lot_id, l.lot_number, i.name, l.supplier, l.expiry, "
                    "c.planned, c.unit, c.actual, c.what FROM batch_components c "
                    "LEFT JOIN lots l ON l.id = c.lot_id "
                    "LEFT JOIN ingredients i ON i.id = l.ingredient_id "
                    "WHERE c.batch_id = ? AND c.removed = 0 ORDER BY c.id",
                    (batch_id,),
                )
            )
            checks = tuple(
                QualityCheck(int(r[0]), r[1], r[2], r[3], bool(r[4]), r[5], _time(r[6]))
                for r in conn.execute(
                    "SELECT id, name, expected, result, passed, checked_by, checked_at "
                    "FROM quality_checks WHERE batch_id = ? ORDER BY id",
                    (batch_id,),
                )
            )
            deviations = tuple(
                Deviation(int(r[0]), r[1], r[2], _time(r[3]))
                for r in conn.execute(
                    "SELECT id, text, recorded_by, recorded_at FROM deviations "
                    "WHERE batch_id = ? ORDER BY id",
                    (batch_id,),
                )
            )
            signatures = tuple(
                Signature(
                    id=int(r[0]),
                    batch_id=batch_id,
                    user_id=int(r[1]),
                    printed_name=r[2],
                    meaning=SignatureMeaning(r[3]),
                    signed_at=_time(r[4]),
                    record_hash=r[5],
                    valid=r[5] == current_hash,
                )
                for r in conn.execute(
                    "SELECT id, user_id, printed_name, meaning, signed_at, record_hash "
                    "FROM signatures WHERE batch_id = ? ORDER BY id",
                    (batch_id,),
                )
            )
        compounded_on = parse_date(row[13])
        assert compounded_on is not None
        return Batch(
            id=int(row[0]),
            lot_number=row[1],
            state=BatchState(row[2]),
            formula_id=int(row[3]),
            formula_code=row[4],
            formula_version=int(row[5]),
            formula_name=row[6],
            prescription_id=row[7],
            patient_name=row[8],
            rx_number=row[9],
            calculation_json=row[10],
            units_made=Decimal(row[11]),
            unit=row[12],
            compounded_on=compounded_on,
            bud=parse_date(row[14]),
            bud_basis=row[15],
            storage=row[16],
            components=components,
            quality_checks=checks,
            deviations=deviations,
            signatures=signatures,
            reject_reason=row[17],
            printed_at=parse_time(row[18]),
            created_by=row[19],
            created_at=parse_time(row[20]),
            last_printed_at=parse_time(row[21]),
        )

    def batch_by_lot(self, lot_number: str) -> Batch:
        row = self._conn.execute(
            "SELECT id FROM batches WHERE lot_number = ?", (lot_number.strip(),)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no batch with lot number {lot_number.strip()}.")
        return self.batch(int(row[0]))

    def search_batches(self, query: BatchQuery) -> BatchPage:
        if not 1 <= query.limit <= MAX_PAGE or query.offset < 0:
            raise InvalidField("page", f"limit must be 1 to {MAX_PAGE}, offset 0 or more")
        where: list[str] = []
        params: list[Any] = []
        if query.patient.strip():
            key = patient_key(query.patient)
            where.append("b.patient_key >= ? AND b.patient_key < ?")
            params += [key, key + _TOP]
        if query.rx_number.strip():
            rx = query.rx_number.strip()
            where.append("b.rx_number >= ? AND b.rx_number < ?")
            params += [rx, rx + _TOP]
        if query.lot_number.strip():
            lot = query.lot_number.strip()
            where.append(
                "(b.lot_number = ? OR b.id IN (SELECT c.batch_id FROM lots l "
                "JOIN batch_components c ON c.lot_id = l.id "
                "WHERE l.lot_number = ? AND c.removed = 0))"
            )
            params += [lot, lot]
        if query.date_from is not None:
            where.append("b.compounded_on >= ?")
            params.append(query.date_from.isoformat())
        if query.date_to is not None:
            where.append("b.compounded_on <= ?")
            params.append(query.date_to.isoformat())
        if query.state is not None:
            where.append("b.state = ?")
            params.append(BatchState(query.state).value)
        condition = " AND ".join(where) or "1"
        direction = "DESC" if query.descending else "ASC"
        order = f"{_SORT_COLUMNS[BatchSort(query.sort)]} {direction}, b.id {direction}"
        with self._read() as conn:
            total = int(
                conn.execute(
                    f"SELECT count(*) FROM batches b WHERE {condition}", params
                ).fetchone()[0]
            )
            # The page's ids first (from the index alone), then their rows: a deep page
            # does not read the rows it skips.
            rows = conn.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM batches b JOIN formulas f ON f.id = b.formula_id "
                f"WHERE b.id IN (SELECT b.id FROM batches b WHERE {condition} "
                f"ORDER BY {order} LIMIT ? OFFSET ?) ORDER BY {order}",
                [*params, query.limit, query.offset],
            ).fetchall()
        return BatchPage(
            rows=tuple(
                BatchSummary(
                    id=int(r[0]),
                    lot_number=r[1],
                    state=BatchState(r[2]),
                    formula_name=r[3],
                    patient_name=r[4],
                    rx_number=r[5],
                    compounded_on=date.fromisoformat(r[6]),
                    bud=parse_date(r[7]),
                    units_made=Decimal(r[8]),
                    unit=r[9],
                )
                for r in rows
            ),
            total=total,
            offset=query.offset,
            limit=query.limit,
        )

    def recall_trace(self, lot_number: str) -> RecallTrace:
        number = lot_number.strip()
        with self._read() as conn:
            lots = tuple(
                lot_from_row(r)
                for r in conn.execute(
                    "SELECT l.id, l.ingredient_id, i.name, l.supplier, l.lot_number, l.expiry, "
                    "l.assay_percent, l.water_percent, l.status, l.received_on, l.status_reason "
                    "FROM lots l JOIN ingredients i ON i.id = l.ingredient_id "
                    "WHERE l.lot_number = ? ORDER BY l.id",
                    (number,),
                )
            )
            rows = conn.execute(
                "SELECT DISTINCT b.id, b.lot_number, b.state, b.compounded_on, b.bud, "
                "b.patient_name, p.date_of_birth, b.rx_number, b.units_made, b.unit "
                "FROM lots l JOIN batch_components c ON c.lot_id = l.id AND c.removed = 0 "
                "JOIN batches b ON b.id = c.batch_id "
                "LEFT JOIN prescriptions r ON r.id = b.prescription_id "
                "LEFT JOIN patients p ON p.id = r.patient_id "
                "WHERE l.lot_number = ? ORDER BY b.compounded_on, b.id",
                (number,),
            ).fetchall()
        batches = tuple(
            RecalledBatch(
                batch_id=int(r[0]),
                lot_number=r[1],
                state=BatchState(r[2]),
                compounded_on=date.fromisoformat(r[3]),
                bud=parse_date(r[4]),
                patient_name=r[5],
                patient_date_of_birth=parse_date(r[6]),
                rx_number=r[7],
                units_made=Decimal(r[8]),
                unit=r[9],
            )
            for r in rows
        )
        return RecallTrace(lots=lots, batches=batches)

    def audit_entries(
        self, *, table: str | None = None, row_id: int | None = None, limit: int = 500
    ) -> tuple[AuditEntry, ...]:
        where: list[str] = ["1"]
        params: list[object] = []
        if table is not None:
            where.append("table_name = ?")
            params.append(table)
        if row_id is not None:
            where.append("row_id = ?")
            params.append(row_id)
        rows = self._conn.execute(
            "SELECT id, at, username, table_name, row_id, action, old, new, hash FROM audit "
            f"WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        return tuple(
            AuditEntry(int(r[0]), _time(r[1]), r[2], r[3], int(r[4]), r[5], r[6], r[7], r[8])
            for r in rows
        )

    def verify_audit(self) -> AuditVerification:
        with self._read() as conn:
            return audit.verify(conn)

    def _record_hash(self, batch_id: int) -> str:
        """SHA-256 of what a signature vouches for: the batch, its lots, weights and checks."""
        conn = self._conn
        row = json.loads(audit.snapshot(conn, "batches", batch_id))
        for column in UNSIGNED_COLUMNS:
            row.pop(column, None)
        parts: dict[str, Any] = {"batch": row}
        for table in ("batch_components", "quality_checks", "deviations"):
            ids = conn.execute(
                f"SELECT id FROM {table} WHERE batch_id = ? ORDER BY id", (batch_id,)
            ).fetchall()
            parts[table] = [
                _as_signed(table, json.loads(audit.snapshot(conn, table, int(i[0])))) for i in ids
            ]
        text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _as_signed(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A column added after signatures were made counts only when it holds something new,
    so a record signed before the upgrade still matches its signature."""
    for column, old_value in ADDED_COLUMNS.get(table, {}).items():
        if row.get(column) == old_value:
            row.pop(column, None)
    return row


def _time(text: str) -> Any:
    moment = parse_time(text)
    assert moment is not None
    return moment
