"""The audit trail: an append-only, hash-chained log of every change to a clinical table.

Each entry holds who, when (UTC), which row, and its old and new values as canonical JSON, and
`hash = SHA-256(previous hash ‖ entry)`. Triggers refuse UPDATE and DELETE on the table. The
verify walks the chain and then compares every clinical row with its last audited state, so an
edit made behind the app's back (even with the triggers dropped) is found and named.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from ldn_desktop.store.records import AuditVerification
from ldn_desktop.store.schema import ADDED_COLUMNS, AUDITED_TABLES, NOT_AUDITED_COLUMNS

GENESIS = "0" * 64


def snapshot(conn: sqlite3.Connection, table: str, row_id: int) -> str:
    """The row as canonical JSON ("" when there is no such row)."""
    cursor = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    row = cursor.fetchone()
    if row is None:
        return ""
    names = [d[0] for d in cursor.description]
    return canonical(table, dict(zip(names, row, strict=True)))


def canonical(table: str, row: dict[str, Any]) -> str:
    skip = NOT_AUDITED_COLUMNS.get(table, frozenset())
    values = {k: v for k, v in row.items() if k not in skip}
    if "password_hash" in values:  # never copy a password hash into the log; its digest will do
        values["password_hash"] = hashlib.sha256(str(values["password_hash"]).encode()).hexdigest()
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(
    prev_hash: str,
    at: str,
    user_id: int | None,
    username: str,
    table: str,
    row_id: int,
    action: str,
    old: str,
    new: str,
) -> str:
    body = json.dumps(
        [at, user_id, username, table, row_id, action, old, new],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + "\x1f" + body).encode("utf-8")).hexdigest()


def head(conn: sqlite3.Connection) -> str:
    """The latest hash of the chain (GENESIS for an empty trail)."""
    row = conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return GENESIS if row is None else str(row[0])


def append(
    conn: sqlite3.Connection,
    *,
    at: str,
    user_id: int | None,
    username: str,
    table: str,
    row_id: int,
    action: str,
    old: str,
    new: str,
) -> None:
    """Add one entry; call inside the transaction that made the change."""
    prev = head(conn)
    digest = entry_hash(prev, at, user_id, username, table, row_id, action, old, new)
    conn.execute(
        "INSERT INTO audit (at, user_id, username, table_name, row_id, action, old, new, "
        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (at, user_id, username, table, row_id, action, old, new, prev, digest),
    )


def verify(conn: sqlite3.Connection) -> AuditVerification:
    """Check the chain, then every clinical row against its last audited state."""
    last_state: dict[tuple[str, int], str] = {}
    prev = GENESIS
    entries = 0
    cursor = conn.execute(
        "SELECT id, at, user_id, username, table_name, row_id, action, old, new, prev_hash, hash "
        "FROM audit ORDER BY id"
    )
    for (
        entry_id,
        at,
        user_id,
        username,
        table,
        row_id,
        action,
        old,
        new,
        prev_hash,
        digest,
    ) in cursor:
        entries += 1
        expected = entry_hash(prev, at, user_id, username, table, row_id, action, old, new)
        if prev_hash != prev or digest != expected:
            return AuditVerification(
                ok=False,
                entries_checked=entries,
                rows_checked=0,
                problem=f"audit entry {entry_id} ({action} of {table} row {row_id}, {at}) "
                "has been altered, or an entry before it was removed",
                broken_table="audit",
                broken_row_id=int(entry_id),
            )
        prev = digest
        last_state[(table, int(row_id))] = new
    audited: dict[str, set[int]] = {table: set() for table in AUDITED_TABLES}
    for table, row_id in last_state:
        audited.setdefault(table, set()).add(row_id)
    rows = 0
    for table in AUDITED_TABLES:
        cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id")
        names = [d[0] for d in cursor.description]
        seen: set[int] = set()
        for values in cursor:
            rows += 1
            row = dict(zip(names, values, strict=True))
            row_id = int(row["id"])
            seen.add(row_id)
            recorded = last_state.get((table, row_id))
            if recorded is None:
                return _broken(entries, rows, table, row_id, "has no entry in the audit trail")
            now = canonical(table, row)
            if now != recorded and now != upgraded(table, recorded):
                changed = _changed_columns(recorded, row, table)
                return _broken(
                    entries,
                    rows,
                    table,
                    row_id,
                    f"was changed outside the app (column {', '.join(changed)} differs from "
                    "its last audited value)",
                )
        missing = sorted(audited[table] - seen)
        if missing:
            return _broken(entries, rows, table, missing[0], "was deleted outside the app")
    return AuditVerification(ok=True, entries_checked=entries, rows_checked=rows)


def upgraded(table: str, recorded: str) -> str:
    """An entry written before a column was added, read with that column at its old value."""
    added = ADDED_COLUMNS.get(table)
    if not added or not recorded:
        return recorded
    values = json.loads(recorded)
    for column, value in added.items():
        values.setdefault(column, value)
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _changed_columns(recorded: str, row: dict[str, Any], table: str) -> list[str]:
    before = json.loads(upgraded(table, recorded))
    now = json.loads(canonical(table, row))
    names = sorted(set(before) | set(now))
    return [n for n in names if before.get(n) != now.get(n)] or ["?"]


def _broken(entries: int, rows: int, table: str, row_id: int, what: str) -> AuditVerification:
    return AuditVerification(
        ok=False,
        entries_checked=entries,
        rows_checked=rows,
        problem=f"{table} row {row_id} {what}",
        broken_table=table,
        broken_row_id=row_id,
    )
