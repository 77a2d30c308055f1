"""The audit trail: append-only, hash-chained, and it names the first broken row."""

from __future__ import annotations

import sqlite3

import pytest

from ldn_desktop.store.records import SignatureMeaning
from tests.store.conftest import PASSWORD, Pharmacy, draft_with_components


def raw(ph: Pharmacy) -> sqlite3.Connection:
    """A connection behind the app's back, as someone with the sqlite3 shell would have."""
    return sqlite3.connect(ph.path, isolation_level=None)


def test_every_write_is_in_the_trail_with_who_and_what(pharmacy: Pharmacy) -> None:
    batch = draft_with_components(pharmacy)
    entries = pharmacy.store.audit_entries(table="batches", row_id=batch.id)
    assert [e.action for e in reversed(entries)] == ["insert", "BUD recalculated"]
    assert {e.username for e in entries} == {"tess"}
    assert '"bud":"2027-01-31"' in entries[0].new and '"bud":"2027-05-21"' in entries[0].old
    assert pharmacy.store.verify_audit().ok


def test_passwords_never_reach_the_trail(pharmacy: Pharmacy) -> None:
    for entry in pharmacy.store.audit_entries(table="users"):
        assert "scrypt$" not in entry.new


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit SET username = 'someone' WHERE id = 3", "DELETE FROM audit WHERE id = 3"],
)
def test_the_audit_table_refuses_update_and_delete(pharmacy: Pharmacy, statement: str) -> None:
    conn = raw(pharmacy)
    with pytest.raises(sqlite3.IntegrityError, match="audit trail cannot be changed"):
        conn.execute(statement)
    conn.close()
    assert pharmacy.store.verify_audit().ok


def test_clinical_rows_cannot_be_deleted(pharmacy: Pharmacy) -> None:
    batch = draft_with_components(pharmacy)
    conn = raw(pharmacy)
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        conn.execute("DELETE FROM batches WHERE id = ?", (batch.id,))
    conn.close()


def test_a_clinical_row_edited_behind_the_apps_back_is_named(pharmacy: Pharmacy) -> None:
    batch = draft_with_components(pharmacy)
    pharmacy.store.mark_compounded(batch.id, by=pharmacy.technician, password=PASSWORD)
    component = batch.components[0]
    conn = raw(pharmacy)
    conn.execute("UPDATE batch_components SET actual = '140' WHERE id = ?", (component.id,))
    conn.close()
    result = pharmacy.store.verify_audit()
    assert not result.ok
    assert (result.broken_table, result.broken_row_id) == ("batch_components", component.id)
    assert result.problem == (
        f"batch_components row {component.id} was changed outside the app "
        "(column actual differs from its last audited value)"
    )
    signature = pharmacy.store.batch(batch.id).signature(SignatureMeaning.COMPOUNDED)
    assert signature is not None and not signature.valid


def test_an_audit_entry_altered_with_the_triggers_dropped_is_named(pharmacy: Pharmacy) -> None:
    conn = raw(pharmacy)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET username = 'nobody' WHERE id = 5")
    conn.close()
    result = pharmacy.store.verify_audit()
    assert not result.ok
    assert (result.broken_table, result.broken_row_id) == ("audit", 5)
    assert "audit entry 5" in result.problem


def test_an_audit_entry_removed_with_the_triggers_dropped_is_found(pharmacy: Pharmacy) -> None:
    conn = raw(pharmacy)
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE id = 7")
    conn.close()
    result = pharmacy.store.verify_audit()
    assert not result.ok
    assert (result.broken_table, result.broken_row_id) == ("audit", 8)


def test_the_tail_of_the_trail_removed_is_found_through_the_rows(pharmacy: Pharmacy) -> None:
    batch = draft_with_components(pharmacy)
    conn = raw(pharmacy)
    last = conn.execute("SELECT max(id) FROM audit").fetchone()[0]
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE id = ?", (last,))  # the last weighing's entry
    conn.close()
    result = pharmacy.store.verify_audit()
    assert not result.ok
    assert result.broken_table == "batch_components"
    assert result.broken_row_id == batch.components[-1].id


def test_a_row_inserted_behind_the_apps_back_is_found(pharmacy: Pharmacy) -> None:
    conn = raw(pharmacy)
    conn.execute(
        "INSERT INTO patients (name, date_of_birth, address, phone) VALUES ('Ghost', NULL, '', '')"
    )
    conn.close()
    result = pharmacy.store.verify_audit()
    assert not result.ok
    assert result.broken_table == "patients"
    assert "has no entry in the audit trail" in result.problem


def test_a_row_deleted_with_the_triggers_dropped_is_found(pharmacy: Pharmacy) -> None:
    patient = pharmacy.store.add_patient("Short Lived", None, by=pharmacy.technician)
    conn = raw(pharmacy)
    conn.execute("DROP TRIGGER patients_no_delete")
    conn.execute("DELETE FROM patients WHERE id = ?", (patient.id,))
    conn.close()
    result = pharmacy.store.verify_audit()
    assert (result.ok, result.broken_table, result.broken_row_id) == (False, "patients", patient.id)
    assert "deleted outside the app" in result.problem
