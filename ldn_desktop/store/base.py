"""The SQLite store's foundation: opening, transactions, error mapping and audited writes.

The record-keeping methods (users, formulas, lots, patients, batches, backups) are mixins on
top of this class; `sqlite_store.SqliteStore` puts them together.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from ldn_desktop.core.signing import action_refusal
from ldn_desktop.store import audit
from ldn_desktop.store.connection import (
    DEFAULT_BUSY_TIMEOUT_MS,
    connect,
    quick_check,
    refuse_network_share,
)
from ldn_desktop.store.errors import (
    BudAfterExpiry,
    DatabaseUnavailable,
    DuplicateRecord,
    InvalidField,
    LotNotUsable,
    NewerSchema,
    NotFound,
    PermissionRefused,
    ReadOnlyDatabase,
    RuleRefused,
    StoreError,
    environment_fault,
)
from ldn_desktop.store.records import Role, User
from ldn_desktop.store.schema import SCHEMA_VERSION, migrate, schema_version

MAX_TEXT = (
    20_000  # characters in any one field: a 10,000-character note fits, a paste of a book not
)
SYSTEM = "system"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def parse_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


class StoreBase:
    def __init__(
        self,
        path: Path,
        *,
        read_only: bool = False,
        scrypt_n: int,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        clock: Clock = utc_now,
    ) -> None:
        self._path = path
        self._scrypt_n = scrypt_n
        self._clock = clock
        self._read_only_reason = "Opened read-only on request." if read_only else ""
        refuse_network_share(path)
        existed = path.exists() and path.stat().st_size > 0
        conn = connect(path, read_only=read_only, busy_timeout_ms=busy_timeout_ms)
        if existed:
            problem = quick_check(conn)
            if problem != "ok":
                conn.close()
                conn = connect(path, read_only=True, busy_timeout_ms=busy_timeout_ms)
                read_only = True
                self._read_only_reason = (
                    f"The database is damaged ({problem}). It was opened read-only so that "
                    "nothing more is lost: restore the latest backup or call support."
                )
        self._read_only = read_only
        version = schema_version(conn)
        if version > SCHEMA_VERSION:
            conn.close()
            raise NewerSchema(
                f"The database {path} was made by a newer version of LDN Desktop (schema "
                f"{version}, this version knows {SCHEMA_VERSION}). Install the newer version; "
                "this one will not touch it."
            )
        if version < SCHEMA_VERSION:
            if read_only:
                conn.close()
                raise DatabaseUnavailable(
                    f"The database {path} was made by an older version and must be upgraded, "
                    "which cannot be done read-only."
                )
            if version > 0:
                from ldn_desktop.store.backups import backup_before_migration

                backup_before_migration(conn, path, version)
            try:
                migrate(conn)
            except sqlite3.Error as error:
                conn.close()
                raise self._fault(error) from error
        self._conn = conn
        self._db = sqlite_utils.Database(conn, execute_plugins=False)

    # --- the database itself ----------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self._path

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def read_only_reason(self) -> str:
        return self._read_only_reason

    @property
    def schema_version(self) -> int:
        return schema_version(self._conn)

    def close(self) -> None:
        self._conn.close()

    # --- transactions -----------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: everything in the block is saved, or nothing is."""
        if self._read_only:
            raise ReadOnlyDatabase(
                self._read_only_reason or "The database is open read-only: nothing can be saved."
            )
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise self._fault(error) from error
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            self._rollback()
            raise self._fault(error) from error
        except BaseException:
            self._rollback()
            raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent view for reads spanning several queries."""
        conn = self._conn
        if conn.in_transaction:  # already inside a write: that is consistent enough
            yield conn
            return
        try:
            conn.execute("BEGIN")
        except sqlite3.Error as error:
            raise self._fault(error) from error
        try:
            yield conn
        except sqlite3.Error as error:
            raise self._fault(error) from error
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _fault(self, error: sqlite3.Error) -> Exception:
        fault = environment_fault(error)
        if fault is not None:
            return fault
        text = str(error)
        if "bud-after-component-expiry" in text:
            return BudAfterExpiry(
                "The beyond-use date would be later than a component's expiry date: refused."
            )
        if "lot-not-usable" in text:
            return LotNotUsable("That lot is not released or has expired: it cannot be used.")
        if "UNIQUE constraint failed" in text:
            return DuplicateRecord(f"That record already exists ({text.split(': ')[-1]}).")
        if "records are never deleted" in text or "audit trail cannot be changed" in text:
            return RuleRefused(f"Refused: {text}.")
        return error  # our bug: let it show

    # --- audited writes ---------------------------------------------------------------------
    def _now(self) -> datetime:
        return self._clock()

    def _today(self) -> date:
        return self._clock().astimezone().date()

    def _insert(self, table: str, values: dict[str, Any], by: User | None) -> int:
        row_id = int(self._db.table(table).insert(values).last_pk)  # type: ignore[arg-type]
        self._audit(table, row_id, "insert", "", by)
        return row_id

    def _update(
        self, table: str, row_id: int, changes: dict[str, Any], by: User | None, action: str
    ) -> None:
        old = audit.snapshot(self._conn, table, row_id)
        if not old:
            raise NotFound(f"There is no {table} record {row_id}.")
        assignments = ", ".join(f"{column} = ?" for column in changes)
        self._conn.execute(
            f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id)
        )
        self._audit(table, row_id, action, old, by)

    def _audit(self, table: str, row_id: int, action: str, old: str, by: User | None) -> None:
        audit.append(
            self._conn,
            at=iso(self._now()),
            user_id=None if by is None else by.id,
            username=SYSTEM if by is None else by.username,
            table=table,
            row_id=row_id,
            action=action,
            old=old,
            new=audit.snapshot(self._conn, table, row_id),
        )

    def _actor(self, by: User, action: str | None) -> User:
        """The signed-in user as the database knows them now, if allowed to do `action`."""
        row = self._conn.execute(
            "SELECT id, username, full_name, role, active FROM users WHERE id = ?", (by.id,)
        ).fetchone()
        if row is None or not row[4]:
            raise PermissionRefused(f"The user {by.username} is not an active user.")
        user = User(int(row[0]), str(row[1]), str(row[2]), Role(row[3]), bool(row[4]))
        refusal = None if action is None else action_refusal(user.role.value, action)
        if refusal is not None:
            raise PermissionRefused(f"Refused: {refusal}.")
        return user


def text_field(
    field: str,
    value: str,
    *,
    label: str | None = None,
    required: bool = True,
    max_length: int = MAX_TEXT,
) -> str:
    """A text input as it will be stored: exactly as typed, or refused with the reason.

    Kept exactly (no trimming: a pasted name is the name); refused when empty (if required),
    too long, or containing control characters other than new lines and tabs.
    """
    if not isinstance(value, str):
        raise InvalidField(field, "must be text", label)
    if required and not value.strip():
        raise InvalidField(field, "must not be empty", label)
    if len(value) > max_length:
        raise InvalidField(
            field, f"is {len(value):,} characters long; at most {max_length:,} are kept", label
        )
    if any(ord(ch) < 32 and ch not in "\n\t\r" for ch in value) or "\x7f" in value:
        raise InvalidField(
            field, "contains control characters (a paste from another program?)", label
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidField(field, "contains characters that are not valid text", label) from error
    return value


__all__ = ["MAX_TEXT", "StoreBase", "StoreError", "text_field"]
