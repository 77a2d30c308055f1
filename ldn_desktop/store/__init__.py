"""The batch record store: formulas, lots, prescriptions and compounding records in audited SQLite.

Use it only through `open_store(path)` and the `Store` Protocol's methods; records come back as
the frozen dataclasses of `ldn_desktop.store.records`, errors as `StoreError` subclasses.
"""

from __future__ import annotations

from pathlib import Path

from ldn_desktop.store.api import Store
from ldn_desktop.store.errors import (
    AccountLocked,
    BudAfterExpiry,
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseUnavailable,
    DiskFull,
    DuplicateRecord,
    EnvironmentFault,
    InvalidField,
    LotNotUsable,
    NetworkShareRefused,
    NewerSchema,
    NotFound,
    PermissionRefused,
    ReadOnlyDatabase,
    RuleRefused,
    SignatureRefused,
    SignInRefused,
    StateRefused,
    StoreError,
)
from ldn_desktop.store.passwords import OWASP_SCRYPT_N

__all__ = [
    "AccountLocked",
    "BudAfterExpiry",
    "DatabaseDamaged",
    "DatabaseLocked",
    "DatabaseUnavailable",
    "DiskFull",
    "DuplicateRecord",
    "EnvironmentFault",
    "InvalidField",
    "LotNotUsable",
    "NetworkShareRefused",
    "NewerSchema",
    "NotFound",
    "PermissionRefused",
    "ReadOnlyDatabase",
    "RuleRefused",
    "SignInRefused",
    "SignatureRefused",
    "StateRefused",
    "Store",
    "StoreError",
    "open_store",
    "restore_backup",
]


def open_store(path: Path, *, read_only: bool = False, scrypt_n: int = OWASP_SCRYPT_N) -> Store:
    """Open (creating and migrating if needed) the database at `path`.

    Refuses a network share and a database made by a newer version of the app. A damaged
    database (quick_check fails) opens read-only, with `read_only_reason` saying so.
    `scrypt_n` is the password hashing cost for new passwords (tests pass a lower one).
    """
    from ldn_desktop.store.sqlite_store import SqliteStore

    return SqliteStore(Path(path), read_only=read_only, scrypt_n=scrypt_n)


def restore_backup(backup: Path, database: Path) -> Path | None:
    """Replace `database` with the checked backup; returns the copy kept of the old one (if any).

    The store on `database` must be closed. The backup is integrity-checked and its audit
    chain compared with its manifest before anything is replaced.
    """
    from ldn_desktop.store.backups import restore_backup as restore

    return restore(Path(backup), Path(database))
