"""Backups: checked, with a manifest, kept N, due daily, made on exit; restore round trip."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from decimal import Decimal

import pytest

from ldn_desktop.store import restore_backup
from ldn_desktop.store.errors import DatabaseDamaged, DatabaseUnavailable
from ldn_desktop.store.records import AppSettings
from tests.store.conftest import Pharmacy, draft_with_components, open_test_store


def test_a_backup_is_a_checked_copy_with_a_manifest(pharmacy: Pharmacy) -> None:
    info = pharmacy.store.make_backup()
    assert info.path.exists() and info.path.parent == pharmacy.path.parent / "backups"
    manifest = json.loads(info.path.with_suffix(".json").read_text())
    assert manifest["audit_head"] == info.audit_head == pharmacy.store.audit_entries()[0].hash
    assert manifest["reason"] == "manual"
    assert not list(info.path.parent.glob("*.part"))
    copy = sqlite3.connect(info.path)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()


def test_backup_then_restore_gives_back_exactly_the_saved_records(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    kept = draft_with_components(pharmacy)
    backup = store.make_backup()
    lost = store.add_patient("Added After The Backup", None, by=pharmacy.technician)
    store.close()
    previous = restore_backup(backup.path, pharmacy.path)
    assert previous is not None and previous.exists()
    restored = open_test_store(pharmacy.path, pharmacy.clock)
    pharmacy.store = restored
    assert restored.batch(kept.id) == kept
    assert restored.find_patients("added after") == ()
    assert restored.verify_audit().ok
    assert "before-restore" in {b.reason for b in restored.list_backups()}
    # the replaced database was kept, with the patient added after the backup
    before = open_test_store(previous, pharmacy.clock, read_only=True)
    assert before.patient(lost.id).name == "Added After The Backup"
    before.close()


def test_a_backup_changed_after_it_was_made_is_refused(pharmacy: Pharmacy) -> None:
    backup = pharmacy.store.make_backup()
    conn = sqlite3.connect(backup.path)
    conn.execute("UPDATE batches SET units_made = '999'")  # no batches: only the file changes
    conn.execute("UPDATE pharmacy SET name = 'Forged'")
    conn.commit()
    conn.close()
    pharmacy.store.close()
    before = pharmacy.path.read_bytes()
    with pytest.raises(DatabaseDamaged, match="does not match its manifest"):
        restore_backup(backup.path, pharmacy.path)
    assert pharmacy.path.read_bytes() == before
    pharmacy.store = open_test_store(pharmacy.path, pharmacy.clock)


def test_a_backup_whose_audit_fails_is_refused_even_without_a_manifest(
    pharmacy: Pharmacy,
) -> None:
    backup = pharmacy.store.make_backup()
    backup.path.with_suffix(".json").unlink()
    conn = sqlite3.connect(backup.path)
    conn.execute("UPDATE pharmacy SET name = 'Forged'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseDamaged, match=r"fails the audit check .*pharmacy row 1"):
        restore_backup(backup.path, pharmacy.path)


def test_restoring_a_missing_file_is_explained(pharmacy: Pharmacy) -> None:
    with pytest.raises(DatabaseUnavailable, match="no backup file"):
        restore_backup(pharmacy.path.parent / "nope.sqlite3", pharmacy.path)


def test_only_the_newest_n_rotated_backups_are_kept(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    store.set_app_settings(AppSettings(backup_keep=3), by=pharmacy.admin)
    made = []
    for _ in range(5):
        pharmacy.clock.advance(hours=1)
        made.append(store.make_backup(reason="daily"))
    assert [b.path for b in store.list_backups()] == [b.path for b in reversed(made[2:])]
    assert not made[0].path.exists() and not made[0].path.with_suffix(".json").exists()


def test_a_backup_is_due_daily_and_on_exit_only_after_changes(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    assert store.backup_due() and store.last_backup_time() is None
    store.make_backup(reason="daily")
    assert not store.backup_due()
    assert store.backup_due(now=pharmacy.clock.now + timedelta(hours=24))
    pharmacy.clock.advance(minutes=1)
    assert store.backup_on_exit() is None  # nothing changed since
    store.add_patient("New Patient", None, by=pharmacy.technician)
    pharmacy.clock.advance(minutes=1)
    made = store.backup_on_exit()
    assert made is not None and made.reason == "exit"
    assert store.last_backup_time() == made.made_at


def test_the_backup_folder_can_be_chosen(pharmacy: Pharmacy) -> None:
    folder = pharmacy.path.parent / "usb-stick"
    store = pharmacy.store
    store.set_app_settings(AppSettings(backup_folder=str(folder)), by=pharmacy.admin)
    assert store.make_backup().path.parent == folder
    assert store.backup_folder() == folder


def test_a_batch_in_progress_survives_the_round_trip_and_can_be_continued(
    pharmacy: Pharmacy,
) -> None:
    store = pharmacy.store
    batch = draft_with_components(pharmacy, weighed=False)
    backup = store.make_backup()
    store.close()
    restore_backup(backup.path, pharmacy.path)
    store = pharmacy.store = open_test_store(pharmacy.path, pharmacy.clock)
    batch = store.record_actual(
        batch.id, batch.components[0].id, Decimal("151.4"), by=pharmacy.technician
    )
    assert batch.components[0].actual == Decimal("151.4")
