"""The open batch's header: when its label was printed and the prescription first filled."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest

from ldn_desktop.store.records import Batch, BatchState
from ldn_desktop.ui import batch_detail
from ldn_desktop.ui.batch_detail import printing_lines
from tests.ui.bench_pharmacy import (  # noqa: F401  (bench, page and dialogs are fixtures)
    PASSWORD,
    bench_fixture,
    dialogs_fixture,
    page_fixture,
    start_and_compound,
)

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]

# Local wall-clock times (the pharmacy's day), whatever the machine's time zone.
FIRST_PRINT = datetime(2026, 11, 22, 14, 3).astimezone()
REPRINT = datetime(2026, 11, 25, 9, 5).astimezone()


def test_the_header_shows_the_label_prints_and_the_first_fill(
    qtbot, monkeypatch, bench, page, dialogs
):
    detail = start_and_compound(qtbot, monkeypatch, bench, page, dialogs)
    monkeypatch.setattr(batch_detail, "ask_signature", lambda *a: ("phil", PASSWORD))
    detail.verify_button.click()
    assert detail.batch.state is BatchState.VERIFIED, dialogs.shown
    assert "printed" not in detail.facts.text()  # nothing printed yet: nothing said
    assert "first filled" not in detail.facts.text()

    monkeypatch.setattr(bench.store, "_clock", lambda: FIRST_PRINT)
    bench.store.mark_printed(detail.batch.id, by=bench.pharmacist)
    detail.reload()
    facts = detail.facts.text()
    assert "Label printed 22 Nov 2026 14:03<br>" in facts
    assert "reprinted" not in facts
    assert "Prescription first filled 22 Nov 2026, by this batch" in facts

    monkeypatch.setattr(bench.store, "_clock", lambda: REPRINT)
    bench.store.mark_printed(detail.batch.id, by=bench.pharmacist)
    detail.reload()
    facts = detail.facts.text()
    assert "Label printed 22 Nov 2026 14:03, last reprinted 25 Nov 2026 09:05" in facts
    assert "Prescription first filled 22 Nov 2026, by this batch" in facts  # not moved


def test_a_titration_names_its_first_fill_day_1_and_another_batch_is_not_this_one(bench):
    rx = replace(bench.prescription, first_filled_on=FIRST_PRINT.date(), first_fill_batch_id=7)
    titrating = replace(rx, titration="1.5 mg for 7 days, then 3 mg for 7 days, then 4.5 mg")
    never_printed = Batch(
        id=8,
        lot_number="B-8",
        state=BatchState.VERIFIED,
        formula_id=1,
        formula_code="LDN-CAP",
        formula_version=1,
        formula_name="LDN capsules",
        prescription_id=rx.id,
        patient_name=rx.patient_name,
        rx_number=rx.rx_number,
        calculation_json="{}",
        units_made=Decimal(33),
        unit="capsules",
        compounded_on=FIRST_PRINT.date(),
        bud=None,
        bud_basis="",
        storage="",
    )
    assert printing_lines(never_printed, titrating) == (
        "Prescription first filled 22 Nov 2026 (day 1 of the schedule)",
    )
    assert printing_lines(never_printed, rx) == ("Prescription first filled 22 Nov 2026",)
    assert printing_lines(never_printed, None) == ()
