#!/usr/bin/env python3
"""Every screenshot in docs/screenshots/, offscreen (no display needed).

    .venv/bin/python scripts/screenshots.py [OUT_DIR]   (default docs/screenshots)

- the window's shell on a new pharmacy (1180 × 760): first run, every calculator (with a
  warning and a stop), the settings tabs, the lock screen and sign-in;
- the Patients page and the new-prescription form on the demo pharmacy (1280 × 800);
- the Batches, Inventory, Formulas and Print pages on the demo pharmacy (1280 × 800);
- then a dark system theme: the calculator, the batch record and the lots must stay readable.

Run after changing any of those screens and look at what changed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from ldn_desktop.store.api import Store
    from ldn_desktop.ui.main_window import MainWindow

SHELL_SIZE = (1180, 760)
PAGES_SIZE = (1280, 800)
PASSWORD = "correct horse battery"

# A dark system palette (as on a desktop set to a dark theme); Fusion so Qt uses it whole.
DARK_COLOURS = (
    ("Window", "#2b2b2b"),
    ("WindowText", "#e8e8e8"),
    ("Base", "#1f1f1f"),
    ("AlternateBase", "#333333"),
    ("Text", "#e8e8e8"),
    ("Button", "#3a3a3a"),
    ("ButtonText", "#e8e8e8"),
    ("Highlight", "#3d7bd9"),
    ("HighlightedText", "#ffffff"),
    ("PlaceholderText", "#a0a0a0"),
    ("Mid", "#555555"),
)
DARK_DISABLED_TEXT = "#7a7a7a"


class Camera:
    """Lets the window settle, grabs a widget and saves it as OUT_DIR/<name>.png."""

    def __init__(self, app: QApplication, out: Path) -> None:
        self.app = app
        self.out = out

    def settle(self, seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.02)

    def shot(self, widget: QWidget, name: str) -> None:
        self.settle()
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)


def open_window(store: Store, size: tuple[int, int], user: Any = None) -> MainWindow:
    """The main window on `store`, shown at `size`, signed in as `user` when one is given."""
    from ldn_desktop.ui.context import AppContext, load_settings
    from ldn_desktop.ui.main_window import MainWindow

    window = MainWindow(AppContext(store, load_settings(store), user))
    window.resize(*size)
    window.show()
    if user is not None:
        window.sign_in_as(user)
    return window


def page_of(window: MainWindow, name: str) -> Any:
    """A page of the window, with the widgets a screenshot fills in (Any: each page differs)."""
    return window.pages[name]


def demo_store(folder: Path) -> tuple[Store, Any]:
    """A fresh demo pharmacy and its first demo pharmacist, signed in."""
    from ldn_desktop.store import open_store
    from ldn_desktop.store.demo import DEMO_USERS, fill_demo

    store = open_store(folder / "demo.sqlite3", scrypt_n=2**10)
    fill_demo(store)
    return store, store.authenticate(DEMO_USERS[0].username, DEMO_USERS[0].password)


def shell_screens(camera: Camera, store: Store) -> None:
    """First run on an empty store, then the calculators, settings, lock and sign-in."""
    window = open_window(store, SHELL_SIZE)
    first = window.first_run
    first.name.setText("Riverside Compounding Pharmacy")
    first.address.setPlainText("1 High Street\nRiverside RS1 2AB")
    first.phone.setText("555-0100")
    first.licence.setText("PH-12345")
    first.full_name.setText("Ada Morgan")
    first.username.setText("ada")
    camera.shot(window, "first-run")
    first.password.setText(PASSWORD)
    first.password_again.setText(PASSWORD)
    first.create()
    calculate = page_of(window, "Calculate")
    capsules = calculate.capsules
    capsules.dose.number.setText("4.5")
    capsules.assay.number.setText("99.5")
    capsules.water.number.setText("1.5")
    capsules.result.working_button.setChecked(True)
    camera.shot(window, "calculate-capsules")
    capsules.result.working_button.setChecked(False)
    capsules.dose.number.setText("250")
    capsules.dose.unit_box.setCurrentText("mcg")
    camera.shot(window, "calculate-capsules-trituration")
    capsules.dose.number.setText("60")
    capsules.dose.unit_box.setCurrentText("mg")
    camera.shot(window, "calculate-stop")
    capsules.dose.number.setText("4.5")
    calculate.tabs.setCurrentWidget(calculate.liquid)
    calculate.liquid.schedule.titrated.setChecked(True)
    camera.shot(window, "calculate-liquid-titration")
    calculate.tabs.setCurrentWidget(calculate.cream)
    calculate.cream.strength.set_value("3", "mg/mL")
    calculate.cream.click.set_value("0.2")
    camera.shot(window, "calculate-cream-warning")
    calculate.tabs.setCurrentWidget(calculate.titration)
    camera.shot(window, "calculate-titration")
    settings = page_of(window, "Settings")
    window.show_page("Settings")
    for index, name in enumerate(("pharmacy", "calculations", "workstation")):
        settings.tabs.setCurrentIndex(index)
        camera.shot(window, f"settings-{name}")
    window.show_page("Calculate")
    calculate.tabs.setCurrentWidget(calculate.capsules)
    window.lock()
    camera.shot(window, "locked")
    window.sign_out()
    camera.shot(window, "sign-in")
    window.close()


def patients_screens(camera: Camera, store: Store, user: Any) -> None:
    """The new-prescription form filled in for a titration, a dose refused for want of a
    unit, then the Patients page listing the patient's prescriptions with the new one."""
    from ldn_desktop.ui.prescription_form import PrescriptionDialog

    window = open_window(store, PAGES_SIZE, user)
    camera.settle()
    if not window.show_page("Patients"):
        raise SystemExit("the Patients page is not in the window")
    page = page_of(window, "Patients")
    page.search.setText("chen")
    page.run_search()
    camera.settle()

    dialog = PrescriptionDialog(window.context, page.current_patient, parent=window)
    dialog.rx_number.setText("RX-40277")
    dialog.prescriber.setText("Dr. Samuel Okafor")
    dialog.dosage_form.setCurrentIndex(dialog.dosage_form.findData("oral-liquid"))
    dialog.schedule.setCurrentIndex(dialog.schedule.findData("stepped"))
    for field, number in ((dialog.start, "1.5"), (dialog.step, "1.5"), (dialog.target, "4.5")):
        field.set_value(number, "mg")
    dialog.every.setValue(14)
    dialog.quantity.setValue(100)
    dialog.days_supply.setValue(30)
    dialog.show()
    camera.shot(dialog, "patients-new-prescription")
    # A dose copied without its unit: refused beside the field, nothing saved.
    refused = PrescriptionDialog(window.context, page.current_patient, parent=window)
    refused.rx_number.setText("RX-40278")
    refused.prescriber.setText("Dr. Samuel Okafor")
    refused.dose.set_value("4.5")
    refused.show()
    refused.save()
    camera.shot(refused, "patients-dose-refused")
    refused.close()
    dialog.save()  # the page then lists it with the patient's earlier prescription
    page.show_prescription(dialog.saved)
    camera.shot(window, "patients")
    window.close()


