"""Where the database may live and what the environment can do to it."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from ldn_desktop.store.connection import network_filesystem, refuse_network_share
from ldn_desktop.store.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseUnavailable,
    DiskFull,
    NetworkShareRefused,
    ReadOnlyDatabase,
    environment_fault,
)
from tests.store.conftest import Pharmacy, open_test_store

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
fileserver:/export/pharmacy /mnt/pharmacy nfs4 rw,relatime 0 0
//nas/share /media/nas\\040drive cifs rw 0 0
/dev/sdb1 /mnt/pharmacy/local ext4 rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/pharmacist/ldn.sqlite3", None),
        ("/mnt/pharmacy/ldn.sqlite3", "nfs4"),
        ("/mnt/pharmacy", "nfs4"),
        ("/mnt/pharmacy/local/ldn.sqlite3", None),  # a local disk mounted inside the share
        ("/mnt/pharmacyx/ldn.sqlite3", None),
        ("/media/nas drive/ldn.sqlite3", "cifs"),
        ("\\\\server\\share\\ldn.sqlite3", "windows-share"),
        ("//server/share/ldn.sqlite3", "windows-share"),
    ],
)
def test_network_file_systems_are_recognised(path: str, kind: str | None) -> None:
    assert network_filesystem(Path(path), MOUNTS) == kind


def test_a_database_on_a_network_share_is_refused_with_the_reason() -> None:
    with pytest.raises(NetworkShareRefused, match=r"network drive \(nfs4\).*local disk"):
        refuse_network_share(Path("/mnt/pharmacy/ldn.sqlite3"), MOUNTS)


def test_this_machines_temporary_folder_is_local(tmp_path: Path) -> None:
    assert network_filesystem(tmp_path) is None


def test_every_connection_has_wal_full_sync_and_foreign_keys(pharmacy: Pharmacy) -> None:
    conn = pharmacy.store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_damaged_database_opens_read_only_and_says_so(pharmacy: Pharmacy) -> None:
    pharmacy.store.close()
    conn = sqlite3.connect(pharmacy.path)
    conn.execute("PRAGMA journal_mode = DELETE")  # fold the WAL in, so the file holds it all
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit'").fetchone()[0]
    conn.close()
    with pharmacy.path.open("r+b") as handle:  # scribble over the audit table's first page
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 64)
    store = open_test_store(pharmacy.path)
    assert store.read_only
    assert "damaged" in store.read_only_reason and "restore" in store.read_only_reason
    with pytest.raises(ReadOnlyDatabase, match="damaged"):
        store.add_patient("Anyone", None, by=pharmacy.technician)
    store.close()
    pharmacy.store = open_test_store(pharmacy.path, read_only=True)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "letter.sqlite3"
    path.write_bytes(b"Dear pharmacist, this is not a database. " * 200)
    with pytest.raises(DatabaseDamaged, match="not an LDN Desktop database"):
        open_test_store(path)


def test_a_missing_folder_for_a_read_only_open_is_explained(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="There is no database"):
        open_test_store(tmp_path / "nothing.sqlite3", read_only=True)


def test_a_locked_database_is_the_environments_fault(pharmacy: Pharmacy) -> None:
    store = pharmacy.reopen(busy_timeout_ms=50)
    other = sqlite3.connect(pharmacy.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(DatabaseLocked, match=r"busy.*nothing was saved"):
            store.add_patient("Waiting Patient", None, by=pharmacy.technician)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.find_patients("waiting") == ()
    assert store.add_patient("Waiting Patient", None, by=pharmacy.technician).name


@pytest.mark.parametrize(
    ("error", "fault", "words"),
    [
        (sqlite3.OperationalError("database or disk is full"), DiskFull, "disk .* is full"),
        (sqlite3.OperationalError("database is locked"), DatabaseLocked, "busy"),
        (sqlite3.DatabaseError("database disk image is malformed"), DatabaseDamaged, "damaged"),
        (
            sqlite3.OperationalError("attempt to write a readonly database"),
            ReadOnlyDatabase,
            "read-only",
        ),
        (sqlite3.OperationalError("disk I/O error"), DatabaseUnavailable, "disk error"),
    ],
)
def test_sqlite_errors_map_to_friendly_faults(
    error: sqlite3.Error, fault: type[Exception], words: str
) -> None:
    mapped = environment_fault(error)
    assert isinstance(mapped, fault)
    assert mapped is not None and re.search(words, mapped.message)


def test_an_unrelated_sqlite_error_is_not_dressed_up() -> None:
    assert environment_fault(sqlite3.OperationalError("no such column: x")) is None


def test_a_full_disk_during_a_write_is_reported_and_nothing_is_saved(
    pharmacy: Pharmacy,
) -> None:
    store = pharmacy.store
    patient = store.add_patient("Full Disk", None, by=pharmacy.technician)
    conn = store._conn
    # The only practical way to fill a disk in a test: make SQLite's page limit the disk.
    page_count = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {page_count}")
    with pytest.raises(DiskFull, match="nothing was saved"):
        store.add_prescription(
            patient.id,
            "RX-9",
            "Dr X",
            "1 mg",
            "at bedtime",
            titration="1 mg for 14 days, then 1.5 mg; " + "T" * 19_000,
            by=pharmacy.technician,
        )
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.prescriptions_for(patient.id) == ()
    assert store.verify_audit().ok
