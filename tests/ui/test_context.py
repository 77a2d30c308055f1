"""AppContext: the shared signals and background work that never freezes the window."""

from __future__ import annotations

import threading

import pytest

from ldn_desktop.store.records import AppSettings
from ldn_desktop.ui.context import AppContext, Settings


@pytest.fixture
def context(qtbot):
    ctx = AppContext(store=object())
    yield ctx
    ctx.wait_for_background()


def test_set_user_emits_once_and_clears_the_lock(qtbot, context):
    context.set_locked(True)
    with (
        qtbot.waitSignal(context.user_changed) as blocker,
        qtbot.waitSignal(context.lock_changed) as unlocked,
    ):
        context.set_user("alice")
    assert unlocked.args == [False]
    assert blocker.args == ["alice"]
    assert context.user == "alice"
    assert context.locked is False
    with qtbot.assertNotEmitted(context.user_changed):
        context.set_user("alice")


def test_lock_changed_only_on_change(qtbot, context):
    with qtbot.waitSignal(context.lock_changed) as blocker:
        context.set_locked(True)
    assert blocker.args == [True]
    with qtbot.assertNotEmitted(context.lock_changed):
        context.set_locked(True)


def test_settings_and_batch_and_data_signals(qtbot, context):
    assert context.settings.app.paper_size  # defaults until the store's are loaded
    new = Settings(app=AppSettings(paper_size="Letter"))
    with qtbot.waitSignal(context.settings_changed) as blocker:
        context.set_settings(new)
    assert blocker.args == [new]
    assert context.settings.app.paper_size == "Letter"
    plan = object()
    with qtbot.waitSignal(context.start_batch_requested) as blocker:
        context.request_start_batch(plan)
    assert blocker.args[0] is plan
    with qtbot.waitSignal(context.data_changed):
        context.notify_data_changed()


def test_background_work_runs_off_the_window_thread(qtbot, context):
    main = threading.get_ident()
    seen = {}

    def work():
        seen["thread"] = threading.get_ident()
        return 42

    def done(result):
        seen["result"] = result
        seen["callback_thread"] = threading.get_ident()

    task = context.run_in_background(work, on_done=done)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen["result"] == 42
    assert seen["thread"] != main
    assert seen["callback_thread"] == main
    assert task.is_done and not context.background_busy


def test_background_failure_reaches_on_error(qtbot, context):
    errors = []

    def work():
        raise RuntimeError("disk gone")

    task = context.run_in_background(work, on_error=errors.append)
    qtbot.waitUntil(lambda: task.is_done, timeout=5000)
    assert [str(e) for e in errors] == ["disk gone"]


def test_background_failure_without_on_error_goes_to_excepthook(qtbot, context, monkeypatch):
    caught = []
    monkeypatch.setattr("sys.excepthook", lambda t, e, tb: caught.append(e))
    task = context.run_in_background(lambda: 1 / 0)
    qtbot.waitUntil(lambda: task.is_done, timeout=5000)
    assert isinstance(caught[0], ZeroDivisionError)
