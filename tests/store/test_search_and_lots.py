"""The batch table's search and paging, lots' life and the recall trace, formula versions."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from ldn_desktop.store.errors import InvalidField, PermissionRefused, RuleRefused, StateRefused
from ldn_desktop.store.records import BatchQuery, BatchSort, BatchState, LotStatus
from tests.store.conftest import Pharmacy, capsule_formula_id


def make_batches(ph: Pharmacy) -> list[int]:
    store, tech = ph.store, ph.technician
    ids = []
    for name, rx_number, day in (
        ("Émile Zola", "RX-100", date(2026, 11, 1)),
        ("emile zola", "RX-101", date(2026, 11, 10)),
        ("Anna Smith", "RX-200", date(2026, 11, 20)),
    ):
        patient = store.add_patient(name, None, by=tech)
        rx = store.add_prescription(patient.id, rx_number, "Dr A", "1 mg", "at bedtime", by=tech)
        batch = store.create_draft_batch(
            capsule_formula_id(store),
            rx.id,
            {},
            Decimal(30),
            "capsules",
            compounded_on=day,
            by=tech,
        )
        ids.append(batch.id)
    store.add_component(ids[2], "NTX-2401", Decimal(45), "mg", by=tech)
    return ids


def lots(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.lot_number for r in page.rows]


def test_search_by_patient_ignores_case_and_accents(pharmacy: Pharmacy) -> None:
    make_batches(pharmacy)
    page = pharmacy.store.search_batches(BatchQuery(patient="ÉMILE"))
    assert (lots(page), page.total) == (["261110-0001", "261101-0001"], 2)
    page = pharmacy.store.search_batches(BatchQuery(patient="emile  z"))
    assert lots(page) == ["261110-0001", "261101-0001"]
    assert pharmacy.store.search_batches(BatchQuery(patient="zola")).total == 0  # from the start


def test_search_by_rx_lot_dates_and_state(pharmacy: Pharmacy) -> None:
    make_batches(pharmacy)
    store = pharmacy.store
    assert lots(store.search_batches(BatchQuery(rx_number="RX-10"))) == [
        "261110-0001",
        "261101-0001",
    ]
    assert lots(store.search_batches(BatchQuery(lot_number="NTX-2401"))) == ["261120-0001"]
    assert lots(store.search_batches(BatchQuery(lot_number="261101-0001"))) == ["261101-0001"]
    page = store.search_batches(
        BatchQuery(date_from=date(2026, 11, 5), date_to=date(2026, 11, 20), descending=False)
    )
    assert lots(page) == ["261110-0001", "261120-0001"]
    assert store.search_batches(BatchQuery(state=BatchState.VERIFIED)).total == 0


def test_pages_carry_the_total_and_sort_stably(pharmacy: Pharmacy) -> None:
    make_batches(pharmacy)
    store = pharmacy.store
    first = store.search_batches(BatchQuery(sort=BatchSort.PATIENT, descending=False, limit=2))
    second = store.search_batches(
        BatchQuery(sort=BatchSort.PATIENT, descending=False, limit=2, offset=2)
    )
    assert (first.total, second.total) == (3, 3)
    names = [r.patient_name for r in first.rows + second.rows]
    assert names == ["Anna Smith", "Émile Zola", "emile zola"]  # same key: then by id
    with pytest.raises(InvalidField, match="limit must be 1 to 1000"):
        store.search_batches(BatchQuery(limit=0))


def test_the_recall_trace_finds_every_batch_and_patient(pharmacy: Pharmacy) -> None:
    make_batches(pharmacy)
    store = pharmacy.store
    trace = store.recall_trace("NTX-2401")
    assert [b.lot_number for b in trace.batches] == ["261120-0001"]
    assert trace.patients == ("Anna Smith",)
    assert trace.to_dict()["lots"][0]["supplier"] == "Medisca"  # type: ignore[index]
    assert store.recall_trace("MCC-77").batches == ()


def test_a_lot_is_quarantined_until_released_and_stays_recalled(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    ingredient = store.list_ingredients()[0]
    lot = store.receive_lot(
        ingredient.id, "Fagron", "F-1", date(2027, 6, 30), by=pharmacy.technician
    )
    assert lot.status is LotStatus.QUARANTINED
    assert store.release_lot(lot.id, by=pharmacy.pharmacist).status is LotStatus.RELEASED
    assert store.recall_lot(lot.id, "supplier notice 12", by=pharmacy.admin).status_reason == (
        "supplier notice 12"
    )
    with pytest.raises(RuleRefused, match="stays recalled"):
        store.release_lot(lot.id, by=pharmacy.pharmacist)
    assert [lot.lot_number for lot in store.list_lots(status=LotStatus.RECALLED)] == ["F-1"]
    assert store.lots_by_number(" F-1 ")[0].id == lot.id


def test_an_expired_lot_cannot_be_released(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    lot = store.receive_lot(
        store.list_ingredients()[0].id,
        "Old Stock",
        "OS-1",
        date(2026, 1, 1),
        by=pharmacy.technician,
    )
    with pytest.raises(RuleRefused, match="expired on 2026-01-01"):
        store.release_lot(lot.id, by=pharmacy.pharmacist)


def test_expiring_soon_lists_released_lots_in_expiry_order(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    assert [lot.lot_number for lot in store.expiring_lots(90)] == ["MCC-77"]
    assert [lot.lot_number for lot in store.expiring_lots(365)] == ["MCC-77", "NTX-2401"]
    assert store.expiring_lots(30) == ()


def test_assay_and_water_figures_are_kept_exactly_and_checked(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    lot = store.lot(pharmacy.api_lot.id)
    assert (lot.assay_percent, lot.water_percent) == (Decimal("99.5"), Decimal("1.5"))
    with pytest.raises(InvalidField, match="assay: must be between 50 % and 150 %"):
        store.receive_lot(
            lot.ingredient_id,
            "X",
            "X-1",
            date(2027, 1, 1),
            assay_percent=Decimal(995),
            by=pharmacy.technician,
        )


def test_editing_a_formula_makes_a_new_version_and_keeps_the_old(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    old = store.formula(capsule_formula_id(store))
    batch = store.create_draft_batch(
        old.id, None, {}, Decimal(10), "capsules", by=pharmacy.technician
    )
    edited = dataclasses.replace(old, steps=(*old.steps, "Check capsule closure."))
    new = store.save_formula_version(edited, reason="Added a closure check", by=pharmacy.pharmacist)
    assert (new.version, new.current, new.change_reason) == (2, True, "Added a closure check")
    versions = store.formula_versions(old.code)
    assert [(f.version, f.current) for f in versions] == [(1, False), (2, True)]
    assert versions[0].steps == old.steps
    assert store.batch(batch.id).formula_version == 1
    assert [f.version for f in store.list_formulas() if f.code == old.code] == [2]
    with pytest.raises(StateRefused, match="has been replaced"):
        store.create_draft_batch(old.id, None, {}, Decimal(10), "capsules", by=pharmacy.technician)
    with pytest.raises(PermissionRefused):
        store.save_formula_version(edited, reason="x", by=pharmacy.technician)
    with pytest.raises(InvalidField, match="reason for the change"):
        store.save_formula_version(edited, reason=" ", by=pharmacy.pharmacist)


def test_a_stability_reference_extends_the_bud(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    liquid = next(f for f in store.list_formulas() if f.code == "ldn-oral-liquid-1mg-unpreserved")
    assert store.create_draft_batch(
        liquid.id, None, {}, Decimal(100), "mL", by=pharmacy.technician
    ).bud == date(2026, 12, 6)  # 14 days, USP <795> aqueous unpreserved
    studied = dataclasses.replace(
        liquid, stability_days=60, stability_reference="Published LDN liquid study, refrigerated"
    )
    new = store.save_formula_version(studied, reason="stability data", by=pharmacy.pharmacist)
    batch = store.create_draft_batch(new.id, None, {}, Decimal(100), "mL", by=pharmacy.technician)
    assert batch.bud == date(2027, 1, 21)
    assert batch.bud_basis.startswith("Stability data: Published LDN liquid study")


def test_patients_are_found_by_the_start_of_any_name(pharmacy: Pharmacy) -> None:
    store, tech = pharmacy.store, pharmacy.technician
    for name in ("Mary O'Connor", "Connor Walsh", "Anna Smith", "Zoë Ångström"):
        store.add_patient(name, None, by=tech)
    assert [p.name for p in store.find_patients("connor")] == ["Connor Walsh"]
    assert [p.name for p in store.find_patients("angs")] == ["Zoë Ångström"]
    assert [p.name for p in store.find_patients("o'c")] == ["Mary O'Connor"]
    assert [p.name for p in store.find_patients("")] == [
        "Anna Smith",
        "Connor Walsh",
        "Mary O'Connor",
        "Zoë Ångström",
    ]
    assert len(store.find_patients("", limit=2)) == 2


def test_prescriptions_are_found_by_patient_and_by_rx_number(pharmacy: Pharmacy) -> None:
    store, tech = pharmacy.store, pharmacy.technician
    patient = store.add_patient("Rx Patient", date(1970, 1, 1), by=tech)
    first = store.add_prescription(
        patient.id, "RX-7", "Dr B", "1.5 mg", "at bedtime", days_supply=30, by=tech
    )
    second = store.add_prescription(
        patient.id,
        "RX-8",
        "Dr B",
        "3 mg",
        "at bedtime",
        titration="1.5 mg for 14 days, then 3 mg",
        written_on=date(2026, 11, 1),
        by=tech,
    )
    assert [rx.id for rx in store.prescriptions_for(patient.id)] == [second.id, first.id]
    assert store.prescriptions_by_rx(" RX-8 ") == (second,)
    assert second.titration == "1.5 mg for 14 days, then 3 mg"
    assert second.patient_name == "Rx Patient"


def test_ingredients_are_added_once(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    added = store.add_ingredient(
        "Lactose monohydrate", "excipient", grade="NF", by=pharmacy.technician
    )
    assert added in store.list_ingredients()
    with pytest.raises(RuleRefused, match="already exists"):
        store.add_ingredient("lactose MONOHYDRATE", "excipient", by=pharmacy.technician)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"preparation_type": "syrup"}, "BUD category: must be one of"),
        ({"components": ()}, "at least one component"),
        ({"steps": ()}, "needs its compounding steps"),
        ({"stability_days": 60}, "needs its reference"),
        ({"name": ""}, "formula name: must not be empty"),
    ],
)
def test_a_formula_version_must_be_complete(
    pharmacy: Pharmacy, change: dict[str, object], message: str
) -> None:
    store = pharmacy.store
    formula = store.formula(capsule_formula_id(store))
    with pytest.raises(InvalidField, match=message):
        store.save_formula_version(
            dataclasses.replace(formula, **change),  # type: ignore[arg-type]
            reason="edit",
            by=pharmacy.pharmacist,
        )
    assert len(store.formula_versions(formula.code)) == 1


def test_lots_past_their_date_are_marked_expired(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    assert store.expire_lots(by=pharmacy.technician) == ()
    marked = store.expire_lots(by=pharmacy.technician, today=date(2027, 2, 1))
    assert [(lot.lot_number, lot.status) for lot in marked] == [("MCC-77", LotStatus.EXPIRED)]
    assert store.lot(pharmacy.api_lot.id).status is LotStatus.RELEASED
    assert store.audit_entries(table="lots", row_id=pharmacy.filler_lot.id)[0].action == "expired"


def test_a_patients_details_are_corrected_with_a_reason(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    patient = store.add_patient("Jon Smith", date(1970, 1, 1), by=pharmacy.technician)
    fixed = store.correct_patient(
        dataclasses.replace(patient, name="John Smith", phone="555-0199"),
        reason="spelling, checked against ID",
        by=pharmacy.pharmacist,
    )
    assert (fixed.name, fixed.phone, fixed.date_of_birth) == (
        "John Smith",
        "555-0199",
        date(1970, 1, 1),
    )
    entry = store.audit_entries(table="patients", row_id=patient.id)[0]
    assert entry.action == "corrected: spelling, checked against ID"
    assert '"name":"Jon Smith"' in entry.old and '"name":"John Smith"' in entry.new
    with pytest.raises(InvalidField, match="reason for the correction: must not be empty"):
        store.correct_patient(fixed, reason="", by=pharmacy.pharmacist)
    assert store.verify_audit().ok
