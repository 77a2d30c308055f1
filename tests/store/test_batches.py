"""Compounding records: the rules a pharmacist relies on, against a real SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from ldn_desktop.store.errors import (
    BudAfterExpiry,
    LotNotUsable,
    NotFound,
    PermissionRefused,
    ReadOnlyDatabase,
    SignatureRefused,
    StateRefused,
)
from ldn_desktop.store.records import BatchState, SignatureMeaning
from tests.store.conftest import PASSWORD, Pharmacy, capsule_formula_id, draft_with_components


def test_a_batch_goes_from_draft_to_dispensed_with_two_valid_signatures(
    pharmacy: Pharmacy,
) -> None:
    store = pharmacy.store
    batch = draft_with_components(pharmacy)
    assert batch.state is BatchState.DRAFT
    assert batch.lot_number == "261122-0001"
    assert batch.patient_name == "Jane Doe"
    assert batch.calculation == {"kind": "capsules", "steps": ["4.5 mg × 33 = 148.5 mg"]}
    batch = store.mark_compounded(batch.id, by=pharmacy.technician, password=PASSWORD)
    assert batch.state is BatchState.COMPOUNDED
    batch = store.verify_batch(batch.id, by=pharmacy.pharmacist, password=PASSWORD)
    assert batch.state is BatchState.VERIFIED
    batch = store.mark_printed(batch.id, by=pharmacy.technician)
    assert batch.printed_at == pharmacy.clock.now
    batch = store.mark_dispensed(batch.id, by=pharmacy.pharmacist)
    assert batch.state is BatchState.DISPENSED
    compounded = batch.signature(SignatureMeaning.COMPOUNDED)
    verified = batch.signature(SignatureMeaning.VERIFIED)
    assert compounded is not None and verified is not None
    assert (compounded.printed_name, verified.printed_name) == (
        "Tess Technician",
        "Phil Pharmacist",
    )
    assert compounded.valid and verified.valid
    assert store.verify_audit().ok


def test_the_second_batch_of_the_day_gets_the_next_lot_number(pharmacy: Pharmacy) -> None:
    first = draft_with_components(pharmacy)
    second = draft_with_components(pharmacy)
    assert (first.lot_number, second.lot_number) == ("261122-0001", "261122-0002")
    assert pharmacy.store.batch_by_lot("261122-0002").id == second.id


def test_the_verifier_cannot_be_the_compounder(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = draft_with_components(pharmacy, by=pharmacy.pharmacist)
    store.mark_compounded(batch.id, by=pharmacy.pharmacist, password=PASSWORD)
    with pytest.raises(SignatureRefused, match="someone other than the person who compounded"):
        store.verify_batch(batch.id, by=pharmacy.pharmacist, password=PASSWORD)
    assert store.batch(batch.id).state is BatchState.COMPOUNDED
    assert store.verify_batch(batch.id, by=pharmacy.second_pharmacist, password=PASSWORD).state


def test_a_technician_cannot_verify(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = draft_with_components(pharmacy, by=pharmacy.pharmacist)
    store.mark_compounded(batch.id, by=pharmacy.pharmacist, password=PASSWORD)
    with pytest.raises(SignatureRefused, match="only a pharmacist may verify"):
        store.verify_batch(batch.id, by=pharmacy.technician, password=PASSWORD)
    with pytest.raises(SignatureRefused, match="only a pharmacist may verify"):
        store.verify_batch(batch.id, by=pharmacy.admin, password=PASSWORD)
    assert store.batch(batch.id).signature(SignatureMeaning.VERIFIED) is None


def test_signing_needs_the_password_again(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = draft_with_components(pharmacy)
    with pytest.raises(SignatureRefused, match="password is not right"):
        store.mark_compounded(batch.id, by=pharmacy.technician, password="wrong password")
    assert store.batch(batch.id).state is BatchState.DRAFT


def test_a_batch_is_not_signed_before_every_weight_is_recorded(pharmacy: Pharmacy) -> None:
    batch = draft_with_components(pharmacy, weighed=False)
    with pytest.raises(StateRefused, match="actually weighed for lot NTX-2401, lot MCC-77"):
        pharmacy.store.mark_compounded(batch.id, by=pharmacy.technician, password=PASSWORD)


@pytest.mark.parametrize(
    ("make_unusable", "message"),
    [
        (lambda s, ph, lot: s.recall_lot(lot.id, "supplier recall", by=ph.pharmacist), "recalled"),
        (lambda s, ph, lot: s.quarantine_lot(lot.id, "OOS", by=ph.pharmacist), "quarantine"),
    ],
)
def test_recalled_or_quarantined_lots_are_refused(
    pharmacy: Pharmacy, make_unusable, message: str
) -> None:  # type: ignore[no-untyped-def]
    store = pharmacy.store
    make_unusable(store, pharmacy, pharmacy.api_lot)
    batch = store.create_draft_batch(
        capsule_formula_id(store), None, {}, Decimal(100), "capsules", by=pharmacy.technician
    )
    with pytest.raises(LotNotUsable, match=f"lot NTX-2401 .*{message}"):
        store.add_component(batch.id, "NTX-2401", Decimal(1), "mg", by=pharmacy.technician)
    assert store.batch(batch.id).components == ()


def test_an_expired_lot_is_refused(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    pharmacy.clock.advance(days=80)  # 2027-02-10: the filler lot expired on 2027-01-31
    batch = store.create_draft_batch(
        capsule_formula_id(store), None, {}, Decimal(100), "capsules", by=pharmacy.technician
    )
    with pytest.raises(LotNotUsable, match="lot MCC-77 expired on 2027-01-31"):
        store.add_component(batch.id, "MCC-77", Decimal(1), "mg", by=pharmacy.technician)
    assert store.batch(batch.id).components == ()


def test_a_lot_recalled_after_weighing_stops_the_signature(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = draft_with_components(pharmacy)
    store.recall_lot(pharmacy.filler_lot.id, "supplier recall", by=pharmacy.pharmacist)
    with pytest.raises(LotNotUsable, match="recalled"):
        store.mark_compounded(batch.id, by=pharmacy.technician, password=PASSWORD)


def test_the_bud_is_capped_at_the_earliest_component_expiry(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = store.create_draft_batch(
        capsule_formula_id(store), None, {}, Decimal(100), "capsules", by=pharmacy.technician
    )
    assert batch.bud == date(2027, 5, 21)  # 180 days (USP <795>, capsules)
    batch = store.add_component(batch.id, "NTX-2401", Decimal(1), "mg", by=pharmacy.technician)
    assert batch.bud == date(2027, 5, 21)
    batch = store.add_component(batch.id, "MCC-77", Decimal(1), "mg", by=pharmacy.technician)
    assert batch.bud == date(2027, 1, 31)
    assert "limited by Microcrystalline cellulose lot MCC-77" in batch.bud_basis
    removed = store.remove_component(batch.id, batch.components[1].id, by=pharmacy.technician)
    assert removed.bud == date(2027, 5, 21)
    assert [c.lot_number for c in removed.components] == ["NTX-2401"]


def test_the_database_itself_refuses_a_bud_past_a_component_expiry(pharmacy: Pharmacy) -> None:
    batch = draft_with_components(pharmacy)
    conn = sqlite3.connect(pharmacy.path)
    with pytest.raises(sqlite3.IntegrityError, match="bud-after-component-expiry"):
        conn.execute("UPDATE batches SET bud = '2027-02-01' WHERE id = ?", (batch.id,))
    with pytest.raises(sqlite3.IntegrityError, match="bud-after-component-expiry"):
        conn.execute("UPDATE lots SET expiry = '2026-12-01' WHERE id = ?", (pharmacy.api_lot.id,))
    conn.close()
    assert pharmacy.store.batch(batch.id).bud == date(2027, 1, 31)


def test_the_store_maps_the_databases_bud_refusal(pharmacy: Pharmacy) -> None:
    batch = draft_with_components(pharmacy)
    with (
        pytest.raises(BudAfterExpiry, match="later than a component's expiry"),
        pharmacy.store._write(),
    ):
        pharmacy.store._conn.execute(
            "UPDATE batches SET bud = '2027-06-01' WHERE id = ?", (batch.id,)
        )


def test_a_change_after_signing_voids_the_signature(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = draft_with_components(pharmacy)
    store.mark_compounded(batch.id, by=pharmacy.technician, password=PASSWORD)
    store.add_deviation(
        batch.id, "Capsule machine jammed; 2 capsules discarded", by=pharmacy.technician
    )
    changed = store.batch(batch.id)
    signature = changed.signature(SignatureMeaning.COMPOUNDED)
    assert signature is not None and not signature.valid
    with pytest.raises(SignatureRefused, match="changed since it was signed"):
        store.verify_batch(batch.id, by=pharmacy.pharmacist, password=PASSWORD)
    resigned = store.mark_compounded(batch.id, by=pharmacy.technician, password=PASSWORD)
    signatures = [s.valid for s in resigned.signatures]
    assert signatures == [False, True]  # the old one stays, void; the new one covers the note
    with pytest.raises(StateRefused, match="already signed as compounded"):
        store.mark_compounded(batch.id, by=pharmacy.technician, password=PASSWORD)
    verified = store.verify_batch(batch.id, by=pharmacy.pharmacist, password=PASSWORD)
    assert verified.state is BatchState.VERIFIED


def test_a_failed_quality_check_prevents_verification(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = draft_with_components(pharmacy)
    store.record_quality_check(
        batch.id,
        "Weight of 10 capsules",
        "2,000 mg ± 10 %",
        "2,410 mg",
        False,
        by=pharmacy.technician,
    )
    store.mark_compounded(batch.id, by=pharmacy.technician, password=PASSWORD)
    with pytest.raises(StateRefused, match="quality check failed"):
        store.verify_batch(batch.id, by=pharmacy.pharmacist, password=PASSWORD)
    rejected = store.reject_batch(batch.id, "Fill weight out of range", by=pharmacy.pharmacist)
    assert rejected.state is BatchState.REJECTED
    assert rejected.reject_reason == "Fill weight out of range"


def test_states_only_move_forward(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = draft_with_components(pharmacy)
    with pytest.raises(StateRefused, match="is draft: cannot verify it"):
        store.verify_batch(batch.id, by=pharmacy.pharmacist, password=PASSWORD)
    with pytest.raises(StateRefused, match="cannot dispense it"):
        store.mark_dispensed(batch.id, by=pharmacy.pharmacist)
    store.mark_compounded(batch.id, by=pharmacy.technician, password=PASSWORD)
    with pytest.raises(StateRefused, match="cannot add a component"):
        store.add_component(batch.id, "NTX-2401", Decimal(1), "mg", by=pharmacy.technician)
    store.reject_batch(batch.id, "dropped", by=pharmacy.pharmacist)
    with pytest.raises(StateRefused, match="is rejected"):
        store.reject_batch(batch.id, "again", by=pharmacy.pharmacist)


def test_roles_are_checked_on_every_write(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    with pytest.raises(PermissionRefused, match="technician may not release"):
        store.release_lot(pharmacy.api_lot.id, by=pharmacy.technician)
    with pytest.raises(PermissionRefused, match="an administrator may not prepare"):
        store.create_draft_batch(
            capsule_formula_id(store), None, {}, Decimal(1), "capsules", by=pharmacy.admin
        )
    store.set_user_active(pharmacy.technician.id, False, by=pharmacy.admin)
    with pytest.raises(PermissionRefused, match="not an active user"):
        store.add_patient("A Patient", None, by=pharmacy.technician)


def test_unknown_lots_and_batches_are_named(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = store.create_draft_batch(
        capsule_formula_id(store), None, {}, Decimal(1), "capsules", by=pharmacy.technician
    )
    with pytest.raises(NotFound, match="No ingredient lot XYZ has been received"):
        store.add_component(batch.id, " XYZ ", Decimal(1), "mg", by=pharmacy.technician)
    with pytest.raises(NotFound, match="no batch 999"):
        store.batch(999)


def test_the_lot_number_is_typed_by_a_scanner_with_surrounding_spaces(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = store.create_draft_batch(
        capsule_formula_id(store), None, {}, Decimal(1), "capsules", by=pharmacy.technician
    )
    batch = store.add_component(batch.id, " NTX-2401\n", Decimal(1), "mg", by=pharmacy.technician)
    assert batch.components[0].lot_id == pharmacy.api_lot.id


def test_a_read_only_store_refuses_writes(pharmacy: Pharmacy) -> None:
    store = pharmacy.reopen(read_only=True)
    assert store.read_only and "read-only" in store.read_only_reason
    with pytest.raises(ReadOnlyDatabase):
        store.add_patient("A Patient", None, by=pharmacy.technician)
    assert store.list_formulas()
