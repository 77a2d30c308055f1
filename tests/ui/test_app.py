"""Starting the app: the window opens on the chosen database; a bad one is a plain dialog."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from ldn_desktop.ui import app as app_module
from ldn_desktop.ui.errors import log_file_path

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


@pytest.fixture
def dialogs(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[1:3]))
    return shown


def test_make_application_names_the_app_and_sets_an_icon(qapp):
    app = app_module.make_application()
    assert app is QApplication.instance()
    assert app.applicationName() == "LDN Desktop"
    assert not app.windowIcon().isNull()
    assert "resultFigure" in app.styleSheet()
    # Fractional screen scales (125 %, 150 %) are used as they are, not rounded: Qt 6's
    # default, which make_application relies on rather than setting it.
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    assert (
        QGuiApplication.highDpiScaleFactorRoundingPolicy()
        == Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )


def open_window(qtbot, path):
    """The window shows at once; the database opens just after."""
    window = app_module.start_window(path)
    qtbot.addWidget(window)
    assert window.context.store is None
    assert window.sign_in_screen.subtitle.text() == "Opening the database…"
    assert not window.sign_in_screen.sign_in_button.isEnabled()
    return window


def test_opens_a_new_database_at_the_first_run_screen(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path / "new.sqlite3")
    with qtbot.waitSignal(window.context.store_opened, timeout=10_000):
        pass
    assert window.gate.currentWidget() is window.first_run
    assert (tmp_path / "new.sqlite3").exists()
    window.context.store.close()
    assert dialogs == []


def test_an_existing_pharmacy_opens_at_sign_in(qtbot, store, db_path, dialogs):
    store.close()
    window = open_window(qtbot, db_path)
    qtbot.waitUntil(lambda: window.context.store is not None, timeout=10_000)
    screen = window.sign_in_screen
    assert window.gate.currentWidget() is screen
    assert screen.subtitle.text() == "Riverside Compounding"
    assert screen.sign_in_button.isEnabled()
    window.context.store.close()


def test_signing_in_before_the_database_is_open_is_asked_to_wait(qtbot, tmp_path, dialogs):
    window = open_window(qtbot, tmp_path / "slow.sqlite3")
    screen = window.sign_in_screen
    screen.username.setText("admin")
    screen.password.setText("anything at all")
    screen.attempt()
    assert "still opening" in screen.message.text()
    qtbot.waitUntil(lambda: window.context.store is not None, timeout=10_000)
    window.context.store.close()


def test_a_file_that_is_not_a_database_is_a_plain_dialog(qtbot, tmp_path, dialogs, caplog):
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is a spreadsheet, not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="ldn_desktop"):
        window = open_window(qtbot, bad)
        window.show()
        qtbot.waitUntil(lambda: bool(dialogs), timeout=10_000)
    ((title, message),) = dialogs
    assert title == "Opening the database"
    assert str(bad) in message
    assert "Traceback" not in message
    assert not window.isVisible() and window.open_failed
    assert window.context.store is None


def test_the_default_database_lives_in_the_data_folder(qtbot, dialogs, monkeypatch, tmp_path):
    monkeypatch.setenv("LDN_DESKTOP_DATA_DIR", str(tmp_path / "data"))
    window = open_window(qtbot, None)
    qtbot.waitUntil(lambda: window.context.store is not None, timeout=10_000)
    assert window.context.store.path == tmp_path / "data" / "ldn-desktop.sqlite3"
    window.context.store.close()


def test_run_app_returns_1_when_the_database_cannot_open(qtbot, tmp_path, dialogs, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"x" * 4096)
    try:
        assert app_module.run_app(bad) == 1
        handler = app_module.setup_logging()  # the same handler: set up once
        assert app_module.setup_logging() is handler
    finally:
        root = logging.getLogger("ldn_desktop")
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
    assert sys.excepthook is not sys.__excepthook__
    log_text = log_file_path().read_text(encoding="utf-8")
    assert "cannot open" in log_text and str(bad) in log_text


def test_a_long_log_is_rolled_over_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv("LDN_DESKTOP_DATA_DIR", str(tmp_path))
    log_file_path().write_text("x" * (app_module.LOG_MAX_BYTES + 1), encoding="utf-8")
    handler = app_module.setup_logging()
    try:
        assert log_file_path().with_suffix(".log.1").stat().st_size > app_module.LOG_MAX_BYTES
        assert not log_file_path().exists()  # the new log starts with its first line
    finally:
        logging.getLogger("ldn_desktop").removeHandler(handler)
        handler.close()
