"""From the store's records to what prints, and the three-way check before a final label."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from ldn_desktop.core.directions import DosageForm
from ldn_desktop.core.liquid import LiquidOrder, plan_liquid
from ldn_desktop.core.quantities import Strength
from ldn_desktop.core.titration import PhaseOrder
from ldn_desktop.documents.wording import label_directions
from ldn_desktop.store import open_store
from ldn_desktop.store.demo import fill_demo
from ldn_desktop.store.errors import InvalidField
from ldn_desktop.store.records import BatchQuery, BatchState
from ldn_desktop.store.sqlite_store import SqliteStore
from ldn_desktop.ui import dispensing
from tests.ui.bench_pharmacy import API_LOT, FILLER_LOT, PASSWORD, TEST_SCRYPT_N, set_up_bench
from tests.ui.bench_pharmacy import capsule_plan as worked_example_plan


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("demo") / "demo.sqlite3", scrypt_n=TEST_SCRYPT_N)
    fill_demo(store)
    yield store
    store.close()


def test_every_demo_batch_maps_to_documents_that_agree(demo):
    forms = set()
    for summary in demo.search_batches(BatchQuery()).rows:
        sources = dispensing.read_sources(demo, summary.id)
        record = dispensing.record_sheet_data(sources)
        assert record.lot == summary.lot_number
        assert record.verified is (summary.state in dispensing.FINAL_STATES)
        if sources.prescription is None:
            with pytest.raises(dispensing.NotPrintable, match="stock batch"):
                dispensing.label_data(sources)
            continue
        label = dispensing.label_data(sources)
        forms.add(label.form)
        assert label.patient.name == summary.patient_name
        assert label.rx_number == summary.rx_number
        assert label.lot == summary.lot_number and label.bud == summary.bud
        assert label.verified is sources.verified
        check = dispensing.final_label_check(sources, label)
        assert check.agrees, check.findings
        if label.form is not DosageForm.CAPSULE:
            assert label.strength is not None
    assert forms == {DosageForm.CAPSULE, DosageForm.ORAL_LIQUID, DosageForm.CREAM}


def liquid_titration_sources(demo, first_filled):
    """The demo's oral liquid batch as if made for a 1.5 / 3 / 4.5 mg titration with no
    directions typed (the app writes them), first filled on `first_filled`."""
    (summary,) = demo.search_batches(BatchQuery(rx_number="RX-40240")).rows
    sources = as_titration(dispensing.read_sources(demo, summary.id))
    return replace(sources, first_filled=first_filled)


def as_titration(sources):
    """The demo's oral liquid batch's sources, as if made for a 1.5 / 3 / 4.5 mg titration."""
    orders = tuple(PhaseOrder(Decimal(mg), 14) for mg in ("1.5", "3", "4.5"))
    plan = plan_liquid(LiquidOrder(Strength(Decimal(1), "mL"), 42, titration=orders))
    assert sources.prescription is not None
    rx = replace(
        sources.prescription,
        directions="",
        titration="1.5 mg for 14 days, then 3 mg for 14 days, then 4.5 mg",
    )
    batch = replace(sources.batch, calculation_json=json.dumps(plan.to_dict()))
    return replace(sources, batch=batch, prescription=rx)


class MovingClock:
    """The store's clock, moved forward by the test (UTC)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_reprint_weeks_later_keeps_day_one_and_the_phase_on_the_label(tmp_path: Path):
    clock = MovingClock()
    store = SqliteStore(tmp_path / "demo.sqlite3", scrypt_n=TEST_SCRYPT_N, clock=clock)
    fill_demo(store, today=clock.now.astimezone().date())
    (summary,) = store.search_batches(BatchQuery(rx_number="RX-40240")).rows
    toni = store.authenticate("toni", "demo-toni-2026")
    store.mark_printed(summary.id, by=toni)  # the first fill: day 1
    day_one = clock.now.astimezone().date()
    clock.now += timedelta(days=19)
    store.mark_printed(summary.id, by=toni)  # a reprint (a smudged label) on day 20
    sources = as_titration(dispensing.read_sources(store, summary.id))
    assert sources.first_filled == day_one
    label = dispensing.label_data(sources, today=day_one + timedelta(days=19))
    assert label.start_date == day_one
    assert label_directions(label) == (
        "Days 15 to 28: Take 3 mL (3 mg) by mouth at bedtime, then see schedule"
    )
    assert store.verify_audit().ok
    store.close()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (1, "Days 1 to 14: Take 1.5 mL (1.5 mg) by mouth at bedtime, then see schedule"),
        (20, "Days 15 to 28: Take 3 mL (3 mg) by mouth at bedtime, then see schedule"),
        (30, "From day 29: Take 4.5 mL (4.5 mg) by mouth at bedtime (see schedule)"),
    ],
)
def test_a_titration_label_gives_the_phase_current_on_the_day_filled(demo, day, expected):
    today = date(2026, 11, 22)
    first = today - timedelta(days=day - 1)
    sources = liquid_titration_sources(demo, first if day > 1 else None)
    label = dispensing.label_data(sources, today=today)
    assert (label.start_date, label.date_filled) == (first, today)
    assert label.directions is None  # none typed: the documents write them
    assert label_directions(label) == expected
    assert dispensing.final_label_check(sources, label).agrees