def first_batch(store: Store, state: Any, *, with_rx: bool = False) -> int | None:
    """The first batch in `state` (with a prescription, if asked), or None."""
    from ldn_desktop.store.records import BatchQuery

    rows = store.search_batches(BatchQuery(state=state)).rows
    return next((b.id for b in rows if b.rx_number or not with_rx), None)


def records_screens(camera: Camera, store: Store, user: Any) -> None:
    """The Batches, Inventory, Formulas and Print pages, as a pharmacist sees them."""
    from ldn_desktop.store.records import BatchState

    window = open_window(store, PAGES_SIZE, user)
    camera.settle()
    window.show_page("Batches")
    batches = page_of(window, "Batches")
    for state, name in ((BatchState.COMPOUNDED, "batches"), (BatchState.DRAFT, "batch-draft")):
        batch_id = first_batch(store, state)
        if batch_id is not None:
            batches.open_batch(batch_id)
            camera.shot(window, name)

    window.show_page("Inventory")
    inventory = page_of(window, "Inventory")
    camera.shot(window, "inventory")
    inventory.tabs.setCurrentIndex(1)
    camera.shot(window, "inventory-expiring")
    dispensed = first_batch(store, BatchState.DISPENSED)
    if dispensed is not None:
        inventory.trace_field.setText(store.batch(dispensed).components[0].lot_number)
        inventory.trace()
        inventory.tabs.setCurrentIndex(2)
        camera.shot(window, "inventory-recall-trace")

    window.show_page("Formulas")
    camera.shot(window, "formulas")

    window.show_page("Print")
    verified = first_batch(store, BatchState.VERIFIED, with_rx=True)
    if verified is not None:
        page_of(window, "Print").panel.set_batch(verified)
        window.context.wait_for_background()
        camera.settle(1.0)
    camera.shot(window, "print")
    window.close()
    window.context.wait_for_background()


