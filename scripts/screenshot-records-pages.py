#!/usr/bin/env python3
"""Screenshots of the Batches, Inventory, Formulas and Print pages on the demo pharmacy.

    .venv/bin/python scripts/screenshot-records-pages.py [OUT_DIR]   (default docs/screenshots)

Offscreen (no display needed); each page is grabbed at 1280 × 800 as a pharmacist sees it.
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

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

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


def grab(app: QApplication, widget: QWidget, path: Path) -> None:
    widget.resize(*SIZE)
    widget.show()
    settle(app)
    widget.grab().save(str(path))
    print(path)


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

        from ldn_desktop.ui.batches_page import BatchesPage
        from ldn_desktop.ui.formulas_page import FormulasPage
        from ldn_desktop.ui.inventory_page import InventoryPage
        from ldn_desktop.ui.print_page import PrintPage

        batches = BatchesPage(context)
        drafts = store.search_batches(BatchQuery(state=BatchState.COMPOUNDED)).rows
        if drafts:
            batches.detail.show_batch(drafts[0].id)
            batches._batch_changed(drafts[0].id)
        grab(app, batches, out / "batches.png")

        draft = store.search_batches(BatchQuery(state=BatchState.DRAFT)).rows
        if draft:
            batches.detail.show_batch(draft[0].id)
            batches._batch_changed(draft[0].id)
            grab(app, batches, out / "batch-draft.png")

        inventory = InventoryPage(context)
        grab(app, inventory, out / "inventory.png")
        inventory.tabs.setCurrentIndex(1)
        grab(app, inventory, out / "inventory-expiring.png")
        used = store.search_batches(BatchQuery(state=BatchState.DISPENSED)).rows
        if used:
            lot = store.batch(used[0].id).components[0].lot_number
            inventory.trace_field.setText(lot)
            inventory.trace()
            inventory.tabs.setCurrentIndex(2)
            grab(app, inventory, out / "inventory-recall-trace.png")

        formulas = FormulasPage(context)
        grab(app, formulas, out / "formulas.png")

        printing = PrintPage(context)
        verified = store.search_batches(BatchQuery(state=BatchState.VERIFIED)).rows
        target = next((b for b in verified if b.rx_number), None)
        if target is not None:
            printing.panel.set_batch(target.id)
            context.wait_for_background()
            settle(app, 1.0)
        grab(app, printing, out / "print.png")
        context.wait_for_background()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