def test_typed_directions_are_printed_as_the_prescriber_wrote_them(demo):
    sources = liquid_titration_sources(demo, date(2026, 10, 1))
    assert sources.prescription is not None
    typed = "Take as directed by Dr Okafor on the schedule"
    sources = replace(sources, prescription=replace(sources.prescription, directions=typed))
    assert label_directions(dispensing.label_data(sources)) == typed


def test_day_one_of_a_titration_is_the_first_fill_of_its_prescription(tmp_path: Path):
    bench = set_up_bench(tmp_path / "bench.sqlite3")
    first = verified_batch(bench, bench.prescription)
    assert dispensing.read_sources(bench.store, first.id).first_filled is None
    bench.store.mark_printed(first.id, by=bench.technician)
    refill = verified_batch(bench, bench.prescription)
    printed = bench.store.batch(first.id).printed_at
    assert printed is not None
    for batch_id in (first.id, refill.id):
        sources = dispensing.read_sources(bench.store, batch_id)
        assert sources.first_filled == printed.astimezone().date()
    # Batches of another prescription whose Rx number merely starts the same do not count.
    other = bench.store.add_prescription(
        bench.prescription.patient_id, "RX-100", "Dr A. Smith", "4.5 mg", by=bench.technician
    )
    assert (
        dispensing.read_sources(bench.store, verified_batch(bench, other).id).first_filled is None
    )
    bench.store.close()


def verified_batch(bench, prescription):
    """The worked-example capsules (4.5 mg) made and verified for `prescription`."""
    store = bench.store
    plan = worked_example_plan(bench)
    formula = next(f for f in store.list_formulas() if f.dosage_form == "capsule")
    batch = store.create_draft_batch(
        formula.id,
        prescription.id,
        plan.to_dict(),
        Decimal(plan.units_to_make),
        "capsules",
        by=bench.technician,
    )
    for weighing, lot in zip(plan.weighings, (API_LOT, FILLER_LOT), strict=True):
        batch = store.add_component(batch.id, lot, weighing.mg, "mg", by=bench.technician)
    for component in batch.components:
        batch = store.record_actual(batch.id, component.id, component.planned, by=bench.technician)
    store.mark_compounded(batch.id, by=bench.technician, password=PASSWORD)
    return store.verify_batch(batch.id, by=bench.pharmacist, password=PASSWORD)


