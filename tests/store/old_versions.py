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


def _insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values())
    )
    row_id = int(cursor.lastrowid or 0)
    audit.append(
        conn,
        at=AT,
        user_id=None,
        username="system",
        table=table,
        row_id=row_id,
        action="insert",
        old="",
        new=audit.snapshot(conn, table, row_id),
    )
    return row_id


def build_v1(path: Path, password: str, scrypt_n: int) -> None:
    """Schema 1 (LDN Desktop 0.1): no patient search key yet."""
    _build(path, password, scrypt_n, 1)


def build_v2(path: Path, password: str, scrypt_n: int, *, signed: bool = False) -> None:
    """Schema 2: the patient search key; every component has a lot and no weighing name.

    `signed`: the batch is compounded, signed over the record as schema 2 hashed it.
    """
    _build(path, password, scrypt_n, 2, signed=signed)


def _build(path: Path, password: str, scrypt_n: int, version: int, *, signed: bool = False) -> None:
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
    conn.execute("COMMIT")
    conn.close()


BUILDERS: dict[int, Callable[[Path, str, int], None]] = {1: build_v1, 2: build_v2}
