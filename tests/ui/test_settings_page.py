"""Settings: what is saved is what the store reads back, and the core refuses bad figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from ldn_desktop.core.findings import Severity
from ldn_desktop.core.quantities import Strength
from ldn_desktop.store.records import Role
from ldn_desktop.ui.context import AppContext, load_settings
from ldn_desktop.ui.settings_page import SettingsPage
from tests.ui.conftest import duplicate_mnemonics

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


@pytest.fixture(autouse=True)
def no_dialogs(monkeypatch):
    shown = []
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a: shown.append(a[1:3]))
    return shown


def make_page(qtbot, store, user):
    context = AppContext(store, load_settings(store), user=user)
    page = SettingsPage(context)
    qtbot.addWidget(page)
    return page


def test_calculation_settings_round_trip_through_the_store(qtbot, store, pharmacist):
    page = make_page(qtbot, store, pharmacist)
    calc = page.calculation
    calc.balance.set_value("1")
    calc.packing["1"].set_value("200")
    calc.click.set_value("0.13")
    calc.cream_strength.set_value("3", "mg/mL")
    calc.liquid_strength.set_value("0.5")
    with qtbot.waitSignal(page.context.settings_changed):
        qtbot.mouseClick(calc.save_button, Qt.MouseButton.LeftButton)
    assert calc.status.text() == "Saved."
    saved = load_settings(store).calculation
    assert saved.balance_readability_mg == Decimal(1)
    assert saved.minimum_weight_mg == Decimal(820)  # USP <41>: 820 × d
    assert saved.packing_mg == {"1": Decimal(200)}
    assert saved.click_ml == Decimal("0.13")
    assert saved.cream_strength == Strength(Decimal(3), "mL")
    assert saved.liquid_strength == Strength(Decimal("0.5"), "mL")
    assert page.context.settings.calculation == saved
    # A fresh page shows what was saved.
    again_page = make_page(qtbot, store, pharmacist)
    again = again_page.calculation
    assert again.packing["1"].number.text() == "200"
    assert again.packing["0"].number.text() == ""
    assert "from volume" in again.packing["0"].number.placeholderText()
    assert again.minimum.text() == "Minimum weight (USP <41>): 820 mg"


def test_the_core_refuses_a_zero_balance_beside_the_field(qtbot, store, pharmacist):
    page = make_page(qtbot, store, pharmacist)
    calc = page.calculation
    calc.balance.set_value("0")
    assert calc.save() is False
    assert calc.notes_for("balance_readability_mg").severities() == [Severity.STOP]
    assert store.calculation_settings() is None  # nothing was saved
    calc.revert_button.click()
    assert calc.balance.number.text() == "0.1"
    assert calc.notes_for("balance_readability_mg").severities() == []


def test_a_strength_without_a_number_is_refused_not_guessed(qtbot, store, pharmacist):
    page = make_page(qtbot, store, pharmacist)
    calc = page.calculation
    calc.click.set_value("")
    assert calc.save() is False
    assert calc.notes_for("click_ml").severities() == [Severity.STOP]


def test_pharmacy_details_round_trip(qtbot, store, admin):
    page = make_page(qtbot, store, admin)
    section = page.pharmacy
    assert section.name.text() == "Riverside Compounding"
    section.phone.setText("555-0199")
    section.address.setPlainText("2 Mill Lane\nRiverside")
    assert section.save()
    details = store.pharmacy_details()
    assert (details.phone, details.address) == ("555-0199", "2 Mill Lane\nRiverside")
    assert page.context.settings.pharmacy == details


def test_an_empty_pharmacy_name_is_refused_by_the_store(qtbot, store, admin):
    page = make_page(qtbot, store, admin)
    section = page.pharmacy
    section.name.clear()
    assert section.save() is False
    assert section.notes_for("name").severities() == [Severity.STOP]
    assert store.pharmacy_details().name == "Riverside Compounding"


def test_workstation_settings_round_trip_and_reach_the_context(qtbot, store, admin, monkeypatch):
    page = make_page(qtbot, store, admin)
    section = page.workstation
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: "/srv/ldn-backups")
    section.choose_folder()
    section.paper.setCurrentIndex(section.paper.findData("Letter"))
    section.label_stock.setCurrentIndex(section.label_stock.findData("thermal-4x2"))
    section.idle.setValue(5)
    section.keep.setValue(14)
    with qtbot.waitSignal(page.context.settings_changed) as blocker:
        assert section.save()
    app = store.app_settings()
    assert app.backup_folder == "/srv/ldn-backups"
    assert (app.paper_size, app.label_stock) == ("Letter", "thermal-4x2")
    assert (app.idle_lock_minutes, app.backup_keep) == (5, 14)
    assert blocker.args[0].app == app


def test_a_technician_sees_the_settings_but_cannot_change_them(qtbot, store, admin):
    store.add_user("tess", "Tess Technician", Role.TECHNICIAN, "technician 1", by=admin)
    tech = store.authenticate("tess", "technician 1")
    page = make_page(qtbot, store, tech)
    for section in page.sections:
        assert not section.save_button.isEnabled()
        assert not section.fields.isEnabled()
        assert section.permission.text().startswith("Only shown:")
        assert "technician" in section.permission.text()


def test_alt_letters_are_unique_on_every_settings_tab(qtbot, store, admin):
    page = make_page(qtbot, store, admin)
    page.show()
    for section in page.sections:
        page.tabs.setCurrentWidget(section)
        assert duplicate_mnemonics(section) == {}, section.title


def test_tab_reaches_revert_and_save_after_the_fields(qtbot, store, admin):
    """Reading order: the buttons are beneath the fields (they were reached first)."""
    page = make_page(qtbot, store, admin)
    page.resize(900, 700)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    for section in page.sections:
        page.tabs.setCurrentWidget(section)
        page.tabs.tabBar().setFocus()
        order = []
        while len(order) < 30 and QApplication.focusWidget() is not section.save_button:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            order.append(QApplication.focusWidget())
        names = [widget.accessibleName() for widget in order]
        fields = [w for w in order if section.fields.isAncestorOf(w)]
        assert fields and order[: len(fields)] == fields, (section.title, names)
        assert order[len(fields) :] == [section.revert_button, section.save_button], names
