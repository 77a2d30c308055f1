"""Starting the window: the application, the store, the error handling, the main window.

`run_app` is what `ldn-desktop` with no command calls. Anything that goes wrong is shown as
a dialog a pharmacist understands and logged in full to the log file; never a traceback.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from ldn_desktop import __version__
from ldn_desktop.paths import APP_NAME, default_database_path, resources_dir
from ldn_desktop.ui.errors import friendly_message, install_excepthook, log_file_path

if TYPE_CHECKING:
    from ldn_desktop.ui.main_window import MainWindow

log = logging.getLogger("ldn_desktop")

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
LOG_MAX_BYTES = 1_000_000


def app_icon() -> QIcon:
    """The app's icon from resources/icons (every size found), or an empty icon."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in ICON_SIZES:
        png = folder / f"ldn-desktop-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    return icon


def setup_logging() -> logging.Handler:
    """Warnings and errors (with their tracebacks) go to the log file in the data folder."""
    root = logging.getLogger("ldn_desktop")
    for existing in root.handlers:
        if getattr(existing, "ldn_app_log", False):
            return existing
    path = log_file_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > LOG_MAX_BYTES:
            path.replace(path.with_suffix(".log.1"))  # keep one previous log
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.ldn_app_log = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with name, icon, high-DPI policy and style (reused if one exists)."""
    from ldn_desktop.ui.qt_fixes import make_immortal

    make_immortal()  # PySide6 6.12.0 on Python 3.11 loses references (ui/qt_fixes.py)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Fractional scale factors (125 %, 150 %) are used as the screen asks, not rounded:
        # that is Qt 6's default rounding policy (PassThrough; tests/ui/test_app.py checks
        # it), so it is not set here: touching the `Qt` namespace costs about 8 ms of
        # start-up while PySide builds its enums.
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("ldn-desktop")
    app.setWindowIcon(app_icon())
    from ldn_desktop.ui.style import apply_style

    apply_style(app)
    return app


def open_store_and_settings(path: Path) -> tuple[Any, Any]:
    """Open the store and read its settings (on the window's thread: SQLite connections
    belong to the thread that opened them)."""
    from ldn_desktop.store import open_store
    from ldn_desktop.ui.context import load_settings

    store = open_store(path)
    try:
        return store, load_settings(store)
    except BaseException:
        store.close()
        raise


def _preload_store() -> None:
    """Import the store's modules (SQLite, sqlite-utils) off the window's thread."""
    import ldn_desktop.core.pharmacy_settings
    import ldn_desktop.store.sqlite_store  # noqa: F401


def start_window(db_path: Path | None = None) -> MainWindow:
    """Show the window at once, at the sign-in screen; open the database just after.

    The heavy imports run on a worker thread while the window paints; the store itself
    opens on the window's thread. If it cannot open, a dialog says why in plain words,
    the window closes (`open_failed` is set) and `run_app` returns 1.
    """
    from ldn_desktop.ui.context import AppContext
    from ldn_desktop.ui.main_window import MainWindow

    path = Path(db_path) if db_path is not None else default_database_path()
    context = AppContext(None)
    window = MainWindow(context)

    def open_now(_result: object = None) -> None:
        try:
            store, settings = open_store_and_settings(path)
        except Exception as exc:
            from PySide6.QtWidgets import QMessageBox

            log.warning("cannot open %s: %s", path, exc, exc_info=friendly_message(exc) is None)
            message = friendly_message(exc) or (
                f"LDN Desktop could not open the database. The details are in {log_file_path()}."
            )
            QMessageBox.critical(window, "Opening the database", f"{message}\n\nDatabase: {path}")
            window.open_failed = True
            window.close()  # the last window: the application ends (run_app returns 1)
            return
        context.set_store(store, settings)

    def preload() -> None:
        context.run_in_background(_preload_store, open_now, lambda _exc: open_now())

    # Once the window has painted and settled (two turns of the event loop), so the
    # import does not compete with the first paint for the interpreter.
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, preload))
    return window


def run_app(db_path: Path | None = None) -> int:
    """Show the window and run until it is closed; the exit code for the command line."""
    setup_logging()
    app = make_application()
    install_excepthook()
    window = start_window(db_path)
    window.show()
    code = app.exec()
    if window.context.store is not None:
        window.context.store.close()
    return 1 if window.open_failed else int(code)
