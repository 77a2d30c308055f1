"""A small pharmacy at the bench for the Batches, Inventory, Formulas and Print tests.

A real SQLite file (cheap scrypt, tests only) with a technician, two pharmacists, released
lots of naltrexone HCl API and microcrystalline cellulose, a patient and a prescription.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from ldn_desktop.core.capsules import CapsuleOrder, Overage, plan_capsules
from ldn_desktop.core.dose_text import mass_text
from ldn_desktop.store import Store, open_store
from ldn_desktop.store.records import (
    BatchState,
    IngredientLot,
    PharmacyDetails,
    Prescription,
    Role,
    User,
)
from ldn_desktop.ui import batches_page
from ldn_desktop.ui.batches_page import BatchesPage
from ldn_desktop.ui.context import AppContext, load_settings

TEST_SCRYPT_N = 2**10
PASSWORD = "bench password 1"
API_LOT = "NTX-2401"
FILLER_LOT = "MCC-77"


@dataclass
class Bench:
    store: Store
    context: AppContext
    admin: User
    technician: User
    pharmacist: User
    second_pharmacist: User
    api_lot: IngredientLot
    filler_lot: IngredientLot
    prescription: Prescription

    def sign_in(self, user: User) -> None:
        self.context.set_user(user)


def set_up_bench(path: Path) -> Bench:
    store = open_store(path, scrypt_n=TEST_SCRYPT_N)
    admin = store.create_pharmacy(
        PharmacyDetails("Riverside Compounding", "1 High Street, Springfield", "555-0100", "PH-1"),
        "admin",
        "Ada Admin",
        PASSWORD,
    )
    technician = store.add_user("tess", "Tess Technician", Role.TECHNICIAN, PASSWORD, by=admin)
    pharmacist = store.add_user("phil", "Phil Pharmacist", Role.PHARMACIST, PASSWORD, by=admin)
    second = store.add_user("pam", "Pam Pharmacist", Role.PHARMACIST, PASSWORD, by=admin)
    ingredients = {i.name: i for i in store.list_ingredients()}
    expiry = date.today() + timedelta(days=400)
    api = store.receive_lot(
        ingredients["Naltrexone hydrochloride"].id,
        "Medisca",
        API_LOT,
        expiry,
        assay_percent=Decimal("99.5"),
        water_percent=Decimal("1.5"),
        by=technician,
    )
    api = store.release_lot(api.id, by=pharmacist)
    filler = store.receive_lot(
        ingredients["Microcrystalline cellulose"].id, "Spectrum", FILLER_LOT, expiry, by=technician
    )
    filler = store.release_lot(filler.id, by=pharmacist)
    patient = store.add_patient("Jane Doe", date(1980, 5, 17), by=technician)
    rx = store.add_prescription(
        patient.id,
        "RX-1001",
        "Dr A. Smith",
        "4.5 mg",
        "Take 1 capsule (4.5 mg) by mouth at bedtime",
        quantity="30 capsules",
        days_supply=30,
        by=technician,
    )
    context = AppContext(store, load_settings(store), technician)
    return Bench(store, context, admin, technician, pharmacist, second, api, filler, rx)


@pytest.fixture(name="bench")
def bench_fixture(tmp_path: Path):
    bench = set_up_bench(tmp_path / "bench.sqlite3")
    yield bench
    bench.context.wait_for_background()
    bench.store.close()


def shown(qtbot, page, size: tuple[int, int] = (1280, 800)):
    """`page` shown at `size` and on screen; qtbot closes it after the test."""
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture(name="page")
def page_fixture(qtbot, bench):
    return shown(qtbot, BatchesPage(bench.context))


class Dialogs:
    """Records every patched message box, and answers as the test says."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.warning_answer = QMessageBox.StandardButton.Ok
        for kind in ("warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._recorder(kind))
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    def _recorder(self, kind: str):
        def show(_parent, title, text, *args, **kwargs):
            self.shown.append((kind, title, text))
            return self.warning_answer if kind == "warning" else QMessageBox.StandardButton.Ok

        return show

    def titles(self) -> list[str]:
        return [title for _kind, title, _text in self.shown]


@pytest.fixture(name="dialogs")
def dialogs_fixture(monkeypatch):
    return Dialogs(monkeypatch)


def capsule_plan(bench):
    """DOMAIN.md's worked example: 4.5 mg × 30, size 1, 10 % overage, assay 99.5 %, water 1.5 %."""
    order = CapsuleOrder(
        dose_mg=Decimal("4.5"),
        quantity=30,
        size="1",
        overage=Overage(Decimal(10), percent=True),
        assay_percent=Decimal("99.5"),
        water_percent=Decimal("1.5"),
    )
    return plan_capsules(order, bench.context.settings.calculation)


def accept_new_batch(monkeypatch, rx_number: str | None):
    def exec_(dialog):
        if rx_number is None:
            dialog.stock.setChecked(True)
        else:
            dialog.rx_field.setText(rx_number)
            assert dialog.prescription is not None, f"no prescription {rx_number}"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(batches_page.NewBatchDialog, "exec", exec_)


def scan(qtbot, field, text: str) -> None:
    """A keyboard-wedge barcode scanner: the characters, then Enter."""
    field.setFocus()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def weigh(qtbot, detail, row: int, number: str, unit: str = "mg") -> None:
    detail.components.selectRow(row)
    detail.actual_field.unit_box.setCurrentText(unit)
    detail.actual_field.number.clear()
    qtbot.keyClicks(detail.actual_field.number, number)
    qtbot.keyClick(detail.actual_field.number, Qt.Key.Key_Return)


def start_and_compound(qtbot, monkeypatch, bench, page, dialogs, before_signing=None):
    accept_new_batch(monkeypatch, "RX-1001")
    plan = capsule_plan(bench)
    api_mg, filler_mg = (w.mg for w in plan.weighings)
    assert mass_text(api_mg) == "151.5 mg"  # DOMAIN.md: 148.5 mg ÷ (0.995 × 0.985), rounded
    bench.context.request_start_batch(plan)
    detail = page.detail
    assert detail.batch is not None and detail.batch.state is BatchState.DRAFT
    assert detail.batch.patient_name == "Jane Doe"
    assert detail.batch.units_made == 33
    # The plan's first measurement is the API (151.5 mg), then the filler.
    assert "151.5 mg" in detail.line_choice.currentText()
    scan(qtbot, detail.lot_field, API_LOT)
    assert detail.lot_field.text() == ""
    assert "microcrystalline cellulose" in detail.line_choice.currentText()
    scan(qtbot, detail.lot_field, FILLER_LOT)
    components = detail.batch.components
    assert [c.lot_number for c in components] == [API_LOT, FILLER_LOT]
    assert [c.planned for c in components] == [api_mg, filler_mg]
    weigh(qtbot, detail, 0, "151.3")
    weigh(qtbot, detail, 1, str(round(filler_mg + 1, 1)))
    assert [c.actual for c in detail.batch.components] == [
        Decimal("151.3"),
        round(filler_mg + 1, 1),
    ]
    assert detail.components.item(0, detail.CHECK_COLUMN).text().startswith("✓")
    if before_signing is not None:
        before_signing(detail)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (PASSWORD, True))
    detail.compounded_button.click()
    assert detail.batch.state is BatchState.COMPOUNDED, dialogs.shown
    return detail
