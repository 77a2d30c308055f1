"""Screenshots of the window's shell screens for docs/screenshots/ (offscreen, no display).

First run, sign-in, the lock screen, every calculator (with a warning and a stop), the
settings tabs, and the calculator in a dark palette. Run after changing those screens:
    .venv/bin/python scripts/screenshots-window.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
SIZE = (1180, 760)


def main() -> int:
    data = Path(tempfile.mkdtemp(prefix="ldn-shots-"))
    os.environ["LDN_DESKTOP_DATA_DIR"] = str(data)
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    from ldn_desktop.store import open_store
    from ldn_desktop.ui.app import make_application
    from ldn_desktop.ui.context import AppContext, load_settings
    from ldn_desktop.ui.main_window import MainWindow

    app = make_application()
    OUT.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    def shot(widget: object, name: str) -> None:
        settle()
        widget.grab().save(str(OUT / f"{name}.png"))  # type: ignore[attr-defined]
        print(OUT / f"{name}.png")

    store = open_store(data / "ldn-desktop.sqlite3", scrypt_n=2**10)
    window = MainWindow(AppContext(store, load_settings(store)))
    window.resize(*SIZE)
    window.show()
    first = window.first_run
    first.name.setText("Riverside Compounding Pharmacy")
    first.address.setPlainText("1 High Street\nRiverside RS1 2AB")
    first.phone.setText("555-0100")
    first.licence.setText("PH-12345")
    first.full_name.setText("Ada Morgan")
    first.username.setText("ada")
    shot(window, "first-run")
    first.password.setText("correct horse battery")
    first.password_again.setText("correct horse battery")
    first.create()
    calculate = window.pages["Calculate"]
    capsules = calculate.capsules
    capsules.dose.number.setText("4.5")
    capsules.assay.number.setText("99.5")
    capsules.water.number.setText("1.5")
    capsules.result.working_button.setChecked(True)
    shot(window, "calculate-capsules")
    capsules.result.working_button.setChecked(False)
    capsules.dose.number.setText("250")
    capsules.dose.unit_box.setCurrentText("mcg")
    shot(window, "calculate-capsules-trituration")
    capsules.dose.number.setText("60")
    capsules.dose.unit_box.setCurrentText("mg")
    shot(window, "calculate-stop")
    capsules.dose.number.setText("4.5")
    calculate.tabs.setCurrentWidget(calculate.liquid)
    calculate.liquid.schedule.titrated.setChecked(True)
    shot(window, "calculate-liquid-titration")
    calculate.tabs.setCurrentWidget(calculate.cream)
    calculate.cream.strength.set_value("3", "mg/mL")
    calculate.cream.click.set_value("0.2")
    shot(window, "calculate-cream-warning")
    calculate.tabs.setCurrentWidget(calculate.titration)
    shot(window, "calculate-titration")
    settings = window.pages["Settings"]
    window.show_page("Settings")
    for index, name in enumerate(("pharmacy", "calculations", "workstation")):
        settings.tabs.setCurrentIndex(index)
        shot(window, f"settings-{name}")
    window.show_page("Calculate")
    calculate.tabs.setCurrentWidget(calculate.capsules)
    window.lock()
    shot(window, "locked")
    window.sign_out()
    shot(window, "sign-in")

    # A dark system theme: the same calculator must stay readable.
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
    from ldn_desktop.ui.style import style_sheet

    app.setStyleSheet(style_sheet(dark))
    dark_window = MainWindow(AppContext(store, load_settings(store)))
    dark_window.resize(*SIZE)
    dark_window.show()
    dark_window.sign_in_as(store.authenticate("ada", "correct horse battery"))
    dark_calc = dark_window.pages["Calculate"].capsules
    dark_calc.dose.number.setText("6")
    dark_calc.assay.number.setText("120")
    shot(dark_window, "calculate-dark")
    dark_calc.assay.number.setText("99.5")
    shot(dark_window, "calculate-dark-warning")
    for w in (window, dark_window):
        w.close()
    store.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
