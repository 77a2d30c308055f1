#!/usr/bin/env python3
"""Screenshots of the Batches, Inventory, Formulas and Print pages on the demo pharmacy.

    .venv/bin/python scripts/screenshot-records-pages.py [OUT_DIR]   (default docs/screenshots)

Offscreen (no display needed); the main window, signed in as the demo pharmacist, is grabbed
at 1280 × 800 on each page, as a pharmacist sees it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from ldn_desktop.store import open_store  # noqa: E402
from ldn_desktop.store.demo import DEMO_USERS, fill_demo  # noqa: E402
from ldn_desktop.store.records import BatchQuery, BatchState  # noqa: E402
from ldn_desktop.ui.context import AppContext, load_settings  # noqa: E402
from ldn_desktop.ui.style import apply_style  # noqa: E402

SIZE = (1280, 800)


def settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "demo.sqlite3", scrypt_n=2**10)
        fill_demo(store)
        paula = store.authenticate(DEMO_USERS[0].username, DEMO_USERS[0].password)
        context = AppContext(store, load_settings(store), paula)

        from ldn_desktop.ui.main_window import MainWindow

        window = MainWindow(context)
        window.resize(*SIZE)
        window.show()
        window.sign_in_as(paula)
        settle(app)

        def shot(name: str) -> None:
            settle(app)
            window.grab().save(str(out / name))
            print(out / name)

        def first(state: BatchState, *, with_rx: bool = False) -> int | None:
            rows = store.search_batches(BatchQuery(state=state)).rows
            return next((b.id for b in rows if b.rx_number or not with_rx), None)

        window.show_page("Batches")
        batches = window.pages["Batches"]
        for state, name in (
            (BatchState.COMPOUNDED, "batches.png"),
            (BatchState.DRAFT, "batch-draft.png"),
        ):
            batch_id = first(state)
            if batch_id is not None:
                batches.open_batch(batch_id)
                shot(name)

        window.show_page("Inventory")
        inventory = window.pages["Inventory"]
        shot("inventory.png")
        inventory.tabs.setCurrentIndex(1)
        shot("inventory-expiring.png")
        dispensed = first(BatchState.DISPENSED)
        if dispensed is not None:
            inventory.trace_field.setText(store.batch(dispensed).components[0].lot_number)
            inventory.trace()
            inventory.tabs.setCurrentIndex(2)
            shot("inventory-recall-trace.png")

        window.show_page("Formulas")
        shot("formulas.png")

        window.show_page("Print")
        verified = first(BatchState.VERIFIED, with_rx=True)
        if verified is not None:
            window.pages["Print"].panel.set_batch(verified)
            context.wait_for_background()
            settle(app, 1.0)
        shot("print.png")

        # A dark system theme: the batch record and the lots must stay readable.
        from PySide6.QtGui import QColor, QPalette

        from ldn_desktop.ui.style import style_sheet

        dark = QPalette()
        for role, colour in (
            (QPalette.ColorRole.Window, "#2b2b2b"),
            (QPalette.ColorRole.WindowText, "#e8e8e8"),
            (QPalette.ColorRole.Base, "#1f1f1f"),
            (QPalette.ColorRole.AlternateBase, "#333333"),
            (QPalette.ColorRole.Text, "#e8e8e8"),
            (QPalette.ColorRole.Button, "#3a3a3a"),
            (QPalette.ColorRole.ButtonText, "#e8e8e8"),
            (QPalette.ColorRole.Highlight, "#3d7bd9"),
            (QPalette.ColorRole.HighlightedText, "#ffffff"),
            (QPalette.ColorRole.PlaceholderText, "#a0a0a0"),
            (QPalette.ColorRole.Mid, "#555555"),
        ):
            dark.setColor(role, QColor(colour))
        for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Text):
            dark.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
        app.setStyle("Fusion")
        app.setPalette(dark)
        app.setStyleSheet(style_sheet(dark))
        window.close()
        window = MainWindow(AppContext(store, load_settings(store), paula))
        window.resize(*SIZE)
        window.show()
        window.sign_in_as(paula)
        window.show_page("Batches")
        rejected = first(BatchState.REJECTED)
        if rejected is not None:
            window.pages["Batches"].open_batch(rejected)
        shot("batches-dark.png")
        window.show_page("Inventory")
        shot("inventory-dark.png")
        window.close()
        context.wait_for_background()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
