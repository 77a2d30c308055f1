#!/usr/bin/env python3
"""Screenshots of the Patients page and the new-prescription form on the demo pharmacy.

    .venv/bin/python scripts/screenshot-patients-page.py [OUT_DIR]   (default docs/screenshots)

Offscreen (no display needed): the new-prescription form filled in for a titration, with
the directions the core generates; then the main window (1280 × 800, signed in as the demo
pharmacist) on the Patients page, the patient's prescriptions listed with the new one.
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
        from ldn_desktop.ui.prescription_form import PrescriptionDialog

        window = MainWindow(context)
        window.resize(*SIZE)
        window.show()
        window.sign_in_as(paula)
        settle(app)
        if not window.show_page("Patients"):
            print("the Patients page is not in the window", file=sys.stderr)
            return 1
        page = window.pages["Patients"]
        page.search.setText("chen")
        page.run_search()
        settle(app)

        dialog = PrescriptionDialog(context, page.current_patient, parent=window)
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
        settle(app)
        dialog.grab().save(str(out / "patients-new-prescription.png"))
        print(out / "patients-new-prescription.png")
        # A dose copied without its unit: refused beside the field, nothing saved.
        refused = PrescriptionDialog(context, page.current_patient, parent=window)
        refused.rx_number.setText("RX-40278")
        refused.prescriber.setText("Dr. Samuel Okafor")
        refused.dose.set_value("4.5")
        refused.show()
        refused.save()
        settle(app)
        refused.grab().save(str(out / "patients-dose-refused.png"))
        print(out / "patients-dose-refused.png")
        refused.close()
        dialog.save()  # the page then lists it with the patient's earlier prescription
        page.show_prescription(dialog.saved)
        settle(app)
        window.grab().save(str(out / "patients.png"))
        print(out / "patients.png")
        window.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
