"""What every page of the window shares: the open store, who is signed in, the settings.

Pages receive one `AppContext` and talk to each other only through its signals, so a
page never reaches into another page:

- `user_changed(object)`: someone signed in (the user record) or out / locked (None);
- `data_changed()`: a write went through the store; tables should refresh;
- `start_batch_requested(object)`: the Calculate page's plan (the core's frozen result)
  should become a new batch on the Batches page;
- `settings_changed(object)`: the pharmacy's settings were saved (the new `Settings`);
- `lock_changed(bool)`: the window was locked after idle time (True) or unlocked;
- `store_opened(object)`: the database finished opening (the window shows before it).

`run_in_background` keeps long work (printing many labels, a backup, opening a large
database) off the window's thread; the callbacks run back on the window's thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

if TYPE_CHECKING:  # imported when first needed, so the window appears sooner
    from ldn_desktop.core.pharmacy_settings import CalculationSettings
    from ldn_desktop.store.records import AppSettings, PharmacyDetails

log = logging.getLogger(__name__)


def _default_calculation() -> CalculationSettings:
    from ldn_desktop.core.pharmacy_settings import CalculationSettings

    return CalculationSettings()


def _default_app() -> AppSettings:
    from ldn_desktop.store.records import AppSettings

    return AppSettings()


def _default_pharmacy() -> PharmacyDetails:
    from ldn_desktop.store.records import PharmacyDetails

    return PharmacyDetails(name="")


@dataclass(frozen=True)
class Settings:
    """Everything the pages read from settings, as last saved through the store.

    `calculation`: the core's figures (balance, packing statistics, click volume, default
    strengths ...); `app`: label stock, paper size, backups, idle lock; `pharmacy`: the
    details printed on labels.
    """

    calculation: CalculationSettings = field(default_factory=_default_calculation)
    app: AppSettings = field(default_factory=_default_app)
    pharmacy: PharmacyDetails = field(default_factory=_default_pharmacy)


def load_settings(store: Any) -> Settings:
    """Read the three kinds of settings from the store (defaults where none were saved)."""
    from ldn_desktop.core.pharmacy_settings import CalculationSettings

    saved = store.calculation_settings()
    calculation = (
        CalculationSettings.from_dict(saved) if saved is not None else CalculationSettings()
    )
    return Settings(calculation, store.app_settings(), store.pharmacy_details())


class _Relay(QObject):
    """Carries a background result back to the thread the relay lives on (the window's)."""

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        # Python keeps the job alive until its result is back (Qt deleting a Python-owned
        # runnable crashes PySide at exit).
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # reported to on_error, never lost in a thread
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


class BackgroundTask(QObject):
    """A handle on one piece of background work: `finished` fires after its callback ran."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.is_done = False


class AppContext(QObject):
    """The open store, the signed-in user and the settings, shared by every page."""

    store_opened = Signal(object)
    user_changed = Signal(object)
    data_changed = Signal()
    start_batch_requested = Signal(object)
    settings_changed = Signal(object)
    lock_changed = Signal(bool)

    def __init__(
        self,
        store: Any,
        settings: Settings | None = None,
        user: Any = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self._user = user
        self._locked = False
        self._pool = QThreadPool(self)
        self._running: set[tuple[_Relay, BackgroundTask, _Job]] = set()
        self._lock = threading.Lock()

    # -- the store -------------------------------------------------------------------------
    @property
    def store(self) -> Any:
        """The open store (`ldn_desktop.store.open_store(...)`); every write goes through it.

        None only for the moment between the window appearing and the database opening
        (nobody can sign in before it is open, so no page ever sees None).
        """
        return self._store

    def set_store(self, store: Any, settings: Settings) -> None:
        """The database is open: remember it and its settings, and tell the window."""
        self._store = store
        self._settings = settings
        self.store_opened.emit(store)

    # -- who is signed in ------------------------------------------------------------------
    @property
    def user(self) -> Any:
        """The signed-in user record, or None before sign-in."""
        return self._user

    def set_user(self, user: Any) -> None:
        """Someone signed in (a user record) or out (None); unlocks the window."""
        self.set_locked(False)
        if user == self._user:
            return
        self._user = user
        self.user_changed.emit(user)

    @property
    def locked(self) -> bool:
        """True while the window is locked after idle time: signing needs the password again."""
        return self._locked

    def set_locked(self, locked: bool) -> None:
        if locked == self._locked:
            return
        self._locked = locked
        self.lock_changed.emit(locked)

    # -- settings --------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        """The pharmacy's settings as last saved through the store (defaults before)."""
        if self._settings is None:
            self._settings = Settings()
        return self._settings

    def set_settings(self, settings: Settings) -> None:
        """Call after the store saved new settings: every page re-reads them."""
        self._settings = settings
        self.settings_changed.emit(settings)

    def reload_settings(self) -> Settings:
        """Read the settings from the store again and tell every page."""
        self.set_settings(load_settings(self._store))
        return self._settings

    # -- between pages ---------------------------------------------------------------------
    def notify_data_changed(self) -> None:
        """Call after a write through the store, so tables and lists refresh."""
        self.data_changed.emit()

    def request_start_batch(self, plan: object) -> None:
        """Hand a calculated plan to the Batches page to become a new batch."""
        self.start_batch_requested.emit(plan)

    # -- long work -------------------------------------------------------------------------
    def run_in_background(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> BackgroundTask:
        """Run `fn()` on the thread pool; call `on_done(result)` or `on_error(exc)` afterwards.

        Both callbacks run on the window's thread, so they may touch widgets. Without
        `on_error`, a failure goes to `sys.excepthook` (the app's friendly error dialog).
        Note: a sqlite3 connection may only be used from another thread if the store
        opened it for that (check_same_thread=False with its own locking).
        """
        relay = _Relay(self)
        task = BackgroundTask()
        job = _Job(fn, relay)
        entry = (relay, task, job)
        with self._lock:
            self._running.add(entry)

        def finish() -> None:
            with self._lock:
                self._running.discard(entry)
            task.is_done = True
            task.finished.emit()
            relay.deleteLater()

        @Slot(object)
        def done(result: Any) -> None:
            try:
                if on_done is not None:
                    on_done(result)
            finally:
                finish()

        @Slot(object)
        def failed(exc: BaseException) -> None:
            try:
                if on_error is not None:
                    on_error(exc)
                else:
                    import sys

                    sys.excepthook(type(exc), exc, exc.__traceback__)
            finally:
                finish()

        relay.done.connect(done)
        relay.failed.connect(failed)
        self._pool.start(job)
        return task

    def wait_for_background(self, msecs: int = 30_000) -> bool:
        """Block until queued background work has run (used at exit and in tests)."""
        return bool(self._pool.waitForDone(msecs))

    @property
    def background_busy(self) -> bool:
        with self._lock:
            return bool(self._running)