def use_dark_palette(app: QApplication) -> None:
    from PySide6.QtGui import QColor, QPalette

    from ldn_desktop.ui.style import style_sheet

    dark = QPalette()
    for role, colour in DARK_COLOURS:
        dark.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for disabled in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Text):
        dark.setColor(QPalette.ColorGroup.Disabled, disabled, QColor(DARK_DISABLED_TEXT))
    app.setStyle("Fusion")
    app.setPalette(dark)
    app.setStyleSheet(style_sheet(dark))


def dark_screens(camera: Camera, shell: Store, demo: Store, pharmacist: Any) -> None:
    """The capsule calculator (a stop, then a warning), a rejected batch and the lots."""
    from ldn_desktop.store.records import BatchState

    window = open_window(shell, SHELL_SIZE, shell.authenticate("ada", PASSWORD))
    capsules = page_of(window, "Calculate").capsules
    capsules.dose.number.setText("6")
    capsules.assay.number.setText("120")
    camera.shot(window, "calculate-dark")
    capsules.assay.number.setText("99.5")
    camera.shot(window, "calculate-dark-warning")
    window.close()

    window = open_window(demo, PAGES_SIZE, pharmacist)
    window.show_page("Batches")
    rejected = first_batch(demo, BatchState.REJECTED)
    if rejected is not None:
        page_of(window, "Batches").open_batch(rejected)
    camera.shot(window, "batches-dark")
    window.show_page("Inventory")
    camera.shot(window, "inventory-dark")
    window.close()
    window.context.wait_for_background()


def main() -> int:
    out = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ldn-shots-") as tmp:
        folder = Path(tmp)
        # Workstation settings go to the throw-away folder, not the user's own.
        os.environ["LDN_DESKTOP_DATA_DIR"] = str(folder)
        from ldn_desktop.store import open_store
        from ldn_desktop.ui.app import make_application

        camera = Camera(make_application(), out)
        shell = open_store(folder / "ldn-desktop.sqlite3", scrypt_n=2**10)
        shell_screens(camera, shell)
        # The Patients page saves a prescription: the records pages get a demo of their own.
        (folder / "patients").mkdir()
        (folder / "records").mkdir()
        patients_demo, pharmacist = demo_store(folder / "patients")
        patients_screens(camera, patients_demo, pharmacist)
        patients_demo.close()
        demo, pharmacist = demo_store(folder / "records")
        records_screens(camera, demo, pharmacist)
        use_dark_palette(camera.app)
        dark_screens(camera, shell, demo, pharmacist)
        demo.close()
        shell.close()
        camera.app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
