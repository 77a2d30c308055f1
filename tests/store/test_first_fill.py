"""A prescription's first fill (day 1 of a titration): recorded once, never moved by a reprint."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from ldn_desktop.store.errors import InvalidField, PermissionRefused
from ldn_desktop.store.records import Batch
from tests.store.conftest import PASSWORD, Pharmacy, capsule_formula_id, draft_with_components


def verified(ph: Pharmacy, batch: Batch) -> Batch:
    ph.store.mark_compounded(batch.id, by=ph.technician, password=PASSWORD)
    return ph.store.verify_batch(batch.id, by=ph.pharmacist, password=PASSWORD)


def refill(ph: Pharmacy, prescription_id: int) -> Batch:
    """Another verified batch for the same prescription."""
    store = ph.store
    batch = store.create_draft_batch(
        capsule_formula_id(store),
        prescription_id,
        {"kind": "capsules"},
        Decimal(33),
        "capsules",
        by=ph.technician,
    )
    batch = store.add_component(batch.id, "NTX-2401", Decimal("151.5"), "mg", by=ph.technician)
    for component in batch.components:
        batch = store.record_actual(batch.id, component.id, component.planned, by=ph.technician)
    return verified(ph, batch)


def test_a_reprint_weeks_later_moves_neither_day_one_nor_the_first_print(
    pharmacy: Pharmacy,
) -> None:
    store, clock = pharmacy.store, pharmacy.clock
    first = verified(pharmacy, draft_with_components(pharmacy))
    assert first.prescription_id is not None
    assert store.prescription(first.prescription_id).first_filled_on is None
    printed = store.mark_printed(first.id, by=pharmacy.technician)
    day_one = clock.now.astimezone().date()
    rx = store.prescription(first.prescription_id)
    assert (rx.first_filled_on, rx.first_fill_batch_id) == (day_one, first.id)
    assert printed.printed_at == printed.last_printed_at == clock.now
    store.mark_dispensed(first.id, by=pharmacy.pharmacist)
    clock.advance(days=20)
    reprinted = store.mark_printed(first.id, by=pharmacy.technician)
    assert reprinted.printed_at == printed.printed_at  # the first print is kept
    assert reprinted.last_printed_at == clock.now
    second = refill(pharmacy, first.prescription_id)
    store.mark_printed(second.id, by=pharmacy.technician)
    assert store.prescription(first.prescription_id).first_filled_on == day_one
    actions = [e.action for e in store.audit_entries(table="batches", row_id=first.id)]
    assert actions[0] == "reprinted" and "printed" in actions
    assert store.verify_audit().ok


def test_the_first_fill_is_audited_with_the_batch_that_set_it(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = verified(pharmacy, draft_with_components(pharmacy))
    assert batch.prescription_id is not None
    store.mark_printed(batch.id, by=pharmacy.technician)
    entry = store.audit_entries(table="prescriptions", row_id=batch.prescription_id, limit=1)[0]
    assert entry.username == "tess"
    assert entry.action == f"first filled: batch {batch.lot_number} its final label printed"
    assert json.loads(entry.old)["first_filled_on"] is None
    assert json.loads(entry.new)["first_fill_batch_id"] == batch.id


def test_a_batch_dispensed_without_a_printed_label_is_the_first_fill(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = verified(pharmacy, draft_with_components(pharmacy))
    assert batch.prescription_id is not None
    store.mark_dispensed(batch.id, by=pharmacy.pharmacist)
    rx = store.prescription(batch.prescription_id)
    assert rx.first_filled_on == pharmacy.clock.now.astimezone().date()
    pharmacy.clock.advance(days=3)
    store.mark_printed(batch.id, by=pharmacy.technician)  # the label printed afterwards
    assert store.prescription(batch.prescription_id).first_filled_on == rx.first_filled_on


def test_a_rejected_first_batch_gives_day_one_to_the_batch_that_went_out(
    pharmacy: Pharmacy,
) -> None:
    store, clock = pharmacy.store, pharmacy.clock
    spoiled = verified(pharmacy, draft_with_components(pharmacy))
    rx_id = spoiled.prescription_id
    assert rx_id is not None
    store.mark_printed(spoiled.id, by=pharmacy.technician)
    clock.advance(days=2)
    good = refill(pharmacy, rx_id)
    store.mark_printed(good.id, by=pharmacy.technician)
    clock.advance(days=1)
    store.reject_batch(spoiled.id, "capsules chipped", by=pharmacy.pharmacist)
    rx = store.prescription(rx_id)
    assert rx.first_fill_batch_id == good.id
    assert rx.first_filled_on == (clock.now - timedelta(days=1)).astimezone().date()
    store.reject_batch(good.id, "dropped", by=pharmacy.pharmacist)
    rx = store.prescription(rx_id)
    assert (rx.first_filled_on, rx.first_fill_batch_id) == (None, None)
    assert "rejected before dispensing" in store.audit_entries(table="prescriptions")[0].action
    assert store.verify_audit().ok


def test_day_one_is_corrected_only_by_a_pharmacist_with_a_reason(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = verified(pharmacy, draft_with_components(pharmacy))
    rx_id = batch.prescription_id
    assert rx_id is not None
    store.mark_printed(batch.id, by=pharmacy.technician)
    earlier = date(2026, 11, 1)
    with pytest.raises(PermissionRefused):
        store.correct_first_fill(rx_id, earlier, reason="started elsewhere", by=pharmacy.technician)
    with pytest.raises(InvalidField, match="reason"):
        store.correct_first_fill(rx_id, earlier, reason=" ", by=pharmacy.pharmacist)
    with pytest.raises(InvalidField, match="future"):
        store.correct_first_fill(rx_id, date(2026, 12, 1), reason="typo", by=pharmacy.pharmacist)
    corrected = store.correct_first_fill(
        rx_id, earlier, reason="first supply filled at the branch", by=pharmacy.pharmacist
    )
    assert (corrected.first_filled_on, corrected.first_fill_batch_id) == (earlier, None)
    entry = store.audit_entries(table="prescriptions", row_id=rx_id, limit=1)[0]
    assert entry.action == "first fill corrected: first supply filled at the branch"
    assert entry.username == "phil"
    # A correction belongs to no batch: rejecting a batch later leaves it alone.
    other = refill(pharmacy, rx_id)
    store.reject_batch(other.id, "spilled", by=pharmacy.pharmacist)
    assert store.prescription(rx_id).first_filled_on == earlier
    assert store.verify_audit().ok


def test_day_one_is_not_before_the_prescription_was_written(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    patient = store.add_patient("Ann Lee", date(1970, 1, 1), by=pharmacy.technician)
    rx = store.add_prescription(
        patient.id, "RX-7", "Dr B", "1.5 mg", written_on=date(2026, 11, 10), by=pharmacy.technician
    )
    with pytest.raises(InvalidField, match="before the prescription was written"):
        store.correct_first_fill(rx.id, date(2026, 11, 9), reason="typo", by=pharmacy.pharmacist)
    assert store.prescription(rx.id).first_filled_on is None
