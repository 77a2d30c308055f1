"""The whole bench flow as a user: calculate → start batch → pick lots with a scanner →
record weights → compounded → verified by another pharmacist → print the label.

Modal dialogs are patched, never clicked. The printed PDFs are read back with pypdf.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from ldn_desktop.core.capsules import CapsuleOrder, Overage, plan_capsules
from ldn_desktop.core.dose_text import mass_text
from ldn_desktop.store.records import BatchState
from ldn_desktop.ui import batch_detail, batches_page, print_page
from ldn_desktop.ui.batches_page import BatchesPage
from ldn_desktop.ui.print_page import PrintPanel
from tests.ui.bench_pharmacy import API_LOT, FILLER_LOT, PASSWORD, set_up_bench

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


@pytest.fixture
def bench(tmp_path: Path):
    bench = set_up_bench(tmp_path / "bench.sqlite3")
    yield bench
    bench.context.wait_for_background()
    bench.store.close()


@pytest.fixture
def page(qtbot, bench):
    page = BatchesPage(bench.context)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


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


@pytest.fixture
def dialogs(monkeypatch):
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


def start_and_compound(qtbot, monkeypatch, bench, page, dialogs):
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
    assert detail.components.item(0, 6).text().startswith("✓")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (PASSWORD, True))
    detail.compounded_button.click()
    assert detail.batch.state is BatchState.COMPOUNDED, dialogs.shown
    return detail


def test_a_scanned_recalled_lot_is_refused_with_a_dialog(qtbot, monkeypatch, bench, page, dialogs):
    bench.store.recall_lot(bench.filler_lot.id, "supplier recall", by=bench.pharmacist)
    accept_new_batch(monkeypatch, None)
    bench.context.request_start_batch(capsule_plan(bench))
    detail = page.detail
    assert detail.batch.prescription_id is None
    scan(qtbot, detail.lot_field, FILLER_LOT)
    assert detail.batch.components == ()
    assert dialogs.titles() == ["Lot not added"]
    assert "recalled" in dialogs.shown[0][2]
    # The scanned text stays selected so the next scan replaces it.
    assert detail.lot_field.selectedText() == FILLER_LOT


def test_a_weight_outside_the_tolerance_is_weighed_again_or_needs_a_deviation(
    qtbot, monkeypatch, bench, page, dialogs
):
    accept_new_batch(monkeypatch, "RX-1001")
    bench.context.request_start_batch(capsule_plan(bench))
    detail = page.detail
    scan(qtbot, detail.lot_field, API_LOT)
    dialogs.warning_answer = QMessageBox.StandardButton.Retry
    weigh(qtbot, detail, 0, "170")
    assert detail.batch.components[0].actual is None  # nothing recorded: weigh again
    assert "Outside the tolerance" in dialogs.titles()
    assert detail.weighing_findings.severities()
    dialogs.warning_answer = QMessageBox.StandardButton.Save
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("Spilled; re-weighed by Phil", True)
    )
    weigh(qtbot, detail, 0, "170")
    assert detail.batch.components[0].actual == Decimal(170)
    assert [d.text for d in detail.batch.deviations] == ["Spilled; re-weighed by Phil"]
    assert detail.components.item(0, 6).text().startswith("✗")


def test_the_compounder_cannot_verify_their_own_batch(qtbot, monkeypatch, bench, page, dialogs):
    detail = start_and_compound(qtbot, monkeypatch, bench, page, dialogs)
    monkeypatch.setattr(batch_detail, "ask_signature", lambda *a: ("tess", PASSWORD))
    detail.verify_button.click()
    assert detail.batch.state is BatchState.COMPOUNDED
    assert dialogs.titles()[-1] == "Not verified"
    assert "pharmacist" in dialogs.shown[-1][2]


def test_whole_flow_to_a_final_label_pdf(qtbot, monkeypatch, bench, page, dialogs, tmp_path):
    detail = start_and_compound(qtbot, monkeypatch, bench, page, dialogs)
    monkeypatch.setattr(batch_detail, "ask_signature", lambda *a: ("phil", PASSWORD))
    detail.verify_button.click()
    assert detail.batch.state is BatchState.VERIFIED, dialogs.shown
    lot = detail.batch.lot_number
    # The table shows the batch, verified.
    assert page.model.rowCount() == 1
    assert page.model.index(0, 1).data() == "Verified"

    panel = PrintPanel(bench.context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.rendered, timeout=20_000):
        panel.set_batch(detail.batch.id)
    assert panel.final
    target = tmp_path / "label.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF documents (*.pdf)")
    )
    panel.save_button.click()
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Jane Doe" in text
    assert "4.5 mg" in text
    assert lot in text
    assert "RX-1001" in text
    assert "NOT VERIFIED" not in text
    assert bench.store.batch(detail.batch.id).printed_at is not None
    assert not [kind for kind, *_ in dialogs.shown if kind != "information"], dialogs.shown


def test_an_unverified_batch_prints_only_as_a_proof(
    qtbot, monkeypatch, bench, page, dialogs, tmp_path
):
    detail = start_and_compound(qtbot, monkeypatch, bench, page, dialogs)
    panel = PrintPanel(bench.context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.rendered, timeout=20_000):
        panel.set_batch(detail.batch.id)
    assert not panel.final
    assert "PROOF" in panel.status.text()
    target = tmp_path / "proof.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    panel.save_button.click()
    text = "\n".join(p.extract_text() for p in PdfReader(target).pages)
    assert "NOT VERIFIED" in text
    assert bench.store.batch(detail.batch.id).printed_at is None


def test_a_label_that_disagrees_with_the_prescription_does_not_print(
    qtbot, monkeypatch, bench, page, dialogs
):
    detail = start_and_compound(qtbot, monkeypatch, bench, page, dialogs)
    monkeypatch.setattr(batch_detail, "ask_signature", lambda *a: ("phil", PASSWORD))
    detail.verify_button.click()
    real_label_data = print_page.dispensing.label_data

    def wrong_label(sources, **kwargs):
        from dataclasses import replace

        label = real_label_data(sources, **kwargs)
        return replace(label, dose_mg=Decimal("45"), capsule_mg=Decimal("45"))

    monkeypatch.setattr(print_page.dispensing, "label_data", wrong_label)
    panel = PrintPanel(bench.context)
    qtbot.addWidget(panel)
    panel.set_batch(detail.batch.id)
    assert dialogs.titles()[-1] == "Label not printed"
    assert "45 mg" in dialogs.shown[-1][2]
    assert panel.pdf_path is None
    assert not panel.print_button.isEnabled()
    assert not panel.save_button.isEnabled()
