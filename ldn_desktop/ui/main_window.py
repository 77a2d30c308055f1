"""The main window: first run or sign-in, then the pages, a status bar, and the idle lock.

Pages are built after sign-in (not at start-up), so the window appears quickly and the
heavy modules (PDF preview, ReportLab) load only when someone is signed in. Part B's pages
are imported when their modules are present.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.idle import DEFAULT_IDLE_MINUTES, IdleLock

# Qt classes the sign-in screen does not need are imported where they are used: PySide
# builds each class (and the `Qt` namespace, about 8 ms) on first use, before first paint.
if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QListWidget

log = logging.getLogger(__name__)

# How often the window asks the store whether the daily backup is due.
BACKUP_CHECK_MS = 30 * 60 * 1000


@dataclass(frozen=True)
class PageSpec:
    title: str
    module: str
    class_name: str
    hint: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "Calculate", "ldn_desktop.ui.calculate_page", "CalculatePage", "Work out a preparation"
    ),
    PageSpec("Patients", "ldn_desktop.ui.prescriptions_page", "PrescriptionsPage", "Prescriptions"),
    PageSpec("Batches", "ldn_desktop.ui.batches_page", "BatchesPage", "Compounding records"),
    PageSpec("Inventory", "ldn_desktop.ui.inventory_page", "InventoryPage", "Ingredients and lots"),
    PageSpec("Formulas", "ldn_desktop.ui.formulas_page", "FormulasPage", "Master formulations"),
    PageSpec("Print", "ldn_desktop.ui.print_page", "PrintPage", "Labels and leaflets"),
    PageSpec("Settings", "ldn_desktop.ui.settings_page", "SettingsPage", "Pharmacy settings"),
)


def _set_shortcut(action: QAction, keys: QKeySequence) -> None:
    """`action.setShortcut(keys)`, said as a one-item list: PySide's overload check for
    setShortcut builds the whole `Qt` namespace (about 8 ms before first paint)."""
    action.setShortcuts([keys])


def available_pages() -> tuple[PageSpec, ...]:
    """The pages whose modules are installed (part B's land separately)."""
    return tuple(p for p in PAGES if importlib.util.find_spec(p.module) is not None)


class MainWindow(QMainWindow):
    nav: QListWidget  # with page_stack, built at the first sign-in (_build_workspace)
    page_stack: QStackedWidget

    def __init__(
        self,
        context: AppContext,
        *,
        idle_lock: IdleLock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("LDN Desktop")
        self.resize(1180, 760)
        self.pages: dict[str, QWidget] = {}
        self._page_order: list[str] = []
        self._backing_up = False
        self.open_failed = False  # set when the database could not be opened

        self.screens = QStackedWidget()
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Database warning")
        self.banner.hide()
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(self.screens, 1)
        self.setCentralWidget(central)
        self.gate = QStackedWidget()  # first run / sign-in / lock
        self.screens.addWidget(self.gate)
        # The pages and their navigation list, built at the first sign-in (_build_workspace).
        self.workspace: QWidget | None = None

        self._build_status_bar()
        self._build_menus()

        self.idle_lock = idle_lock or IdleLock(DEFAULT_IDLE_MINUTES, parent=self)
        self.idle_lock.idle.connect(self.lock)
        context.user_changed.connect(self._on_user_changed)
        context.settings_changed.connect(self._on_settings_changed)
        context.start_batch_requested.connect(lambda _plan: self.show_page("Batches"))
        context.data_changed.connect(self._refresh_status)
        context.store_opened.connect(lambda _store: self._on_store_opened())

        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(BACKUP_CHECK_MS)
        self._backup_timer.timeout.connect(self.backup_if_due)

        self.sign_in_screen: Any = None
        self.first_run: Any = None
        if context.store is None:
            # The window shows first; the database opens just after (app.start_window).
            self._ensure_sign_in_screen()
            self.screens.setCurrentWidget(self.gate)
            self._set_workspace_actions(False)
            self._refresh_status()
        else:
            self._on_store_opened()

    def _on_store_opened(self) -> None:
        store = self.context.store
        if store.read_only:
            self.show_banner(store.read_only_reason or "The database is read-only.")
        self._show_gate()
        self._refresh_status()

    # -- gate: first run, sign-in, lock ----------------------------------------------------
    def _show_gate(self) -> None:
        if self.context.store.is_first_run():
            from ldn_desktop.ui.first_run import FirstRunScreen

            self.first_run = FirstRunScreen(self.context)
            self.first_run.completed.connect(self.sign_in_as)
            self.gate.addWidget(self.first_run)
            self.gate.setCurrentWidget(self.first_run)
            self.first_run.setFocus()
        else:
            self._ensure_sign_in_screen()
        self.screens.setCurrentWidget(self.gate)
        self._set_workspace_actions(False)

    def _ensure_sign_in_screen(self) -> Any:
        from ldn_desktop.ui.sign_in import SignInScreen

        if self.sign_in_screen is None:
            self.sign_in_screen = SignInScreen(self.context)
            self.sign_in_screen.signed_in.connect(self.sign_in_as)
            self.gate.addWidget(self.sign_in_screen)
        self.gate.setCurrentWidget(self.sign_in_screen)
        return self.sign_in_screen

    def sign_in_as(self, user: Any) -> None:
        """Someone signed in (or unlocked): show the pages and start watching for idle time."""
        self.context.set_user(user)
        workspace = self._build_workspace()
        if not self.pages:
            self._build_pages()
        self.screens.setCurrentWidget(workspace)
        self._set_workspace_actions(True)
        self.idle_lock.set_minutes(self._idle_minutes())
        self.idle_lock.start()
        self._backup_timer.start()
        self._refresh_status()
        current = self.page_stack.currentWidget()
        if current is not None:
            current.setFocus()
        QTimer.singleShot(0, self.backup_if_due)

    def lock(self) -> None:
        """Hide everything behind the lock screen until the same person's password is given."""
        user = self.context.user
        if user is None or self.context.locked:
            return
        self.context.set_locked(True)
        self.idle_lock.stop()
        self._close_dialogs()
        screen = self._ensure_sign_in_screen()
        screen.show_locked(user)
        self.screens.setCurrentWidget(self.gate)
        self._set_workspace_actions(False)
        self._refresh_status()

    def _close_dialogs(self) -> None:
        """Dialogs left open on an unattended bench are cancelled: nothing half-done stays
        on screen behind the lock (a cancelled dialog saves nothing)."""
        from PySide6.QtWidgets import QDialog

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()

    def sign_out(self) -> None:
        if self.context.user is None:
            return
        self.idle_lock.stop()
        self.context.set_user(None)
        screen = self._ensure_sign_in_screen()
        screen.show_sign_in()
        self.screens.setCurrentWidget(self.gate)
        self._set_workspace_actions(False)
        self._refresh_status()

    def _on_user_changed(self, user: Any) -> None:
        self._refresh_status()

    # -- pages -----------------------------------------------------------------------------
    def _build_workspace(self) -> QWidget:
        """The navigation list and the page stack (once): nobody sees them before sign-in,
        so they are not built before the window's first paint."""
        if self.workspace is not None:
            return self.workspace
        from PySide6.QtWidgets import QListWidget

        self.workspace = QWidget()
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Pages")
        self.nav.setFixedWidth(190)
        self.page_stack = QStackedWidget()
        layout = QHBoxLayout(self.workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.page_stack, 1)
        self.screens.addWidget(self.workspace)
        self.nav.currentRowChanged.connect(self.page_stack.setCurrentIndex)
        return self.workspace

    def _build_pages(self) -> None:
        """Every installed page; one that fails to open is reported, and the rest still work
        (a broken Print page must not stop a pharmacist from calculating)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QFrame, QListWidgetItem, QScrollArea

        for spec in available_pages():
            try:
                module = importlib.import_module(spec.module)
                page = getattr(module, spec.class_name)(self.context)
            except Exception as exc:
                log.error("the %s page could not be opened", spec.title, exc_info=exc)
                show_error(self, f"Opening the {spec.title} page", exc)
                continue
            self.pages[spec.title] = page
            self._page_order.append(spec.title)
            # A page wider than the window scrolls instead of stretching the window.
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            holder.setWidget(page)
            # Not a Tab stop: Tab from the page list goes to the page's first field (a
            # stop here jumped to the page's focus proxy, skipping the fields before it).
            # Before the proxy is set: a focus policy set later passes on to the proxy.
            holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            holder.setFocusProxy(page)
            self.page_stack.addWidget(holder)
            item = QListWidgetItem(spec.title)
            number = PAGES.index(spec) + 1
            item.setToolTip(f"{spec.hint} (Ctrl+{number})")
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, spec.hint)
            self.nav.addItem(item)
        for action in self.page_actions:
            action.setEnabled(action.data() in self.pages)
        self.nav.setCurrentRow(0)

    def show_page(self, title: str) -> bool:
        if title not in self.pages or self.screens.currentWidget() is not self.workspace:
            return False
        self.nav.setCurrentRow(self._page_order.index(title))
        self.pages[title].setFocus()
        return True

    @property
    def current_page_title(self) -> str | None:
        if self.workspace is None:
            return None
        row = self.nav.currentRow()
        return self._page_order[row] if 0 <= row < len(self._page_order) else None

    # -- menus and shortcuts ---------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.backup_action = QAction("&Back up now", self)
        _set_shortcut(self.backup_action, QKeySequence("Ctrl+Shift+B"))
        self.backup_action.triggered.connect(self.backup_now)
        self.lock_action = QAction("&Lock window", self)
        _set_shortcut(self.lock_action, QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.sign_out_action = QAction("Sign &out", self)
        self.sign_out_action.triggered.connect(self.sign_out)
        quit_action = QAction("&Quit", self)
        _set_shortcut(quit_action, QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        for action in (self.backup_action, self.lock_action, self.sign_out_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        self.page_actions: list[QAction] = []
        for number, spec in enumerate(PAGES, start=1):
            action = QAction(spec.title, self)
            _set_shortcut(action, QKeySequence(f"Ctrl+{number}"))
            action.setData(spec.title)
            action.setEnabled(False)
            action.triggered.connect(lambda _c=False, t=spec.title: self.show_page(t))
            go_menu.addAction(action)
            self.page_actions.append(action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About LDN Desktop", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _set_workspace_actions(self, enabled: bool) -> None:
        for action in (self.backup_action, self.lock_action, self.sign_out_action):
            action.setEnabled(enabled)
        for action in self.page_actions:
            action.setEnabled(enabled and action.data() in self.pages)

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from ldn_desktop import __version__

        QMessageBox.about(
            self,
            "About LDN Desktop",
            f"LDN Desktop {__version__}\n\nCompounding, records and labels for low-dose "
            f"naltrexone.\n\nDatabase: {getattr(self.context.store, 'path', 'opening…')}",
        )

    # -- status bar ------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_status = QLabel()
        self.user_status.setAccessibleName("Signed-in user")
        self.db_status = QLabel()
        self.db_status.setAccessibleName("Database file")
        self.backup_status = QLabel()
        self.backup_status.setAccessibleName("Last backup")
        bar.addWidget(self.user_status)
        bar.addWidget(self.db_status, 1)
        bar.addPermanentWidget(self.backup_status)

    def _refresh_status(self) -> None:
        user = self.context.user
        if user is None:
            self.user_status.setText("Not signed in")
        else:
            state = " — locked" if self.context.locked else ""
            self.user_status.setText(f"{user.full_name} ({user.role.value}){state}")
        store = self.context.store
        if store is None:
            self.db_status.setText("Opening the database…")
            self.backup_status.clear()
            return
        path = Path(store.path)
        self.db_status.setText(f"Database: {path.name}")
        self.db_status.setToolTip(str(path))
        if not self._backing_up:
            self.backup_status.setText(f"Last backup: {self._last_backup_text()}")

    def _last_backup_text(self) -> str:
        from ldn_desktop.store.errors import StoreError

        try:
            when = self.context.store.last_backup_time()
        except StoreError:
            return "unknown"
        if when is None:
            return "never"
        local = when.astimezone() if when.tzinfo else when
        today = datetime.now(local.tzinfo).date()
        if local.date() == today:
            return f"today {local:%H:%M}"
        return f"{local:%Y-%m-%d %H:%M}"

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    # -- settings --------------------------------------------------------------------------
    def _idle_minutes(self) -> float:
        return float(self.context.settings.app.idle_lock_minutes)

    def _on_settings_changed(self, _settings: Any) -> None:
        self.idle_lock.set_minutes(self._idle_minutes())

    # -- backups ---------------------------------------------------------------------------
    def backup_if_due(self) -> None:
        """The daily backup, in the background so the window never freezes."""
        from ldn_desktop.store.errors import StoreError

        store = self.context.store
        if self._backing_up or store is None or store.read_only or self.context.user is None:
            return
        try:
            due = store.backup_due()
        except StoreError as exc:
            log.warning("backup check failed: %s", exc)
            return
        if due:
            self._start_backup("daily")

    def backup_now(self) -> None:
        store = self.context.store
        if not self._backing_up and store is not None and not store.read_only:
            self._start_backup("manual")

    def _start_backup(self, reason: str) -> None:
        """A second connection in a worker thread makes the copy (SQLite's WAL allows it)."""
        path = Path(self.context.store.path)
        self._backing_up = True
        self.backup_status.setText("Backing up the database…")

        def work() -> object:
            from ldn_desktop.store import open_store

            worker_store = open_store(path)
            try:
                return worker_store.make_backup(reason=reason)
            finally:
                worker_store.close()

        def done(_info: object) -> None:
            self._backing_up = False
            self._refresh_status()

        def failed(exc: BaseException) -> None:
            self._backing_up = False
            self._refresh_status()
            show_error(self, "Backing up the database", exc)

        self.context.run_in_background(work, done, failed)

    def closeEvent(self, event: QCloseEvent) -> None:
        """The backup on exit, then close: nothing is left half-done."""
        from PySide6.QtCore import Qt

        self.idle_lock.detach()
        self._backup_timer.stop()
        self.context.wait_for_background()
        from ldn_desktop.store.errors import StoreError

        store = self.context.store
        if store is not None and not store.read_only and self.context.user is not None:
            self.backup_status.setText("Backing up the database before closing…")
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                store.backup_on_exit()
            except StoreError as exc:
                show_error(self, "Backing up before closing", exc)
            finally:
                QApplication.restoreOverrideCursor()
        super().closeEvent(event)
