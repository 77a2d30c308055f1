"""Starting the window: the application, the store, the error handling, the main window.

`run_app` is what `ldn-desktop` with no command calls. Anything that goes wrong is shown as
a dialog a pharmacist understands and logged in full to the log file; never a traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from ldn_desktop import __version__
from ldn_desktop.paths import APP_NAME, default_database_path, resources_dir
from ldn_desktop.ui.errors import friendly_message, install_excepthook, log_file_path

log = logging.getLogger("ldn_desktop")

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


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
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.ldn_app_log = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with name, icon, high-DPI policy and style (reused if one exists)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Fractional scale factors (125 %, 150 %) as the screen asks, not rounded.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
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


def open_main_window(db_path: Path | None = None):  # type: ignore[no-untyped-def]
    """Open the store and build the main window; None (after a dialog) if the store fails."""
    from ldn_desktop.store import StoreError, open_store
    from ldn_desktop.ui.context import AppContext, load_settings
    from ldn_desktop.ui.main_window import MainWindow

    path = Path(db_path) if db_path is not None else default_database_path()
    try:
        store = open_store(path)
        settings = load_settings(store)
    except StoreError as exc:
        log.warning("cannot open %s: %s", path, exc)
        QMessageBox.critical(None, "Opening the database", f"{exc.message}\n\nDatabase: {path}")
        return None
    except Exception as exc:  # our bug: logged with its traceback, shown in plain words
        log.exception("opening %s failed", path)
        QMessageBox.critical(
            None,
            "Opening the database",
            friendly_message(exc)
            or f"LDN Desktop could not open the database. The details are in {log_file_path()}.",
        )
        return None
    context = AppContext(store, settings)
    window = MainWindow(context)
    return window


def run_app(db_path: Path | None = None) -> int:
    """Show the window and run until it is closed; the exit code for the command line."""
    setup_logging()
    app = make_application()
    install_excepthook()
    window = open_main_window(db_path)
    if window is None:
        return 1
    window.show()
    code = app.exec()
    window.context.store.close()
    return int(code)
