"""The main window as a pharmacist meets it: first run, sign-in, pages, idle lock, backups."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox

from ldn_desktop.ui.context import AppContext, load_settings
from ldn_desktop.ui.idle import IdleLock
from ldn_desktop.ui.main_window import PAGES, MainWindow, available_pages
from tests.ui.conftest import ADMIN_PASSWORD, PHARMACIST_PASSWORD, duplicate_mnemonics

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def dialogs(monkeypatch):
    """Every message box is recorded instead of shown."""
    shown = []
    for kind in ("warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, kind=kind: shown.append((kind, *a[1:3])))
    return shown


def make_window(qtbot, store, clock=None):
    context = AppContext(store, load_settings(store))
    idle = IdleLock(clock=clock or FakeClock(), check_every_ms=60_000)
    window = MainWindow(context, idle_lock=idle)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def sign_in(qtbot, window, username, password):
    screen = window.sign_in_screen
    screen.username.setText(username)
    screen.password.setText(password)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)


def fill_first_run(
    screen, pharmacy: str = "Riverside", password: str = ADMIN_PASSWORD, again: str | None = None
) -> None:
    """The first-run form filled for administrator Ada ("ada"); `again` the password retyped."""
    screen.name.setText(pharmacy)
    screen.full_name.setText("Ada Admin")
    screen.username.setText("ada")
    screen.password.setText(password)
    screen.password_again.setText(password if again is None else again)


def test_first_run_creates_the_pharmacy_and_signs_in_the_admin(qtbot, empty_store, dialogs):
    window = make_window(qtbot, empty_store)
    screen = window.first_run
    assert window.screens.currentWidget() is window.gate
    qtbot.keyClicks(screen.name, "Riverside Compounding")
    screen.address.setPlainText("1 High Street")
    qtbot.keyClicks(screen.phone, "555-0100")
    qtbot.keyClicks(screen.licence, "PH-1234")
    qtbot.keyClicks(screen.full_name, "Ada Admin")
    qtbot.keyClicks(screen.username, "ada")
    qtbot.keyClicks(screen.password, ADMIN_PASSWORD)
    qtbot.keyClicks(screen.password_again, ADMIN_PASSWORD)
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    assert window.screens.currentWidget() is window.workspace
    assert window.context.user.username == "ada"
    assert not empty_store.is_first_run()
    assert empty_store.pharmacy_details().name == "Riverside Compounding"
    assert window.context.settings.pharmacy.name == "Riverside Compounding"
    assert empty_store.authenticate("ada", ADMIN_PASSWORD).role.value == "administrator"
    assert "Ada Admin (administrator)" in window.user_status.text()
    assert dialogs == []


def test_first_run_refuses_mismatched_passwords(qtbot, empty_store, dialogs):
    window = make_window(qtbot, empty_store)
    screen = window.first_run
    fill_first_run(screen, again="something else")
    screen.create()
    assert "not the same" in screen.message.text()
    assert empty_store.is_first_run()


def test_first_run_shows_the_stores_refusal_beside_the_form(qtbot, empty_store, dialogs):
    window = make_window(qtbot, empty_store)
    screen = window.first_run
    fill_first_run(screen, password="short")
    screen.create()
    assert screen.message.isVisible()
    assert empty_store.is_first_run()
    assert window.screens.currentWidget() is window.gate


def test_sign_in_refuses_a_wrong_password(qtbot, store, dialogs):
    window = make_window(qtbot, store)
    sign_in(qtbot, window, "admin", "not the password")
    assert window.screens.currentWidget() is window.gate
    assert window.context.user is None
    assert window.sign_in_screen.message.isVisible()
    assert window.sign_in_screen.password.text() == ""
    assert not window.lock_action.isEnabled()


def test_sign_in_opens_the_pages_and_ctrl_numbers_switch_them(qtbot, store, dialogs):
    window = make_window(qtbot, store)
    sign_in(qtbot, window, "pat", PHARMACIST_PASSWORD)
    assert window.context.user.username == "pat"
    assert window.current_page_title == "Calculate"
    present = [spec.title for spec in available_pages()]
    assert "Calculate" in present
    for number, spec in enumerate(PAGES, start=1):
        if spec.title in present:
            key = Qt.Key(Qt.Key.Key_0 + number)
            qtbot.keyClick(window.focusWidget(), key, Qt.KeyboardModifier.ControlModifier)
            assert window.current_page_title == spec.title


def test_idle_time_locks_and_only_the_password_unlocks(qtbot, store, dialogs):
    clock = FakeClock()
    window = make_window(qtbot, store, clock)
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    assert window.idle_lock.minutes == store.app_settings().idle_lock_minutes
    clock.now += window.idle_lock.minutes * 60 - 1
    window.idle_lock.check()
    assert not window.context.locked
    clock.now += 1
    window.idle_lock.check()
    assert window.context.locked
    assert window.screens.currentWidget() is window.gate
    screen = window.sign_in_screen
    assert screen.is_locked_mode and not screen.username.isEnabled()
    assert "locked" in window.user_status.text()
    # The pages' shortcuts do nothing while locked.
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.screens.currentWidget() is window.gate
    sign_in(qtbot, window, "admin", "wrong password")
    assert window.context.locked
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    assert not window.context.locked
    assert window.screens.currentWidget() is window.workspace


def test_activity_keeps_the_window_unlocked(qtbot, store, dialogs):
    clock = FakeClock()
    window = make_window(qtbot, store, clock)
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    clock.now += window.idle_lock.minutes * 60 - 10
    page = window.pages["Calculate"]
    qtbot.keyClicks(page.capsules.dose.number, "4")
    clock.now += 20
    window.idle_lock.check()
    assert not window.context.locked


def test_someone_else_can_sign_in_at_a_locked_window(qtbot, store, dialogs):
    window = make_window(qtbot, store)
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    window.lock_action.trigger()
    assert window.context.locked
    qtbot.mouseClick(window.sign_in_screen.switch_button, Qt.MouseButton.LeftButton)
    sign_in(qtbot, window, "pat", PHARMACIST_PASSWORD)
    assert window.context.user.username == "pat"
    assert not window.context.locked


def test_start_a_batch_switches_to_batches(qtbot, store, dialogs, monkeypatch):
    # The Batches page asks for the formula and prescription in a dialog: cancel it here.
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    window = make_window(qtbot, store)
    sign_in(qtbot, window, "pat", PHARMACIST_PASSWORD)
    if "Batches" not in window.pages:
        pytest.skip("the Batches page (part B) is not installed")
    form = window.pages["Calculate"].capsules
    qtbot.keyClicks(form.dose.number, "4.5")
    qtbot.mouseClick(form.result.start_button, Qt.MouseButton.LeftButton)
    assert window.current_page_title == "Batches"


def test_daily_backup_runs_in_the_background_and_shows_in_the_status_bar(qtbot, store, dialogs):
    window = make_window(qtbot, store)
    assert "never" in window.backup_status.text()
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)  # a backup is due: none yet
    qtbot.waitUntil(lambda: store.last_backup_time() is not None, timeout=10_000)
    qtbot.waitUntil(lambda: "today" in window.backup_status.text(), timeout=10_000)
    assert store.list_backups()[0].reason == "daily"


def test_closing_makes_the_exit_backup(qtbot, store, dialogs):
    window = make_window(qtbot, store)
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    window.context.wait_for_background()
    qtbot.waitUntil(lambda: not window._backing_up, timeout=10_000)
    before = len(store.list_backups())
    details = store.pharmacy_details()
    store.set_pharmacy_details(replace(details, phone="555-0199"), by=window.context.user)
    window.close()
    reasons = [b.reason for b in store.list_backups()]
    assert len(reasons) == before + 1 and reasons[0] == "exit"


def test_a_read_only_database_shows_a_banner(qtbot, store, db_path, dialogs):
    from ldn_desktop.store import open_store

    read_only = open_store(db_path, read_only=True)
    try:
        window = make_window(qtbot, read_only)
        assert window.banner.isVisible()
    finally:
        window.close()
        read_only.close()


def test_first_run_can_add_demo_data_through_the_store(qtbot, empty_store, dialogs):
    from ldn_desktop.store.records import BatchQuery

    window = make_window(qtbot, empty_store)
    screen = window.first_run
    assert not screen.demo.isHidden()
    fill_first_run(screen, pharmacy="Training Pharmacy")
    screen.demo.setChecked(True)
    with qtbot.waitSignal(window.context.data_changed):
        screen.create()
    assert window.context.user.username == "ada"
    assert empty_store.search_batches(BatchQuery()).total > 0
    assert len(empty_store.list_users()) > 1
    assert dialogs == []


def test_alt_letters_are_unique_on_first_run_and_sign_in(qtbot, empty_store, dialogs):
    window = make_window(qtbot, empty_store)
    assert duplicate_mnemonics(window.first_run) == {}
    fill_first_run(window.first_run)
    window.first_run.create()
    window.sign_out()
    assert duplicate_mnemonics(window.sign_in_screen) == {}


def test_locking_cancels_an_open_dialog(qtbot, store, dialogs):
    window = make_window(qtbot, store)
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    dialog = QDialog(window)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    window.lock()
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_a_page_that_fails_to_open_is_reported_and_the_rest_work(
    qtbot, store, dialogs, monkeypatch
):
    import ldn_desktop.ui.settings_page as settings_page

    def broken(*_args):
        raise KeyError("label stock")

    monkeypatch.setattr(settings_page, "SettingsPage", broken)
    window = make_window(qtbot, store)
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    assert "Settings" not in window.pages and "Calculate" in window.pages
    assert [d[:2] for d in dialogs] == [("critical", "Opening the Settings page")]
    assert window.screens.currentWidget() is window.workspace


def test_menu_shortcuts(qtbot, store, dialogs):
    window = make_window(qtbot, store)
    assert window.backup_action.shortcut() == QKeySequence("Ctrl+Shift+B")
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")
    quit_action = window.menuBar().actions()[0].menu().actions()[-1]
    assert quit_action.text() == "&Quit"
    assert quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    assert [a.shortcut().toString() for a in window.page_actions] == [
        f"Ctrl+{n}" for n in range(1, len(PAGES) + 1)
    ]


def test_the_pages_are_built_at_the_first_sign_in_only(qtbot, store, dialogs):
    window = make_window(qtbot, store)
    assert window.workspace is None  # nothing behind the sign-in screen yet
    assert window.current_page_title is None
    assert not window.show_page("Calculate")
    sign_in(qtbot, window, "pat", PHARMACIST_PASSWORD)
    workspace = window.workspace
    assert window.screens.currentWidget() is workspace
    assert window.current_page_title == "Calculate"
    window.sign_out()
    sign_in(qtbot, window, "pat", PHARMACIST_PASSWORD)
    assert window.workspace is workspace  # built once
    assert window.page_stack.count() == len(window.pages)
