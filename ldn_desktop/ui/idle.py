"""Locking the window after idle time, so an unattended bench cannot sign records.

Any key press, click, wheel turn or mouse movement in the app counts as activity. The
clock is injectable (`clock=` a function returning seconds) so tests can move time on
instead of waiting five minutes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

DEFAULT_IDLE_MINUTES = 5


@cache
def _activity() -> frozenset[QEvent.Type]:
    """The events that count as activity (built on first use, after sign-in: PySide builds
    the QEvent class and its enum slowly, about 1.5 ms before first paint)."""
    from PySide6.QtCore import QEvent

    return frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
        }
    )


class IdleLock(QObject):
    """Emits `idle` once when no activity was seen for `minutes`; `touch()` restarts the count."""

    idle = Signal()

    def __init__(
        self,
        minutes: float = DEFAULT_IDLE_MINUTES,
        *,
        clock: Callable[[], float] = time.monotonic,
        check_every_ms: int = 5_000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._minutes = float(minutes)
        self._last = clock()
        self._fired = False
        self._timer = QTimer(self)
        self._timer.setInterval(check_every_ms)
        self._timer.timeout.connect(self.check)
        self._watching = False

    @property
    def minutes(self) -> float:
        return self._minutes

    def set_minutes(self, minutes: float) -> None:
        """A new idle limit (from settings); 0 turns locking off."""
        self._minutes = float(minutes)
        self.touch()

    def start(self) -> None:
        self.touch()
        self._watch(True)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._watch(False)

    def _watch(self, on: bool) -> None:
        """Watch the app's events only while counting: before sign-in and behind the lock
        no activity matters, and a filter on every event makes PySide build a Python type
        for each kind of event and widget it sees (about 14 ms before the first paint)."""
        app = QApplication.instance()
        if app is None or on == self._watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = on

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def touch(self) -> None:
        self._last = self._clock()
        self._fired = False

    def idle_seconds(self) -> float:
        return self._clock() - self._last

    def check(self) -> bool:
        """Emit `idle` if the limit has passed (once until the next activity). True if idle."""
        if self._minutes <= 0 or not self._timer.isActive():
            return False
        if self.idle_seconds() >= self._minutes * 60:
            if not self._fired:
                self._fired = True
                self.idle.emit()
            return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _activity() and not self._fired:
            self._last = self._clock()
        return False

    def detach(self) -> None:
        self.stop()
