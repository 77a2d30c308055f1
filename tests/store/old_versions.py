"""Databases as older versions of the app saved them, built by running only the old migrations.

One builder per older schema version. Each writes a small pharmacy the way that version did
(rows plus their audit entries), so the test can open it with today's store.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ldn_desktop.store import audit
from ldn_desktop.store.passwords import hash_password
from ldn_desktop.store.schema import migrate

AT = "2025-03-01T09:00:00.000000+00:00"


def _insert(conn: sqlite3.Connection, table: str, values: dict[str, Any], at: str = AT) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values())
    )
    row_id = int(cursor.lastrowid or 0)
    _audit(conn, table, row_id, "insert", "", at)
    return row_id


def _update(
    conn: sqlite3.Connection, table: str, row_id: int, changes: dict[str, Any], action: str, at: str
) -> None:
    old = audit.snapshot(conn, table, row_id)
    assignments = ", ".join(f"{column} = ?" for column in changes)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id))
    _audit(conn, table, row_id, action, old, at)


def _audit(
    conn: sqlite3.Connection, table: str, row_id: int, action: str, old: str, at: str
) -> None:
    audit.append(
        conn,
        at=at,
        user_id=None,
        username="system",
        table=table,
        row_id=row_id,
        action=action,
        old=old,
        new=audit.snapshot(conn, table, row_id),
    )


def build_v1(path: Path, password: str, scrypt_n: int) -> None:
    """Schema 1 (LDN Desktop 0.1): no patient search key yet."""
    _build(path, password, scrypt_n, 1)


def build_v2(path: Path, password: str, scrypt_n: int, *, signed: bool = False) -> None:
    """Schema 2: the patient search key; every component has a lot and no weighing name.

    `signed`: the batch is compounded, signed over the record as schema 2 hashed it.
    """
    _build(path, password, scrypt_n, 2, signed=signed)


def build_v3(path: Path, password: str, scrypt_n: int, *, filled: bool = False) -> None:
    """Schema 3: weighings named (`what`); `printed_at` overwritten by every reprint and no
    recorded first fill. `filled`: a titration prescription with the history of its fills
    (see `add_fill_history`)."""
    _build(path, password, scrypt_n, 3, filled=filled)


#: The fill history `build_v3(filled=True)` writes for prescription RX-OLD-10 (UTC times).
REJECTED_PRINT = "2025-03-02T08:00:00.000000+00:00"  # a batch printed, then rejected
FIRST_PRINT = "2025-03-03T10:00:00.000000+00:00"  # day 1: the first final label printed
DISPENSED = "2025-03-03T16:00:00.000000+00:00"
REPRINT = "2025-03-24T10:00:00.000000+00:00"  # three weeks later, the label reprinted


def _build(
    path: Path,
    password: str,
    scrypt_n: int,
    version: int,
    *,
    signed: bool = False,
    filled: bool = False,
) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=version)
    conn.execute("BEGIN")
    _insert(
        conn,
        "pharmacy",
        {
            "id": 1,
            "name": "Old Town Pharmacy",
            "address": "",
            "phone": "",
            "licence_number": "OT-1",
        },
    )
    for username, role in (
        ("olga", "pharmacist"),
        ("otto", "technician"),
        ("root", "administrator"),
    ):
        _insert(
            conn,
            "users",
            {
                "username": username,
                "full_name": username.title(),
                "role": role,
                "password_hash": hash_password(password, n=scrypt_n),
                "active": 1,
                "failed_attempts": 0,
                "locked_until": None,
                "created_at": AT,
            },
        )
    formula = _insert(
        conn,
        "formulas",
        {
            "code": "ldn-capsules-mcc",
            "version": 1,
            "name": "LDN capsules",
            "dosage_form": "capsule",
            "strength": "per prescription",
            "preparation_type": "capsule",
            "components_json": json.dumps(
                [
                    {
                        "ingredient": "Naltrexone hydrochloride",
                        "role": "active",
                        "amount": "per calculation",
                        "characteristics": "",
                    }
                ]
            ),
            "steps_json": json.dumps(["Weigh", "Mix", "Fill"]),
            "equipment_json": "[]",
            "container": "",
            "storage": "room temperature",
            "bud_reference": "USP <795>",
            "stability_days": None,
            "stability_reference": "",
            "quality_checks_json": "[]",
            "change_reason": "seed",
            "created_at": AT,
            "created_by": "system",
        },
    )
    ingredient = _insert(
        conn,
        "ingredients",
        {
            "name": "Naltrexone hydrochloride",
            "kind": "api",
            "salt_form": "hydrochloride",
            "grade": "USP",
        },
    )
    lot = _insert(
        conn,
        "lots",
        {
            "ingredient_id": ingredient,
            "supplier": "Medisca",
            "lot_number": "OLD-LOT-1",
            "expiry": "2030-01-31",
            "assay_percent": "99.1",
            "water_percent": None,
            "status": "released",
            "status_reason": "released",
            "received_on": "2025-02-01",
        },
    )
    patient = _insert(
        conn,
        "patients",
        {"name": "Émile Zola", "date_of_birth": "1940-04-02", "address": "", "phone": ""},
    )
    rx = _insert(
        conn,
        "prescriptions",
        {
            "patient_id": patient,
            "rx_number": "RX-OLD-9",
            "prescriber": "Dr Old",
            "dose": "1.5 mg",
            "titration": "",
            "directions": "Take 1 capsule at bedtime",
            "quantity": "30 capsules",
            "days_supply": 30,
            "written_on": "2025-02-28",
        },
    )
    batch = _insert(
        conn,
        "batches",
        {
            "lot_number": "250301-0001",
            "state": "compounded" if signed else "draft",
            "formula_id": formula,
            "prescription_id": rx,
            "patient_name": "Émile Zola",
            "rx_number": "RX-OLD-9",
            "calculation_json": "{}",
            "units_made": "33",
            "unit": "capsules",
            "compounded_on": "2025-03-01",
            "bud": "2025-08-28",
            "bud_basis": "USP <795>",
            "storage": "room temperature",
            "reject_reason": "",
            "printed_at": None,
            "created_by": "otto",
            "created_at": AT,
            **({"patient_key": "emile zola"} if version >= 2 else {}),
        },
    )
    component = _insert(
        conn,
        "batch_components",
        {
            "batch_id": batch,
            "lot_id": lot,
            "planned": "49.5",
            "unit": "mg",
            "actual": "49.6",
            "removed": 0,
        },
    )
    if signed:
        # Signed as compounded by otto over the record as this version hashed it.
        state = json.loads(audit.snapshot(conn, "batches", batch))
        for column in ("state", "reject_reason", "printed_at", "patient_key"):
            state.pop(column, None)
        parts = {
            "batch": state,
            "batch_components": [json.loads(audit.snapshot(conn, "batch_components", component))],
            "quality_checks": [],
            "deviations": [],
        }
        text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        _insert(
            conn,
            "signatures",
            {
                "batch_id": batch,
                "user_id": 2,
                "printed_name": "Otto",
                "meaning": "compounded",
                "signed_at": AT,
                "record_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            },
        )
    if filled:
        add_fill_history(conn, patient, formula)
    conn.execute("COMMIT")
    conn.close()


def add_fill_history(conn: sqlite3.Connection, patient: int, formula: int) -> None:
    """RX-OLD-10, a titration: batch -0002 printed and rejected, batch -0003 printed (day 1),
    dispensed, and reprinted three weeks later (which overwrote its `printed_at`);
    RX-OLD-11 has a verified batch never printed."""

    def rx(number: str) -> int:
        return _insert(
            conn,
            "prescriptions",
            {
                "patient_id": patient,
                "rx_number": number,
                "prescriber": "Dr Old",
                "dose": "4.5 mg",
                "titration": "1.5 mg for 14 days, then 3 mg for 14 days, then 4.5 mg",
                "directions": "",
                "quantity": "",
                "days_supply": 42,
                "written_on": "2025-02-28",
            },
        )

    def batch(rx_id: int, lot: str, state: str) -> int:
        return _insert(
            conn,
            "batches",
            {
                "lot_number": lot,
                "state": state,
                "formula_id": formula,
                "prescription_id": rx_id,
                "patient_name": "Émile Zola",
                "rx_number": "RX-OLD-10" if rx_id == titration else "RX-OLD-11",
                "calculation_json": "{}",
                "units_made": "42",
                "unit": "capsules",
                "compounded_on": "2025-03-01",
                "bud": "2025-08-28",
                "bud_basis": "USP <795>",
                "storage": "room temperature",
                "reject_reason": "",
                "printed_at": None,
                "created_by": "otto",
                "created_at": AT,
                "patient_key": "emile zola",
            },
        )

    titration = rx("RX-OLD-10")
    rejected = batch(titration, "250301-0002", "verified")
    _update(conn, "batches", rejected, {"printed_at": REJECTED_PRINT}, "printed", REJECTED_PRINT)
    _update(
        conn,
        "batches",
        rejected,
        {"state": "rejected", "reject_reason": "label smudged"},
        "rejected",
        REJECTED_PRINT,
    )
    filled = batch(titration, "250301-0003", "verified")
    _update(conn, "batches", filled, {"printed_at": FIRST_PRINT}, "printed", FIRST_PRINT)
    _update(conn, "batches", filled, {"state": "dispensed"}, "dispensed", DISPENSED)
    _update(conn, "batches", filled, {"printed_at": REPRINT}, "printed", REPRINT)
    batch(rx("RX-OLD-11"), "250301-0004", "verified")


BUILDERS: dict[int, Callable[[Path, str, int], None]] = {1: build_v1, 2: build_v2, 3: build_v3}
