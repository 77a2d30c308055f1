"""Whatever is typed is stored and read back exactly, or refused whole with a clear message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_desktop.store.errors import InvalidField
from ldn_desktop.store.records import Role
from ldn_desktop.store.sqlite_store import SqliteStore
from tests.store.conftest import Pharmacy, capsule_formula_id

NASTY = [
    "Robert'); DROP TABLE patients;--",
    'O\'Brien "Bobby" Tables',
    "Zoë Łukasiewicz-Øster 李小龍 محمد",
    "1 OR 1=1",
    "%_\\ LIKE wildcards",
    "emoji 💊 and combining e\u0301",
    "  leading and trailing spaces  ",
    "line one\nline two\ttabbed",
]


def counts(store: SqliteStore) -> tuple[int, int, int]:
    conn = store._conn
    return tuple(  # type: ignore[return-value]
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("patients", "prescriptions", "audit")
    )


@pytest.mark.parametrize("name", NASTY)
def test_awkward_text_is_stored_exactly(pharmacy: Pharmacy, name: str) -> None:
    store = pharmacy.store
    patient = store.add_patient(name, date(1990, 1, 1), address=name, by=pharmacy.technician)
    rx = store.add_prescription(
        patient.id,
        "RX-1",
        name,
        "1.5 mg",
        name,
        titration="1.5 mg for 14 days, then 3 mg",
        by=pharmacy.technician,
    )
    assert store.patient(patient.id).name == name
    assert store.prescription(rx.id).directions == name
    assert {"patients", "batches", "audit"} <= {
        r[0] for r in store._conn.execute("SELECT name FROM sqlite_master")
    }
    assert store.verify_audit().ok


@pytest.mark.parametrize("directions", ["", "   "])
def test_empty_directions_are_saved_to_be_written_at_print_time(
    pharmacy: Pharmacy, directions: str
) -> None:
    """No directions typed: the label writes them from the prescription and the date filled
    (a saved first-phase text would still say "Days 1 to 14" on a refill on day 30)."""
    store = pharmacy.store
    patient = store.add_patient("Ana Ruiz", date(1990, 1, 1), by=pharmacy.technician)
    rx = store.add_prescription(
        patient.id,
        "RX-2",
        "Dr A",
        "4.5 mg",
        directions,
        titration="1.5 mg for 14 days, then 3 mg for 14 days, then 4.5 mg",
        by=pharmacy.technician,
    )
    assert store.prescription(rx.id).directions == directions
    plain = store.add_prescription(patient.id, "RX-3", "Dr A", "1 mg", by=pharmacy.technician)
    assert plain.directions == ""
    assert store.verify_audit().ok


def test_a_10000_character_field_is_kept_whole(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    batch = store.create_draft_batch(
        capsule_formula_id(store), None, {}, Decimal(10), "capsules", by=pharmacy.technician
    )
    note = ("Ten thousand characters of deviation notes; " * 300)[:10_000]
    batch = store.add_deviation(batch.id, note, by=pharmacy.technician)
    assert batch.deviations[0].text == note
    assert len(store.batch(batch.id).deviations[0].text) == 10_000


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "patient name: must not be empty"),
        ("   \n ", "patient name: must not be empty"),
        ("x" * 201, "patient name: is 201 characters long; at most 200 are kept"),
        ("Nul\x00byte", "control characters"),
        ("Bell\x07", "control characters"),
        ("lone \ud800 surrogate", "not valid text"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_written(
    pharmacy: Pharmacy, name: str, message: str
) -> None:
    store = pharmacy.store
    before = counts(store)
    with pytest.raises(InvalidField, match=message):
        store.add_patient(name, None, by=pharmacy.technician)
    assert counts(store) == before


def test_a_refusal_half_way_through_writes_nothing(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    patient = store.add_patient("Real Patient", None, by=pharmacy.technician)
    before = counts(store)
    with pytest.raises(InvalidField, match="days' supply"):
        store.add_prescription(
            patient.id, "RX-2", "Dr X", "1 mg", "at bedtime", days_supply=0, by=pharmacy.technician
        )
    with pytest.raises(InvalidField, match="units made: must be a positive number"):
        store.create_draft_batch(
            capsule_formula_id(store), None, {}, Decimal("NaN"), "capsules", by=pharmacy.technician
        )
    with pytest.raises(InvalidField, match="date of birth"):
        store.add_patient("Born Tomorrow", date(2099, 1, 1), by=pharmacy.technician)
    assert counts(store) == before


valid_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200
).filter(lambda s: s.strip() != "")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=valid_text, directions=st.text(max_size=300).filter(str.strip))
def test_any_printable_text_round_trips_or_is_refused_whole(
    pharmacy: Pharmacy, name: str, directions: str
) -> None:
    store = pharmacy.store
    before = counts(store)
    patient = store.add_patient(name, None, by=pharmacy.technician)
    assert store.patient(patient.id).name == name
    try:
        rx = store.add_prescription(
            patient.id, "RX-H", "Dr H", "1 mg", directions, by=pharmacy.technician
        )
    except InvalidField as refused:
        assert "directions" in str(refused)
        assert counts(store)[1] == before[1]
    else:
        assert store.prescription(rx.id).directions == directions


def test_a_refusal_names_the_parameter_for_the_window(pharmacy: Pharmacy) -> None:
    with pytest.raises(InvalidField) as refused:
        pharmacy.store.add_patient(" ", None, by=pharmacy.technician)
    assert (refused.value.field, refused.value.message) == (
        "name",
        "patient name: must not be empty",
    )
    with pytest.raises(InvalidField) as refused:
        pharmacy.store.add_user("x1", "", Role.TECHNICIAN, "long enough", by=pharmacy.admin)
    assert (refused.value.field, refused.value.message) == (
        "full_name",
        "full name: must not be empty",
    )