def test_a_batch_made_for_another_dose_stops_the_final_label(tmp_path: Path):
    bench = set_up_bench(tmp_path / "bench.sqlite3")
    patient = bench.store.patient(bench.prescription.patient_id)
    rx = bench.store.add_prescription(
        patient.id,
        "RX-2002",
        "Dr A. Smith",
        "1.5 mg",
        "Take 1 capsule at bedtime",
        by=bench.technician,
    )
    batch = verified_batch(bench, rx)  # 4.5 mg capsules on a 1.5 mg prescription
    assert batch.state is BatchState.VERIFIED
    sources = dispensing.read_sources(bench.store, batch.id)
    check = dispensing.final_label_check(sources, dispensing.label_data(sources))
    assert not check.agrees
    assert any("1.5 mg" in f.message and "4.5 mg" in f.message for f in check.findings)
    bench.store.close()


def test_an_unreadable_prescribed_dose_is_explained(tmp_path: Path):
    bench = set_up_bench(tmp_path / "bench.sqlite3")
    with pytest.raises(InvalidField, match=r"'4\.5' has no unit"):
        bench.store.add_prescription(
            bench.prescription.patient_id,
            "RX-3003",
            "Dr B",
            "4.5",
            "at bedtime",
            by=bench.technician,
        )
    rx = bench.store.add_prescription(
        bench.prescription.patient_id,
        "RX-3003",
        "Dr B",
        "4.5 mg",
        "Take at bedtime",
        by=bench.technician,
    )
    sources = dispensing.read_sources(bench.store, verified_batch(bench, rx).id)
    # A prescription saved before the store refused doses without a unit still says "4.5".
    assert sources.prescription is not None
    sources = replace(sources, prescription=replace(sources.prescription, dose="4.5"))
    with pytest.raises(dispensing.NotPrintable, match=r"RX-3003.*'4\.5'"):
        dispensing.final_label_check(sources, dispensing.label_data(sources))
    bench.store.close()


def test_the_record_sheet_lists_weights_signatures_and_steps(tmp_path: Path):
    bench = set_up_bench(tmp_path / "bench.sqlite3")
    batch = verified_batch(bench, bench.prescription)
    record = dispensing.record_sheet_data(dispensing.read_sources(bench.store, batch.id))
    assert [c.lot for c in record.components] == [API_LOT, FILLER_LOT]
    assert [c.weighed_mg for c in record.components] == [c.actual for c in batch.components]
    assert [s.meaning for s in record.signatures] == ["compounded", "verified"]
    assert record.steps == tuple(batch.calculation["steps"])
    assert record.dose_mg == Decimal("4.5") and record.verified
    bench.store.close()


def test_the_record_sheet_lists_a_trituration_aliquot_with_the_trituration(tmp_path: Path):
    store = open_store(tmp_path / "demo.sqlite3", scrypt_n=TEST_SCRYPT_N)
    fill_demo(store)
    (row,) = store.search_batches(BatchQuery(rx_number="RX-40263")).rows
    batch = store.batch(row.id)
    record = dispensing.record_sheet_data(dispensing.read_sources(store, batch.id))
    assert [c.name for c in record.components] == [
        "naltrexone HCl API (Naltrexone hydrochloride)",
        "filler for trituration 1 (1:10) (Microcrystalline cellulose)",
        "Microcrystalline cellulose",
    ]
    assert record.trituration == ("trituration 1 (1:10): planned 168.4 mg, weighed —",)
    store.close()


def test_the_record_sheet_weights_follow_the_batch_balance(tmp_path: Path):
    from ldn_desktop.core.capsules import plan_capsules

    bench = set_up_bench(tmp_path / "bench.sqlite3")
    store = bench.store
    fine = replace(bench.context.settings.calculation, balance_readability_mg=Decimal("0.01"))
    plan = plan_capsules(worked_example_plan(bench).order, fine)
    formula = next(f for f in store.list_formulas() if f.dosage_form == "capsule")
    batch = store.create_draft_batch(
        formula.id, None, plan.to_dict(), Decimal(33), "capsules", by=bench.technician
    )
    batch = store.add_component(batch.id, API_LOT, plan.weighings[0].mg, "mg", by=bench.technician)
    record = dispensing.record_sheet_data(dispensing.read_sources(store, batch.id))
    assert record.balance_readability_mg == Decimal("0.01")
    store.close()
