"""Migrations: every older database opens, a newer one is refused, a failed step is undone."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from ldn_desktop.store import schema
from ldn_desktop.store.errors import NewerSchema
from ldn_desktop.store.first_fill import local_day
from ldn_desktop.store.records import BatchQuery, BatchState, SignatureMeaning
from tests.store.conftest import PASSWORD, TEST_SCRYPT_N, open_test_store
from tests.store.old_versions import (
    BUILDERS,
    FIRST_PRINT,
    REJECTED_PRINT,
    REPRINT,
    build_v2,
    build_v3,
)


def test_there_is_a_builder_for_every_older_schema_version() -> None:
    assert set(BUILDERS) == set(range(1, schema.SCHEMA_VERSION))


@pytest.mark.parametrize("version", sorted(BUILDERS))
def test_a_database_saved_by_an_older_version_opens_upgraded(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.sqlite3"
    BUILDERS[version](path, PASSWORD, TEST_SCRYPT_N)
    store = open_test_store(path)
    assert store.schema_version == schema.SCHEMA_VERSION
    backups = store.list_backups()
    assert [b.reason for b in backups] == [f"before-migration-v{version}"]
    assert backups[0].schema_version == version
    assert store.verify_audit().ok
    page = store.search_batches(BatchQuery(patient="émile"))
    assert [r.lot_number for r in page.rows] == ["250301-0001"]
    olga = store.authenticate("olga", PASSWORD)
    batch = store.batch_by_lot("250301-0001")
    assert batch.state is BatchState.DRAFT
    assert [c.lot_number for c in batch.components] == ["OLD-LOT-1"]
    signed = store.mark_compounded(batch.id, by=olga, password=PASSWORD)
    assert signed.state is BatchState.COMPOUNDED
    store.close()


def test_a_batch_signed_before_the_upgrade_keeps_a_valid_signature(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    build_v2(path, PASSWORD, TEST_SCRYPT_N, signed=True)
    store = open_test_store(path)
    batch = store.batch_by_lot("250301-0001")
    signature = batch.signature(SignatureMeaning.COMPOUNDED)
    assert signature is not None and signature.valid
    assert batch.components[0].what == "" and batch.components[0].name == "Naltrexone hydrochloride"
    assert store.verify_audit().ok
    olga = store.authenticate("olga", PASSWORD)
    verified = store.verify_batch(batch.id, by=olga, password=PASSWORD)
    assert verified.state is BatchState.VERIFIED
    store.close()


def test_a_component_changed_behind_the_app_after_the_upgrade_is_found(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    build_v2(path, PASSWORD, TEST_SCRYPT_N)
    open_test_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS batch_components_no_update")
    conn.execute("UPDATE batch_components SET what = 'made up'")
    conn.commit()
    conn.close()
    store = open_test_store(path)
    check = store.verify_audit()
    assert not check.ok and "column what differs" in check.problem
    store.close()


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    open_test_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchema, match="newer version of LDN Desktop"):
        open_test_store(path)
    assert path.read_bytes() == before


def test_a_failing_step_leaves_the_database_at_the_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_step(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed")

    conn = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    schema.migrate(conn)
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken_step))
    with pytest.raises(RuntimeError, match="step failed"):
        schema.migrate(conn, target=schema.SCHEMA_VERSION + 1)
    assert schema.schema_version(conn) == schema.SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half_done" not in tables
    conn.close()


def test_a_new_database_gets_every_step_and_no_backup(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "fresh.sqlite3")
    assert store.schema_version == schema.SCHEMA_VERSION
    assert store.list_backups() == ()
    assert store.is_first_run()
    store.close()


def test_the_upgrade_to_4_records_each_first_fill_from_the_audit_trail(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    build_v3(path, PASSWORD, TEST_SCRYPT_N, filled=True)
    store = open_test_store(path)
    assert store.schema_version == 4
    assert [b.reason for b in store.list_backups()] == ["before-migration-v3"]
    check = store.verify_audit()
    assert check.ok, check.problem
    (titration,) = store.prescriptions_by_rx("RX-OLD-10")
    filled = store.batch_by_lot("250301-0003")
    # Day 1 is the first label print of a batch that was not rejected, not the reprint.
    assert titration.first_filled_on == local_day(FIRST_PRINT)
    assert titration.first_fill_batch_id == filled.id
    assert filled.printed_at == datetime.fromisoformat(FIRST_PRINT)
    assert filled.last_printed_at == datetime.fromisoformat(REPRINT)
    rejected = store.batch_by_lot("250301-0002")
    assert rejected.printed_at == rejected.last_printed_at == datetime.fromisoformat(REJECTED_PRINT)
    (never_printed,) = store.prescriptions_by_rx("RX-OLD-11")
    assert never_printed.first_filled_on is None
    (first,) = store.prescriptions_by_rx("RX-OLD-9")
    assert first.first_filled_on is None and first.first_fill_batch_id is None
    # Each change the upgrade made is in the audit trail, by "system", with the old values.
    entry = store.audit_entries(table="prescriptions", row_id=titration.id, limit=1)[0]
    assert entry.username == "system" and entry.action.startswith("schema 4: first fill")
    assert json.loads(entry.old)["first_filled_on"] is None
    assert json.loads(entry.new)["first_filled_on"] == local_day(FIRST_PRINT).isoformat()
    # A reprint after the upgrade keeps day 1 and the first print time.
    olga = store.authenticate("olga", PASSWORD)
    reprinted = store.mark_printed(filled.id, by=olga)
    assert reprinted.printed_at == datetime.fromisoformat(FIRST_PRINT)
    assert store.prescription(titration.id).first_filled_on == local_day(FIRST_PRINT)
    assert store.verify_audit().ok
    store.close()


def test_a_first_fill_changed_behind_the_app_after_the_upgrade_is_found(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    build_v3(path, PASSWORD, TEST_SCRYPT_N, filled=True)
    open_test_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE prescriptions SET first_filled_on = '2025-03-20' WHERE rx_number = ?",
        ("RX-OLD-10",),
    )
    conn.commit()
    conn.close()
    store = open_test_store(path)
    check = store.verify_audit()
    assert not check.ok and "column first_filled_on differs" in check.problem
    store.close()
