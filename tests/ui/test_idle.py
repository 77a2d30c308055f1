"""The idle lock: time is injected, so five minutes pass in a microsecond."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from ldn_desktop.ui.idle import DEFAULT_IDLE_MINUTES, IdleLock


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def lock(qapp, clock):
    idle = IdleLock(clock=clock, check_every_ms=60_000)
    idle.start()
    yield idle
    idle.detach()


def test_default_is_five_minutes(qapp):
    idle = IdleLock()
    assert idle.minutes == DEFAULT_IDLE_MINUTES == 5
    idle.detach()


def test_fires_once_after_the_limit(qtbot, lock, clock):
    clock.now = 5 * 60 - 0.5
    with qtbot.assertNotEmitted(lock.idle):
        assert lock.check() is False
    clock.now = 5 * 60
    with qtbot.waitSignal(lock.idle):
        assert lock.check() is True
    with qtbot.assertNotEmitted(lock.idle):
        clock.now += 600
        assert lock.check() is True


def test_key_press_and_mouse_count_as_activity(qtbot, lock, clock):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    clock.now = 4 * 60
    QApplication.sendEvent(
        edit, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    )
    clock.now = 8 * 60
    assert lock.check() is False
    QApplication.sendEvent(
        edit,
        QMouseEvent(
            QEvent.Type.MouseButtonPress,
            QPointF(1, 1),
            QPointF(1, 1),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    clock.now = 12 * 60
    assert lock.check() is False
    assert lock.idle_seconds() == 4 * 60


def test_activity_after_firing_does_not_unlock_until_touched(lock, clock):
    clock.now = 10 * 60
    assert lock.check()
    lock.eventFilter(lock, QEvent(QEvent.Type.KeyPress))
    assert lock.check()
    lock.touch()
    assert not lock.check()


def test_zero_minutes_turns_locking_off_and_stopped_never_fires(lock, clock):
    lock.set_minutes(0)
    clock.now = 10_000
    assert lock.check() is False
    lock.set_minutes(5)
    clock.now = 20_000
    lock.stop()
    assert not lock.running
    assert lock.check() is False


def test_activity_is_watched_only_while_counting(qtbot, clock):
    """Before sign-in and behind the lock the app's events are not filtered at all."""
    idle = IdleLock(clock=clock, check_every_ms=60_000)
    edit = QLineEdit()
    qtbot.addWidget(edit)
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    clock.now = 60
    QApplication.sendEvent(edit, key)
    assert idle.idle_seconds() == 60  # not started: the key press was not seen
    idle.start()
    clock.now = 120
    QApplication.sendEvent(edit, key)
    assert idle.idle_seconds() == 0
    idle.stop()
    clock.now = 180
    QApplication.sendEvent(edit, key)
    assert idle.idle_seconds() == 60
    idle.start()  # watching again after the lock is lifted
    clock.now = 240
    QApplication.sendEvent(edit, key)
    assert idle.idle_seconds() == 0
    idle.detach()
    assert not idle.running
