"""Errors become plain dialogs; our own bugs are logged, never shown as a traceback."""

from __future__ import annotations

import errno
import sqlite3
import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from ldn_desktop.core.findings import InputRefused
from ldn_desktop.store.errors import DatabaseLocked, LotNotUsable
from ldn_desktop.ui import errors


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (sqlite3.OperationalError("database is locked"), "in use by another program"),
        (sqlite3.OperationalError("database or disk is full"), "disk holding the database is full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "cannot be written"),
        (sqlite3.OperationalError("unable to open database file"), "could not be opened"),
        (sqlite3.DatabaseError("file is not a database"), "damaged"),
        (PermissionError(errno.EACCES, "denied", "/x/db"), "not allowed to use a file"),
        (OSError(errno.ENOSPC, "No space left"), "disk holding the database is full"),
        (FileNotFoundError(errno.ENOENT, "missing", "/x/font.ttf"), "/x/font.ttf"),
        (InputRefused("dose", "'4.5' has no unit"), "'4.5' has no unit"),
    ],
)
def test_environment_errors_get_plain_words(exc, expected):
    message = errors.friendly_message(exc)
    assert message is not None and expected in message
    assert "Traceback" not in message


def test_our_bugs_have_no_friendly_message():
    assert errors.friendly_message(KeyError("x")) is None
    assert errors.friendly_message(sqlite3.OperationalError("no such column: foo")) is None
    assert errors.friendly_message(sqlite3.IntegrityError("UNIQUE failed")) is None


@pytest.mark.parametrize(
    "exc",
    [LotNotUsable("Lot A12 is in quarantine: release it first."), DatabaseLocked("Busy: retry.")],
)
def test_store_errors_use_their_own_message(exc):
    assert errors.friendly_message(exc) == exc.message


def test_show_error_warns_for_environment_and_logs_bugs(qtbot, monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(("warning", a[1], a[2])))
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(("critical", a[1], a[2])))
    errors.show_error(None, "Saving", sqlite3.OperationalError("database is locked"))
    try:
        raise KeyError("plan")
    except KeyError as bug:
        errors.show_error(None, "Saving", bug)
    assert shown[0][0] == "warning" and "in use" in shown[0][2]
    assert shown[1][0] == "critical" and "ldn-desktop.log" in shown[1][2]
    assert "Traceback" not in shown[1][2]
    assert any(r.exc_info for r in caplog.records)


def test_excepthook_shows_a_dialog(qtbot, monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    try:
        raise ValueError("boom")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert len(shown) == 1 and "Something went wrong" in shown[0]
