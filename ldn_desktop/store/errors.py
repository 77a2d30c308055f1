"""What can go wrong in the store, split the way a pharmacist needs it.

`EnvironmentFault`: the machine's fault (disk full, database locked, damaged file, network
share, a newer app's database). Nothing the user typed is wrong; the message says what to do.
`RuleRefused`: the record would break a rule (an expired lot, verifying your own batch, an
empty name). The message says which rule. Anything else from SQLite is our bug and propagates.
"""

from __future__ import annotations

import sqlite3


class StoreError(Exception):
    """Base of every error the store raises on purpose. `message` is one clear line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- the environment's fault ---------------------------------------------------------------


class EnvironmentFault(StoreError):
    """The computer, disk or file is the problem, not the record."""


class DatabaseLocked(EnvironmentFault):
    pass


class DiskFull(EnvironmentFault):
    pass


class DatabaseDamaged(EnvironmentFault):
    pass


class ReadOnlyDatabase(EnvironmentFault):
    """A write on a database opened read-only (damaged, or opened for inspection)."""


class NetworkShareRefused(EnvironmentFault):
    pass


class NewerSchema(EnvironmentFault):
    pass


class DatabaseUnavailable(EnvironmentFault):
    """The file cannot be opened or created at all (missing folder, permissions)."""


# --- refused by a rule ---------------------------------------------------------------------


class RuleRefused(StoreError):
    """The record would break a rule; nothing was written."""


class InvalidField(RuleRefused):
    """`field` is the parameter or attribute name (for the window to focus the right input);
    the message names it in words ("patient name: must not be empty")."""

    def __init__(self, field: str, message: str, label: str | None = None) -> None:
        super().__init__(f"{label or field.replace('_', ' ')}: {message}")
        self.field = field


class NotFound(RuleRefused):
    pass


class DuplicateRecord(RuleRefused):
    pass


class LotNotUsable(RuleRefused):
    """An expired, recalled or quarantined lot offered for a batch."""


class SignatureRefused(RuleRefused):
    """Wrong password, a technician verifying, a verifier who compounded the batch."""


class BudAfterExpiry(RuleRefused):
    """A beyond-use date later than a component's expiry: never allowed."""


class StateRefused(RuleRefused):
    """The batch is not in a state that allows this (e.g. verifying a draft)."""


class SignInRefused(RuleRefused):
    pass


class AccountLocked(SignInRefused):
    pass


class PermissionRefused(RuleRefused):
    """The signed-in user's role does not allow this."""


def environment_fault(error: sqlite3.Error) -> EnvironmentFault | None:
    """The friendly fault for an SQLite error caused by the environment, or None (our bug)."""
    text = str(error).lower()
    code = getattr(error, "sqlite_errorname", "") or ""
    if code.startswith("SQLITE_FULL") or "database or disk is full" in text:
        return DiskFull(
            "The disk holding the database is full: nothing was saved. Free some space "
            "and try again."
        )
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return DatabaseLocked(
            "The database is busy (another program or window is writing to it): nothing was "
            "saved. Try again in a moment."
        )
    if code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text:
        return DatabaseDamaged(
            "The database file is damaged: nothing was saved. Restore the latest backup "
            "(Database → Restore) or call support."
        )
    if code.startswith("SQLITE_READONLY") or "readonly database" in text:
        return ReadOnlyDatabase(
            "The database is open read-only: nothing can be saved. Check the file's "
            "permissions, or restore a backup if it was opened read-only because of damage."
        )
    if code.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) or "disk i/o error" in text:
        return DatabaseUnavailable(
            "The database file could not be read or written (disk error or removed drive): "
            "nothing was saved."
        )
    return None
