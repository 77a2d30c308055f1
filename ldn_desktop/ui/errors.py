"""Errors as a pharmacist reads them: what happened and what to do, never a traceback.

Two kinds (as in qutebrowser's sql.py): the environment's fault (the database is locked
by another program, the disk is full, a file cannot be written, an input or a lot was
refused) gets a plain warning with what to do; anything else is our bug, logged in full
to the log file and shown as one calm sentence that says where the details are.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from ldn_desktop.core.findings import InputRefused

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

log = logging.getLogger("ldn_desktop")

_LOCKED = (
    "The database is in use by another program or another LDN Desktop window. "
    "Nothing was saved. Close the other program, then try again."
)
_FULL = (
    "The disk holding the database is full. Nothing was saved. "
    "Free some space (or ask your IT support), then try again."
)
_DAMAGED = (
    "The database file is damaged or is not an LDN Desktop database. Nothing was changed. "
    "Restore the latest backup (Settings → Backups) or ask your IT support."
)
_READ_ONLY = (
    "The database file cannot be written (it is read-only or on a read-only drive). "
    "Nothing was saved."
)


def friendly_message(exc: BaseException) -> str | None:
    """The plain sentence for an error the pharmacist can act on, or None for our bugs."""
    # Only once the store is loaded can an error be one of its own (it loads after the
    # window appears); its messages are written for people.
    store_errors = sys.modules.get("ldn_desktop.store.errors")
    if store_errors is not None and isinstance(exc, store_errors.StoreError):
        return str(exc.message)
    if isinstance(exc, InputRefused):
        return exc.message[:1].upper() + exc.message[1:]
    # Likewise SQLite's errors: none can exist before sqlite3 is imported (with the store),
    # and not importing it here saves about 1 ms before the window's first paint.
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is None:
        return _os_error_message(exc)
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return _LOCKED
        if "full" in text:
            return _FULL
        if "readonly" in text or "read-only" in text:
            return _READ_ONLY
        if "unable to open" in text:
            return "The database file could not be opened. Check that its folder exists."
        return None
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.IntegrityError):
        text = str(exc).lower()
        if "not a database" in text or "malformed" in text or "encrypted" in text:
            return _DAMAGED
        return None
    return _os_error_message(exc)


def _os_error_message(exc: BaseException) -> str | None:
    """The plain sentence for a file the app cannot use or a full disk, or None."""
    if isinstance(exc, PermissionError):
        name = f" ({exc.filename})" if exc.filename else ""
        return f"LDN Desktop is not allowed to use a file it needs{name}. Nothing was saved."
    if isinstance(exc, OSError) and exc.errno == 28:  # ENOSPC
        return _FULL
    if isinstance(exc, FileNotFoundError):
        name = f": {exc.filename}" if exc.filename else ""
        return f"A file LDN Desktop needs was not found{name}."
    return None


def log_file_path() -> Path:
    from ldn_desktop.paths import data_dir

    return data_dir() / "ldn-desktop.log"


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """Show `exc` as a dialog a pharmacist understands; our bugs are logged with details."""
    from PySide6.QtWidgets import QMessageBox  # built on first use: not before first paint

    message = friendly_message(exc)
    if message is not None:
        log.warning("%s: %s", title, exc)
        QMessageBox.warning(parent, title, message)
        return
    log.error("%s", title, exc_info=(type(exc), exc, exc.__traceback__))
    QMessageBox.critical(
        parent,
        title,
        "Something went wrong inside LDN Desktop. Nothing half-done was saved.\n\n"
        f"The details are in {log_file_path()}; please send that file to your support.",
    )


def install_excepthook() -> None:
    """Any exception that reaches the event loop becomes a logged, friendly dialog."""

    def hook(
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        if QApplication.instance() is None:
            traceback.print_exception(exc_type, exc, tb)
            return
        parent = QApplication.activeWindow()
        show_error(parent, "LDN Desktop", exc)

    sys.excepthook = hook
