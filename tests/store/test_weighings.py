"""Every weighing of a trituration in the record, a weight with its deviation in one write,
and prescription doses refused without their unit."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from ldn_desktop.core.capsules import CapsuleOrder, Overage, plan_capsules
from ldn_desktop.core.trituration import WeighingKind
from ldn_desktop.store.demo import add_weighings, fill_demo
from ldn_desktop.store.errors import InvalidField, NotFound, StateRefused
from ldn_desktop.store.records import BatchQuery, BatchState
from tests.store.conftest import (
    PASSWORD,
    FakeClock,
    Pharmacy,
    capsule_formula_id,
    draft_with_components,
    open_test_store,
)


def micro_dose_draft(ph: Pharmacy):  # type: ignore[no-untyped-def]
    """0.5 mg × 30 + 10 %: the API must be triturated 1:10 first (DOMAIN.md)."""
    plan = plan_capsules(CapsuleOrder(Decimal("0.5"), 30, overage=Overage(Decimal(10), True)))
    batch = ph.store.create_draft_batch(
        capsule_formula_id(ph.store),
        None,
        plan.to_dict(),
        Decimal(plan.units_to_make),
        "capsules",
        by=ph.technician,
    )
    batch = add_weighings(
        ph.store, batch, plan.weighings, drug_lot="NTX-2401", filler_lot="MCC-77", by=ph.technician
    )
    return plan, batch


def test_a_trituration_is_recorded_weighing_by_weighing_with_its_lots(pharmacy: Pharmacy) -> None:
    plan, batch = micro_dose_draft(pharmacy)
    rows = [(c.what, c.planned, c.lot_number or None) for c in batch.components]
    assert rows == [
        ("naltrexone HCl API", Decimal(165), "NTX-2401"),
        ("filler for trituration 1 (1:10)", rows[1][1], "MCC-77"),
        ("trituration 1 (1:10)", rows[2][1], None),
        ("microcrystalline cellulose", rows[3][1], "MCC-77"),
    ]
    assert [c.planned for c in batch.components] == [w.mg for w in plan.weighings]
    assert all(c.planned >= plan.minimum_weight_mg for c in batch.components)
    aliquot = batch.components[2]
    assert aliquot.intermediate and aliquot.expiry is None and aliquot.name == aliquot.what
    assert (
        batch.components[1].name == "filler for trituration 1 (1:10) (Microcrystalline cellulose)"
    )
    # The BUD still comes only from the two lots' expiries: as for the same lots without one.
    two_lots = draft_with_components(pharmacy)
    assert (batch.bud, batch.bud_basis) == (two_lots.bud, two_lots.bud_basis)


def test_an_intermediate_weight_is_recorded_and_audited_and_needed_to_sign(
    pharmacy: Pharmacy,
) -> None:
    store, tech = pharmacy.store, pharmacy.technician
    _, batch = micro_dose_draft(pharmacy)
    aliquot = batch.components[2]
    for component in batch.components:
        if component is not aliquot:
            batch = store.record_actual(batch.id, component.id, component.planned, by=tech)
    with pytest.raises(StateRefused, match=r"actually weighed for trituration 1 \(1:10\) first"):
        store.mark_compounded(batch.id, by=tech, password=PASSWORD)
    batch = store.record_actual(batch.id, aliquot.id, Decimal("168.5"), by=tech)
    assert batch.components[2].actual == Decimal("168.5")
    entry = store.audit_entries(table="batch_components", row_id=aliquot.id, limit=1)[0]
    assert entry.username == tech.username and json.loads(entry.new)["actual"] == "168.5"
    assert json.loads(entry.new)["lot_id"] is None
    signed = store.mark_compounded(batch.id, by=tech, password=PASSWORD)
    assert signed.state is BatchState.COMPOUNDED
    assert store.verify_audit().ok


def test_an_intermediate_needs_a_name_and_a_draft(pharmacy: Pharmacy) -> None:
    store, tech = pharmacy.store, pharmacy.technician
    batch = draft_with_components(pharmacy)
    with pytest.raises(InvalidField, match="weighing"):
        store.add_intermediate(batch.id, "  ", Decimal(100), "mg", by=tech)
    store.mark_compounded(batch.id, by=tech, password=PASSWORD)
    with pytest.raises(StateRefused, match="cannot add a weighing"):
        store.add_intermediate(batch.id, "trituration 1 (1:10)", Decimal(100), "mg", by=tech)


def test_a_weight_out_of_tolerance_is_saved_with_its_deviation_in_one_write(
    pharmacy: Pharmacy,
) -> None:
    store, tech = pharmacy.store, pharmacy.technician
    batch = draft_with_components(pharmacy, weighed=False)
    before = len(store.audit_entries())
    component = batch.components[0]
    batch = store.record_actual(
        batch.id, component.id, Decimal(170), deviation="Spilled; reweighed", by=tech
    )
    assert batch.components[0].actual == Decimal(170)
    assert [d.text for d in batch.deviations] == ["Spilled; reweighed"]
    assert len(store.audit_entries()) == before + 2


def test_a_refused_weight_leaves_no_deviation_behind(pharmacy: Pharmacy) -> None:
    store, tech = pharmacy.store, pharmacy.technician
    batch = draft_with_components(pharmacy, weighed=False)
    other = draft_with_components(pharmacy, weighed=False)
    with pytest.raises(NotFound):
        store.record_actual(
            batch.id, other.components[0].id, Decimal(1), deviation="out of range", by=tech
        )
    with pytest.raises(InvalidField, match="deviation"):
        store.record_actual(batch.id, batch.components[0].id, Decimal(1), deviation=" ", by=tech)
    assert store.batch(batch.id).deviations == ()
    assert store.batch(batch.id).components[0].actual is None


@pytest.mark.parametrize(
    ("dose", "titration", "field", "says"),
    [
        ("4.5", "", "dose", "'4.5' has no unit"),
        ("4,5 mg", "", "dose", "ambiguous"),
        ("60 mg", "", "dose", "addiction dose"),
        ("3 mg", "1.5 for 14 days, then 3 mg", "titration", "'1.5' has no unit"),
        ("3 mg", "0.3 mg for 14 days, then 3 mg", "titration", "10 times"),
    ],
)
def test_a_prescription_dose_without_its_unit_is_refused(
    pharmacy: Pharmacy, dose: str, titration: str, field: str, says: str
) -> None:
    store, tech = pharmacy.store, pharmacy.technician
    patient = store.add_patient("Unit Check", None, by=tech)
    with pytest.raises(InvalidField, match=says) as refused:
        store.add_prescription(
            patient.id, "RX-5", "Dr A", dose, "at bedtime", titration=titration, by=tech
        )
    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field}: ")
    assert store.prescriptions_for(patient.id) == ()


def test_a_prescription_dose_is_kept_as_written(pharmacy: Pharmacy) -> None:
    store, tech = pharmacy.store, pharmacy.technician
    patient = store.add_patient("Unit Check", None, by=tech)
    rx = store.add_prescription(
        patient.id, "RX-6", "Dr A", "250 mcg", "at bedtime", titration="", by=tech
    )
    assert rx.dose == "250 mcg"


def test_every_demo_capsule_batch_records_its_plans_weighings(tmp_path: Path) -> None:
    today = date(2026, 11, 22)
    store = open_test_store(tmp_path / "demo.sqlite3", FakeClock())
    fill_demo(store, today=today)
    page = store.search_batches(BatchQuery(limit=100))
    seen_intermediate = False
    for row in page.rows:
        batch = store.batch(row.id)
        weighings = batch.calculation.get("weighings")
        if not weighings:
            continue
        recorded = [(c.what, c.planned, c.unit) for c in batch.components]
        assert recorded == [(w["what"], Decimal(w["mg"]), "mg") for w in weighings]
        for component, weighing in zip(batch.components, weighings, strict=True):
            assert component.intermediate == (weighing["kind"] == WeighingKind.INTERMEDIATE)
            seen_intermediate |= component.intermediate
            assert component.planned >= Decimal(batch.calculation["minimum_weight_mg"])
    assert seen_intermediate  # the 0.5 mg draft is triturated
    assert store.verify_audit().ok
    assert today - timedelta(days=7) <= store.batch(page.rows[0].id).compounded_on
    store.close()
