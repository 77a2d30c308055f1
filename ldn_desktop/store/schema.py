"""The schema, as ordered migration steps. `PRAGMA user_version` is the schema version.

Each step runs in one transaction together with its version bump, so a crash leaves the
database at the old version or the new one, never between. Never edit a released step: add one.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

#: Clinical tables: audited, never deleted from. Order = the order verify checks them in.
AUDITED_TABLES = (
    "pharmacy",
    "settings",
    "users",
    "formulas",
    "ingredients",
    "lots",
    "patients",
    "prescriptions",
    "batches",
    "batch_components",
    "quality_checks",
    "deviations",
    "signatures",
)

#: Columns left out of the audit snapshot: sign-in counters change on every failed sign-in,
#: and patient_key is derived from patient_name (for searching) by the store itself.
NOT_AUDITED_COLUMNS = {
    "users": frozenset({"failed_attempts", "locked_until"}),
    "batches": frozenset({"patient_key"}),
}

_V1 = """
CREATE TABLE pharmacy (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL, address TEXT NOT NULL, phone TEXT NOT NULL,
    licence_number TEXT NOT NULL
);
CREATE TABLE settings (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    value TEXT NOT NULL
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('technician', 'pharmacist', 'administrator')),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE formulas (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    dosage_form TEXT NOT NULL,
    strength TEXT NOT NULL,
    preparation_type TEXT NOT NULL,
    components_json TEXT NOT NULL,
    steps_json TEXT NOT NULL,
    equipment_json TEXT NOT NULL,
    container TEXT NOT NULL,
    storage TEXT NOT NULL,
    bud_reference TEXT NOT NULL,
    stability_days INTEGER,
    stability_reference TEXT NOT NULL,
    quality_checks_json TEXT NOT NULL,
    change_reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (code, version)
);
CREATE TABLE ingredients (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL,
    salt_form TEXT NOT NULL,
    grade TEXT NOT NULL
);
CREATE TABLE lots (
    id INTEGER PRIMARY KEY,
    ingredient_id INTEGER NOT NULL REFERENCES ingredients (id),
    supplier TEXT NOT NULL,
    lot_number TEXT NOT NULL,
    expiry TEXT NOT NULL,
    assay_percent TEXT,
    water_percent TEXT,
    status TEXT NOT NULL CHECK (status IN ('quarantined', 'released', 'recalled', 'expired')),
    status_reason TEXT NOT NULL,
    received_on TEXT NOT NULL,
    UNIQUE (ingredient_id, supplier, lot_number)
);
CREATE INDEX lots_by_number ON lots (lot_number);
CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    date_of_birth TEXT,
    address TEXT NOT NULL,
    phone TEXT NOT NULL
);
CREATE TABLE prescriptions (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    rx_number TEXT NOT NULL,
    prescriber TEXT NOT NULL,
    dose TEXT NOT NULL,
    titration TEXT NOT NULL,
    directions TEXT NOT NULL,
    quantity TEXT NOT NULL,
    days_supply INTEGER,
    written_on TEXT
);
CREATE INDEX prescriptions_by_patient ON prescriptions (patient_id);
CREATE INDEX prescriptions_by_rx ON prescriptions (rx_number);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    lot_number TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL
        CHECK (state IN ('draft', 'compounded', 'verified', 'dispensed', 'rejected')),
    formula_id INTEGER NOT NULL REFERENCES formulas (id),
    prescription_id INTEGER REFERENCES prescriptions (id),
    patient_name TEXT NOT NULL,
    rx_number TEXT NOT NULL,
    calculation_json TEXT NOT NULL,
    units_made TEXT NOT NULL,
    unit TEXT NOT NULL,
    compounded_on TEXT NOT NULL,
    bud TEXT,
    bud_basis TEXT NOT NULL,
    storage TEXT NOT NULL,
    reject_reason TEXT NOT NULL,
    printed_at TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE batch_components (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches (id),
    lot_id INTEGER NOT NULL REFERENCES lots (id),
    planned TEXT NOT NULL,
    unit TEXT NOT NULL,
    actual TEXT,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX components_by_batch ON batch_components (batch_id);
CREATE INDEX components_by_lot ON batch_components (lot_id);
CREATE TABLE quality_checks (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches (id),
    name TEXT NOT NULL, expected TEXT NOT NULL, result TEXT NOT NULL,
    passed INTEGER NOT NULL,
    checked_by TEXT NOT NULL, checked_at TEXT NOT NULL
);
CREATE INDEX checks_by_batch ON quality_checks (batch_id);
CREATE TABLE deviations (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches (id),
    text TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL
);
CREATE INDEX deviations_by_batch ON deviations (batch_id);
CREATE TABLE signatures (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    printed_name TEXT NOT NULL,
    meaning TEXT NOT NULL CHECK (meaning IN ('compounded', 'verified')),
    signed_at TEXT NOT NULL,
    record_hash TEXT NOT NULL
);
CREATE INDEX signatures_by_batch ON signatures (batch_id);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    old TEXT NOT NULL,
    new TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_row ON audit (table_name, row_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
-- A BUD never passes a component's expiry (USP <795>): enforced by the database itself.
CREATE TRIGGER batch_bud_within_expiry BEFORE UPDATE OF bud ON batches
WHEN NEW.bud IS NOT NULL AND EXISTS (
    SELECT 1 FROM batch_components c JOIN lots l ON l.id = c.lot_id
    WHERE c.batch_id = NEW.id AND c.removed = 0 AND l.expiry < NEW.bud)
BEGIN SELECT RAISE(ABORT, 'bud-after-component-expiry'); END;
CREATE TRIGGER component_expiry_covers_bud BEFORE INSERT ON batch_components
WHEN EXISTS (
    SELECT 1 FROM batches b, lots l
    WHERE b.id = NEW.batch_id AND l.id = NEW.lot_id AND b.bud IS NOT NULL AND l.expiry < b.bud)
BEGIN SELECT RAISE(ABORT, 'bud-after-component-expiry'); END;
CREATE TRIGGER component_lot_usable BEFORE INSERT ON batch_components
WHEN (SELECT l.status != 'released' OR l.expiry < b.compounded_on
      FROM lots l, batches b WHERE l.id = NEW.lot_id AND b.id = NEW.batch_id)
BEGIN SELECT RAISE(ABORT, 'lot-not-usable'); END;
CREATE TRIGGER lot_expiry_covers_buds BEFORE UPDATE OF expiry ON lots
WHEN EXISTS (
    SELECT 1 FROM batch_components c JOIN batches b ON b.id = c.batch_id
    WHERE c.lot_id = NEW.id AND c.removed = 0 AND b.bud IS NOT NULL AND NEW.expiry < b.bud)
BEGIN SELECT RAISE(ABORT, 'bud-after-component-expiry'); END;
"""

_NO_DELETE = """
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
"""


def _v1_tables(conn: sqlite3.Connection) -> None:
    """Version 1: the records, the audit table and the rules the database enforces itself."""
    for statement in _split(_V1 + "".join(_NO_DELETE.format(table=t) for t in AUDITED_TABLES)):
        conn.execute(statement)


def _v2_batch_search(conn: sqlite3.Connection) -> None:
    """Version 2: an instant batch table at 100,000 rows.

    A case-folded patient key (SQLite's NOCASE folds ASCII only, and names are not ASCII)
    and indexes for each way the table is searched and sorted.
    """
    conn.execute("ALTER TABLE batches ADD COLUMN patient_key TEXT NOT NULL DEFAULT ''")
    rows = conn.execute("SELECT id, patient_name FROM batches").fetchall()
    conn.executemany(
        "UPDATE batches SET patient_key = ? WHERE id = ?",
        [(patient_key(name), batch_id) for batch_id, name in rows],
    )
    for statement in (
        "CREATE INDEX batches_by_date ON batches (compounded_on, id)",
        "CREATE INDEX batches_by_patient ON batches (patient_key, compounded_on)",
        "CREATE INDEX batches_by_rx ON batches (rx_number, compounded_on)",
        "CREATE INDEX batches_by_state ON batches (state, compounded_on)",
        "CREATE INDEX batches_by_bud ON batches (bud)",
        "CREATE INDEX patients_by_name ON patients (name COLLATE NOCASE)",
    ):
        conn.execute(statement)


#: Columns added to an audited table after rows were written: (column, value the older rows
#: hold). Audit entries written before the column existed lack it, and a signature made then
#: did not cover it, so both read a missing column as this value (see audit.verify and the
#: batch record hash): an upgrade neither breaks the audit check nor voids a signature.
ADDED_COLUMNS: dict[str, dict[str, object]] = {
    "batch_components": {"what": ""},
    "prescriptions": {"first_filled_on": None, "first_fill_batch_id": None},
    "batches": {"last_printed_at": None},
}

_V3_COMPONENTS = """
CREATE TABLE batch_components_v3 (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches (id),
    lot_id INTEGER REFERENCES lots (id),
    what TEXT NOT NULL DEFAULT '',
    planned TEXT NOT NULL,
    unit TEXT NOT NULL,
    actual TEXT,
    removed INTEGER NOT NULL DEFAULT 0,
    CHECK (lot_id IS NOT NULL OR what != '')
);
INSERT INTO batch_components_v3 (id, batch_id, lot_id, what, planned, unit, actual, removed)
    SELECT id, batch_id, lot_id, '', planned, unit, actual, removed FROM batch_components;
DROP TABLE batch_components;
ALTER TABLE batch_components_v3 RENAME TO batch_components;
CREATE INDEX components_by_batch ON batch_components (batch_id);
CREATE INDEX components_by_lot ON batch_components (lot_id);
"""

#: Triggers naming batch_components: dropped before the table is rebuilt, made again after.
_V3_TRIGGERS = ("batch_bud_within_expiry", "lot_expiry_covers_buds")


def _v3_intermediate_weighings(conn: sqlite3.Connection) -> None:
    """Version 3: every weighing of a trituration in the record.

    A component names its weighing (`what`: "filler for trituration 1 (1:10)"), and an
    intermediate (an aliquot of a trituration made on the bench) has no lot of its own, so
    `lot_id` may be empty when `what` is not. SQLite cannot drop NOT NULL, so the table is
    rebuilt (its triggers, and those of other tables that name it, are made again).
    """
    saved = {
        name: str(sql)
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (tbl_name = "
            "'batch_components' OR name IN (?, ?))",
            _V3_TRIGGERS,
        )
    }
    for name in saved:
        conn.execute(f"DROP TRIGGER {name}")
    for statement in _split(_V3_COMPONENTS):
        conn.execute(statement)
    for sql in saved.values():
        conn.execute(sql)


def _v4_first_fill(conn: sqlite3.Connection) -> None:
    """Version 4: a prescription's first fill is recorded once, and a batch keeps its first print.

    Day 1 of a titration was read from the batches' `printed_at`, which every reprint
    overwrote, so a reprint moved day 1. Now `prescriptions.first_filled_on` (and the batch
    that set it) is written once; `batches.printed_at` keeps the first print and
    `last_printed_at` the latest. Existing records are filled in from the audit trail, each
    change with its own audit entry (user "system"), so the chain still verifies.
    """
    from ldn_desktop.store import audit
    from ldn_desktop.store.first_fill import first_fill_from_records, first_print_from_trail

    conn.execute("ALTER TABLE prescriptions ADD COLUMN first_filled_on TEXT")
    conn.execute(
        "ALTER TABLE prescriptions ADD COLUMN first_fill_batch_id INTEGER REFERENCES batches (id)"
    )
    conn.execute("ALTER TABLE batches ADD COLUMN last_printed_at TEXT")
    # A prescription's batches are read to find its first fill (here, and on a rejection).
    conn.execute("CREATE INDEX batches_by_prescription ON batches (prescription_id)")
    at = datetime.now(UTC).isoformat(timespec="microseconds")

    def audited_update(table: str, row_id: int, changes: dict[str, object], action: str) -> None:
        old = audit.snapshot(conn, table, row_id)
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id))
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

    printed = conn.execute("SELECT id, printed_at FROM batches WHERE printed_at IS NOT NULL")
    for batch_id, last in printed.fetchall():
        first = first_print_from_trail(conn, int(batch_id)) or last
        audited_update(
            "batches",
            int(batch_id),
            {"printed_at": first, "last_printed_at": last},
            "schema 4: first and last label print times from the audit trail",
        )
    for (rx_id,) in conn.execute("SELECT id FROM prescriptions ORDER BY id").fetchall():
        fill = first_fill_from_records(conn, int(rx_id))
        if fill is not None:
            audited_update(
                "prescriptions",
                int(rx_id),
                {"first_filled_on": fill.on.isoformat(), "first_fill_batch_id": fill.batch_id},
                "schema 4: first fill from the earliest label print or dispense recorded",
            )


def patient_key(name: str) -> str:
    """How a patient's name is searched: case and accents folded, spaces collapsed.

    So "emile" finds "Émile" (a pharmacist may not type the accent), and "ZOË" finds "Zoë".
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", bare).split())


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_tables,
    _v2_batch_search,
    _v3_intermediate_weighings,
    _v4_first_fill,
)
SCHEMA_VERSION = len(MIGRATIONS)


def _split(script: str) -> list[str]:
    """Statements of a script; a trigger's body (BEGIN ... END;) stays one statement."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        if not line.strip() or line.strip().startswith("--"):
            continue
        current.append(line)
        candidate = "\n".join(current)
        if sqlite3.complete_statement(candidate):
            statements.append(candidate)
            current = []
    return statements


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, *, target: int = SCHEMA_VERSION) -> list[int]:
    """Apply the steps after the database's version up to `target`; returns the versions made.

    Each step and its `user_version` bump commit together or not at all. `target` below the
    newest version exists for the tests that build databases as older versions saved them.
    """
    done: list[int] = []
    for version in range(schema_version(conn) + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version - 1](conn)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        done.append(version)
    return done
