"""The whole bench flow as a user: calculate → start batch → pick lots with a scanner →
record weights → compounded → verified by another pharmacist → print the label.

Modal dialogs are patched, never clicked. The printed PDFs are read back with pypdf.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from ldn_desktop.core.capsules import CapsuleOrder, Overage, plan_capsules
from ldn_desktop.store.records import BatchState
from ldn_desktop.ui import batch_detail, dispensing, print_page
from ldn_desktop.ui.print_page import PrintPanel
from tests.ui.bench_pharmacy import (  # noqa: F401  (bench, page and dialogs are fixtures)
    API_LOT,
    FILLER_LOT,
    PASSWORD,
    accept_new_batch,
    bench_fixture,
    capsule_plan,
    dialogs_fixture,
    page_fixture,
    scan,
    start_and_compound,
    weigh,
)

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


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
    assert detail.components.item(0, detail.CHECK_COLUMN).text().startswith("✗")


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


def test_start_a_batch_from_the_calculate_page(qtbot, monkeypatch, bench, page, dialogs):
    """Part of the flow a pharmacist walks: type the dose, press Start a batch."""
    from ldn_desktop.ui.calculate_page import CalculatePage

    calculate = CalculatePage(bench.context)
    qtbot.addWidget(calculate)
    form = calculate.capsules
    qtbot.keyClicks(form.dose.number, "4.5")
    form.assay.number.clear()
    qtbot.keyClicks(form.assay.number, "99.5")
    form.water.number.clear()
    qtbot.keyClicks(form.water.number, "1.5")
    accept_new_batch(monkeypatch, "RX-1001")
    form.result.start_button.click()
    batch = page.detail.batch
    assert batch is not None and batch.rx_number == "RX-1001"
    assert batch.calculation["dose_mg"] == "4.5"
    assert batch.units_made == form.plan.units_to_make
    # The scanner field has the focus: the first scan goes straight in.
    scan(qtbot, page.detail.lot_field, API_LOT)
    assert [c.lot_number for c in page.detail.batch.components] == [API_LOT]
    assert dialogs.shown == []


def test_many_labels_render_in_the_background_with_progress(
    qtbot, monkeypatch, bench, page, dialogs
):
    detail = start_and_compound(qtbot, monkeypatch, bench, page, dialogs)
    panel = PrintPanel(bench.context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.rendered, timeout=20_000):
        panel.set_batch(detail.batch.id)
    seen: list[int] = []
    panel._relay.progressed.connect(lambda done, total: seen.append(done))
    panel.stock.setCurrentIndex(panel.stock.findData("avery-5163"))
    panel.start.setValue(9)  # a half-used sheet: labels 1 to 8 are gone
    with qtbot.waitSignal(panel.rendered, timeout=60_000):
        panel.copies.setValue(60)
    assert seen and max(seen) == 60
    assert panel.progress.isHidden()
    # 60 labels from position 9 on a 10-a-sheet stock: 2 + 10 × 5 + 8 → 7 pages.
    assert panel.pdf.pageCount() == 7


def test_a_failed_quality_check_stops_verification(qtbot, monkeypatch, bench, page, dialogs):
    recorded: list[bool] = []

    def record(dialog):
        assert dialog.check.count() >= 1  # the formula's own checks are offered
        dialog.check.setCurrentText("Weight of 10 capsules")
        dialog.expected.setText("within ± 10 % of 1,671 mg")
        dialog.result.setText("1,902 mg")
        dialog.passed.setChecked(False)
        return QDialog.DialogCode.Accepted

    def check(detail):
        # The checks are recorded on the draft, before the compounder signs.
        detail.add_check_button.click()
        recorded.append(True)

    monkeypatch.setattr(batch_detail.QualityCheckDialog, "exec", record)
    detail = start_and_compound(qtbot, monkeypatch, bench, page, dialogs, before_signing=check)
    assert recorded
    assert [(q.name, q.passed) for q in detail.batch.quality_checks] == [
        ("Weight of 10 capsules", False)
    ]
    assert detail.quality_checks.item(0).text().startswith("✗ FAILED")
    assert not detail.add_check_button.isEnabled()  # signed: no more changes
    monkeypatch.setattr(batch_detail, "ask_signature", lambda *a: ("phil", PASSWORD))
    detail.verify_button.click()
    assert detail.batch.state is BatchState.COMPOUNDED
    assert dialogs.titles()[-1] == "Not verified"
    assert "quality check failed" in dialogs.shown[-1][2]
    # The way on is to reject it, with the reason kept.
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("Fill weight out of range", True)
    )
    detail.reject_button.click()  # a technician may not reject: the store says so
    assert detail.batch.state is BatchState.COMPOUNDED
    assert dialogs.titles()[-1] == "Not rejected"
    bench.sign_in(bench.pharmacist)
    detail.reject_button.click()
    assert detail.batch.state is BatchState.REJECTED
    assert detail.batch.reject_reason == "Fill weight out of range"
    assert not detail.print_button.isEnabled()


def test_the_new_batch_dialog_finds_the_prescription_by_rx_or_patient(qtbot, bench):
    from ldn_desktop.ui.batches_page import NewBatchDialog, plan_dose_text

    plan = capsule_plan(bench)
    assert plan_dose_text(plan.to_dict()) == "4.5 mg a capsule"
    dialog = NewBatchDialog(bench.store, "capsule", "33 capsules of capsule, 4.5 mg", None)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.formula.count() == 1  # only the capsule formulas
    assert not ok.isEnabled()
    dialog.rx_field.setText("jan")  # a patient's name, as typed at the counter
    assert dialog.matches.count() == 1
    assert "Jane Doe · 4.5 mg" in dialog.matches.item(0).text()
    assert ok.isEnabled() and dialog.prescription_id == bench.prescription.id
    dialog.rx_field.setText("RX-9")
    assert dialog.matches.count() == 0 and not ok.isEnabled()
    assert "No prescription matches 'RX-9'" in dialog.rx_found.text()
    dialog.stock.setChecked(True)
    assert ok.isEnabled() and dialog.prescription_id is None


def test_print_label_from_the_batch_opens_the_print_panel_for_it(
    qtbot, monkeypatch, bench, page, dialogs, tmp_path
):
    detail = start_and_compound(qtbot, monkeypatch, bench, page, dialogs)
    monkeypatch.setattr(batch_detail, "ask_signature", lambda *a: ("phil", PASSWORD))
    detail.verify_button.click()
    assert detail.print_button.text() == "&Print label…"
    target = tmp_path / "from-detail.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    seen = []

    def run(dialog):
        qtbot.waitUntil(lambda: dialog.panel.pdf_path is not None, timeout=20_000)
        seen.append(dialog.panel.sources.batch.id)
        dialog.panel.save_button.click()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(print_page.PrintDialog, "exec", run)
    detail.print_button.click()
    assert seen == [detail.batch.id]
    assert target.exists()
    assert detail.batch.printed_at is not None  # the detail was read again afterwards
    assert detail.dispense_button.isVisible()
    bench.sign_in(bench.pharmacist)
    detail.dispense_button.click()
    assert detail.batch.state is BatchState.DISPENSED
    assert not detail.reject_button.isVisible()  # dispensed: nothing left to reject


def test_a_refused_weight_leaves_no_deviation_half_saved(qtbot, monkeypatch, bench, page, dialogs):
    accept_new_batch(monkeypatch, "RX-1001")
    bench.context.request_start_batch(capsule_plan(bench))
    detail = page.detail
    scan(qtbot, detail.lot_field, API_LOT)
    detail.components.selectRow(0)
    # Another workstation removes the lot just before this one saves the weight.
    bench.store.remove_component(
        detail.batch.id, detail.batch.components[0].id, by=bench.pharmacist
    )
    dialogs.warning_answer = QMessageBox.StandardButton.Save
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("Spilled; re-weighed", True)
    )
    qtbot.keyClicks(detail.actual_field.number, "170")
    qtbot.keyClick(detail.actual_field.number, Qt.Key.Key_Return)
    assert dialogs.titles()[-1] == "Amount not recorded"
    assert bench.store.batch(detail.batch.id).deviations == ()


def test_a_trituration_is_picked_and_weighed_step_by_step(qtbot, monkeypatch, bench, page, dialogs):
    accept_new_batch(monkeypatch, None)
    plan = plan_capsules(
        CapsuleOrder(Decimal("0.5"), 30, overage=Overage(Decimal(10), percent=True)),
        bench.context.settings.calculation,
    )
    bench.context.request_start_batch(plan)
    detail = page.detail
    assert "naltrexone HCl API" in detail.line_choice.currentText()
    scan(qtbot, detail.lot_field, API_LOT)
    assert "filler for trituration 1 (1:10)" in detail.line_choice.currentText()
    scan(qtbot, detail.lot_field, FILLER_LOT)
    # The aliquot has the API's amount but is the next line, with no lot to scan.
    assert detail.line_choice.currentText().startswith("trituration 1 (1:10)")
    assert "no lot" in detail.line_choice.currentText()
    assert not detail.lot_field.isEnabled()
    assert detail.add_lot_button.text() == "&Add weighing"
    detail.add_lot_button.click()
    assert detail.lot_field.isEnabled()
    scan(qtbot, detail.lot_field, FILLER_LOT)
    batch = detail.batch
    assert [(c.what, c.lot_number) for c in batch.components] == [
        ("naltrexone HCl API", API_LOT),
        ("filler for trituration 1 (1:10)", FILLER_LOT),
        ("trituration 1 (1:10)", ""),
        ("microcrystalline cellulose", FILLER_LOT),
    ]
    assert [c.planned for c in batch.components] == [w.mg for w in plan.weighings]
    assert detail.components.item(2, 0).text() == "trituration 1 (1:10)"
    assert detail.components.item(2, 1).text() == "— (made here)"
    for row, component in enumerate(batch.components):
        weigh(qtbot, detail, row, str(round(component.planned, 1)))
    assert all(c.actual is not None for c in detail.batch.components)
    assert detail.components.item(2, detail.CHECK_COLUMN).text().startswith("✓")
    assert dialogs.titles() == []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (PASSWORD, True))
    detail.compounded_button.click()
    assert detail.batch.state is BatchState.COMPOUNDED, dialogs.shown


def test_a_batch_shows_its_weighings_to_its_own_balance(qtbot, monkeypatch, bench, page, dialogs):
    accept_new_batch(monkeypatch, None)
    # Planned on a 0.01 mg balance; the pharmacy's settings still say 0.1 mg.
    fine = replace(bench.context.settings.calculation, balance_readability_mg=Decimal("0.01"))
    plan = plan_capsules(capsule_plan(bench).order, fine)
    bench.context.request_start_batch(plan)
    detail = page.detail
    # 148.5 mg ÷ 0.980075 = 151.51901... mg of API.
    assert detail.line_choice.currentText() == "naltrexone HCl API — 151.52 mg"
    scan(qtbot, detail.lot_field, API_LOT)
    assert detail.components.item(0, 3).text() == "151.52 mg"
    weigh(qtbot, detail, 0, "151.517")
    assert detail.components.item(0, 4).text() == "151.52 mg"
    assert detail.batch.components[0].actual == Decimal("151.517")  # exact, only text rounds


def test_recorded_calculations_give_their_balance_places():
    old = {"weighings": [{"what": "naltrexone HCl API", "mg": "151.519", "kind": "drug"}]}
    # Recorded before plans named their balance: one place, as it was always shown.
    assert [line.text() for line in batch_detail.planned_lines(old)] == [
        "naltrexone HCl API — 151.5 mg"
    ]
    for bad in ("0", "-0.1", "NaN", "a tenth"):
        recorded = {**old, "balance_readability_mg": bad}
        assert dispensing.batch_readability(recorded) == Decimal("0.1")
    assert dispensing.batch_readability(None) == Decimal("0.1")
    whole = {**old, "balance_readability_mg": "1"}
    assert batch_detail.planned_lines(whole)[0].text() == "naltrexone HCl API — 152 mg"
    liquid = {"batch_ml": "135", "api_mg_to_weigh": "136.3636", "balance_readability_mg": "0.01"}
    assert batch_detail.planned_lines(liquid)[0].text() == "naltrexone HCl API — 136.36 mg"
    cream = {"mg_per_ml": "0.5", "drug_mg_total": "45.25", "total_ml": "90.5"}
    assert batch_detail.planned_lines({**cream, "balance_readability_mg": "1"})[0].text() == (
        "naltrexone HCl API — 45 mg"
    )
