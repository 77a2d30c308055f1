"""Inventory as a pharmacist uses it: receive, release, recall with a trace, what expires."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog

from ldn_desktop.store.records import LotStatus
from ldn_desktop.ui import inventory_page
from ldn_desktop.ui.inventory_page import InventoryPage
from ldn_desktop.ui.lot_model import LotTableModel, RecallTraceModel
from tests.ui.bench_pharmacy import (  # noqa: F401  (bench, page and dialogs are fixtures)
    API_LOT,
    FILLER_LOT,
    bench_fixture,
    dialogs_fixture,
    page_fixture,
    shown,
    start_and_compound,
)

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


@pytest.fixture
def inventory(qtbot, bench):
    bench.sign_in(bench.pharmacist)
    return shown(qtbot, InventoryPage(bench.context), (1180, 720))


def rows(model) -> list[tuple[str, ...]]:
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_lot_models_pass_qt_model_tester(qtmodeltester, bench, inventory):
    qtmodeltester.check(inventory.lots, force_py=True)
    qtmodeltester.check(inventory.expiring, force_py=True)
    qtmodeltester.check(inventory.trace_model, force_py=True)
    assert {r[1] for r in rows(inventory.lots)} == {API_LOT, FILLER_LOT}
    api = next(r for r in rows(inventory.lots) if r[1] == API_LOT)
    assert api[4:7] == ("Released", "99.5 %", "1.5 %")
    assert isinstance(LotTableModel().headerData(0, Qt.Orientation.Horizontal), str)
    assert RecallTraceModel().rowCount() == 0


def test_receive_then_release_a_lot(qtbot, monkeypatch, bench, inventory, dialogs):
    def fill(dialog):
        dialog.ingredient.setCurrentText("Naltrexone hydrochloride")
        dialog.supplier.setText("PCCA")
        dialog.lot_number.setText("  NTX-9999 ")  # a scanner's stray spaces
        dialog.expiry.setText("2028-03-31")
        dialog.assay.setText("99.8")
        dialog.water.setText("0.9%")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(inventory_page.ReceiveLotDialog, "exec", fill)
    inventory.receive_button.click()
    lot = inventory.selected_lot()
    assert (lot.lot_number, lot.status, lot.assay_percent) == (
        "NTX-9999",
        LotStatus.QUARANTINED,
        Decimal("99.8"),
    )
    assert lot.water_percent == Decimal("0.9")
    assert inventory.release_button.isEnabled()
    inventory.release_button.click()  # QMessageBox.question is answered Yes
    assert inventory.selected_lot().status is LotStatus.RELEASED
    assert dialogs.shown == []


def test_the_receive_dialog_needs_an_expiry_and_a_scan_does_not_submit_it(qtbot, bench, dialogs):
    dialog = inventory_page.ReceiveLotDialog(bench.store.list_ingredients())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.supplier.setText("PCCA")
    dialog.lot_number.setFocus()
    qtbot.keyClicks(dialog.lot_number, "NTX-5555")
    qtbot.keyClick(dialog.lot_number, Qt.Key.Key_Return)  # the scanner's Enter
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.focusWidget() is dialog.expiry
    assert dialog.expiry.text() == "" and "YYYY-MM-DD" in dialog.expiry.placeholderText()
    dialog.accept()
    assert dialog.isVisible()
    assert "the expiry date" in dialogs.shown[-1][2]
    qtbot.keyClicks(dialog.expiry, "2028-02-30")
    dialog.accept()
    assert dialog.isVisible()
    assert "'2028-02-30' is not a date" in dialogs.shown[-1][2]
    dialog.expiry.setText("2028-01-31")
    dialog.accept()
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted


def test_tab_moves_on_from_the_empty_expiry(qtbot, bench):
    """An empty date edit kept the Tab key (its "enter the expiry" text): keyboard users
    were stuck on it. The expiry is typed, and Tab and Shift+Tab move on as anywhere else."""
    dialog = inventory_page.ReceiveLotDialog(bench.store.list_ingredients())
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.expiry.setFocus()
    qtbot.waitUntil(dialog.expiry.hasFocus)
    qtbot.keyClick(dialog.expiry, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.assay
    dialog.expiry.setFocus()
    qtbot.keyClick(dialog.expiry, Qt.Key.Key_Backtab)
    assert dialog.focusWidget() is dialog.lot_number
    dialog.close()


def test_a_percent_that_is_not_a_number_is_refused(monkeypatch, bench, inventory, dialogs):
    def fill(dialog):
        dialog.supplier.setText("PCCA")
        dialog.lot_number.setText("X-1")
        dialog.expiry.setText("2028-01-31")
        dialog.assay.setText("high")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(inventory_page.ReceiveLotDialog, "exec", fill)
    before = inventory.lots.rowCount()
    inventory.receive_button.click()
    assert dialogs.titles() == ["Lot not received"]
    assert inventory.lots.rowCount() == before


def test_a_technician_cannot_release_and_is_told_why(monkeypatch, bench, inventory, dialogs):
    bench.sign_in(bench.technician)
    lot = bench.store.quarantine_lot(bench.api_lot.id, "certificate query", by=bench.pharmacist)
    inventory.refresh()
    inventory.select_lot(lot.id)
    inventory.release_button.click()
    assert dialogs.titles() == ["Lot not released"]
    assert bench.store.lot(lot.id).status is LotStatus.QUARANTINED


def test_recall_shows_every_batch_and_patient_that_used_the_lot(
    qtbot, monkeypatch, bench, page, dialogs, inventory
):
    detail = start_and_compound(qtbot, monkeypatch, bench, page, dialogs)
    bench.sign_in(bench.pharmacist)
    inventory.refresh()
    inventory.select_lot(bench.api_lot.id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("supplier recall R-7", True))
    inventory.recall_button.click()
    assert bench.store.lot(bench.api_lot.id).status is LotStatus.RECALLED
    assert inventory.tabs.currentIndex() == 2
    traced = rows(inventory.trace_model)
    assert [(r[0], r[4], r[5], r[6]) for r in traced] == [
        (detail.batch.lot_number, "Jane Doe", "1980-05-17", "RX-1001")
    ]
    assert "1 patient received it: Jane Doe" in inventory.trace_summary.text()
    # Tracing a lot number nobody received says so.
    inventory.trace_field.setText("NOPE-1")
    inventory.trace()
    assert "No ingredient lot NOPE-1" in inventory.trace_summary.text()
    assert inventory.trace_model.rowCount() == 0


def test_expiring_soon_lists_released_lots_near_their_expiry(bench, inventory):
    ingredient = bench.api_lot.ingredient_id
    soon = bench.store.receive_lot(
        ingredient, "Medisca", "SOON-1", date.today() + timedelta(days=20), by=bench.pharmacist
    )
    bench.store.release_lot(soon.id, by=bench.pharmacist)
    bench.context.notify_data_changed()
    assert [r[1] for r in rows(inventory.expiring)] == ["SOON-1"]
    assert "(1)" in inventory.tabs.tabText(1)
    inventory.expiring_days.setValue(10)
    assert inventory.expiring.rowCount() == 0


def test_a_new_ingredient_can_then_be_received(monkeypatch, bench, inventory, dialogs):
    def fill(dialog):
        dialog.name.setText("Naltrexone base")
        dialog.kind.setCurrentIndex(dialog.kind.findData("api"))
        dialog.grade.setText("USP")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(inventory_page.NewIngredientDialog, "exec", fill)
    inventory.new_ingredient_button.click()
    assert dialogs.shown == []
    assert inventory.ingredient_filter.currentText() == "Naltrexone base"
    assert inventory.lots.rowCount() == 0  # no lots of it yet
    added = next(i for i in bench.store.list_ingredients() if i.name == "Naltrexone base")
    assert (added.kind, added.grade) == ("api", "USP")
    # An empty name is refused by the store, with its reason.
    monkeypatch.setattr(
        inventory_page.NewIngredientDialog, "exec", lambda d: QDialog.DialogCode.Accepted
    )
    inventory.new_ingredient_button.click()
    assert dialogs.titles() == ["Ingredient not added"]
