"""`ldn-desktop db ...` and `recall`, run as an administrator or a script would."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ldn_desktop.cli import main
from ldn_desktop.store.schema import SCHEMA_VERSION
from tests.store.conftest import (
    PASSWORD,
    TEST_SCRYPT_N,
    FakeClock,
    draft_with_components,
    set_up_pharmacy,
)
from tests.store.old_versions import build_v3


@pytest.fixture
def db(tmp_path: Path) -> Path:
    ph = set_up_pharmacy(tmp_path / "pharmacy.sqlite3", FakeClock())
    draft_with_components(ph)
    ph.store.close()
    return ph.path


def test_init_creates_a_new_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sub" / "new.sqlite3"
    assert main(["--db", str(path), "db", "init"]) == 0
    assert f"schema {SCHEMA_VERSION}, new, set it up in the app" in capsys.readouterr().out
    assert path.exists()


def test_init_uses_the_default_location(capsys: pytest.CaptureFixture[str]) -> None:
    from ldn_desktop.paths import default_database_path

    assert main(["db", "init"]) == 0
    assert str(default_database_path()) in capsys.readouterr().out


@pytest.mark.slow
def test_init_demo_fills_a_pharmacy_through_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ldn_desktop.store import open_store
    from ldn_desktop.store.records import BatchQuery, BatchState

    path = tmp_path / "demo.sqlite3"
    assert main(["--db", str(path), "db", "init", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "paula  password: demo-paula-2026" in out
    store = open_store(path)
    try:
        states = {r.state for r in store.search_batches(BatchQuery()).rows}
        assert states == set(BatchState)
        assert store.authenticate("toni", "demo-toni-2026").username == "toni"
        assert store.verify_audit().ok
        assert store.recall_trace("FG-NTX-0925").patients == ("José Álvarez",)
        # The printed demo batches recorded their prescriptions' first fill (day 1).
        printed = [
            store.batch(r.id)
            for r in store.search_batches(BatchQuery()).rows
            if r.state in (BatchState.VERIFIED, BatchState.DISPENSED)
        ]
        filled = [b for b in printed if b.printed_at is not None]
        assert len(filled) == 2
        for batch in filled:
            assert batch.prescription_id is not None
            rx = store.prescription(batch.prescription_id)
            assert rx.first_filled_on == batch.printed_at.astimezone().date()
            assert rx.first_fill_batch_id == batch.id
    finally:
        store.close()
    assert main(["--db", str(path), "db", "verify-audit"]) == 0
    assert "Audit trail verified" in capsys.readouterr().out
    assert main(["--db", str(path), "db", "init", "--demo"]) == 1
    assert "already holds a pharmacy" in capsys.readouterr().err


def test_init_upgrades_a_schema_3_database_whose_audit_then_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.sqlite3"
    build_v3(path, PASSWORD, TEST_SCRYPT_N, filled=True)
    assert main(["--db", str(path), "db", "init"]) == 0
    capsys.readouterr()
    assert main(["--db", str(path), "db", "check"]) == 0
    assert f"integrity ok, schema {SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["--db", str(path), "db", "verify-audit"]) == 0
    assert "Audit trail verified" in capsys.readouterr().out


def test_check_and_verify_audit_pass_on_a_sound_database(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "db", "check"]) == 0
    assert f"integrity ok, schema {SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["--db", str(db), "db", "verify-audit"]) == 0
    assert "Audit trail verified" in capsys.readouterr().out


def test_verify_audit_names_a_row_changed_behind_the_apps_back(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE patients SET name = 'Someone Else' WHERE id = 1")
    conn.commit()
    conn.close()
    assert main(["--db", str(db), "db", "verify-audit"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "ldn-desktop: audit check FAILED: patients row 1 was changed outside the app "
        "(column name differs from its last audited value)"
    )


def test_backup_and_restore_round_trip(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db), "db", "backup"]) == 0
    backup = Path(capsys.readouterr().out.split("Backup made: ")[1].split(" (")[0])
    assert main(["--db", str(db), "recall", "NTX-2401", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert main(["--db", str(db), "db", "restore", str(backup)]) == 0
    assert "was kept as" in capsys.readouterr().out
    assert main(["--db", str(db), "recall", "NTX-2401", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == before


def test_restore_refuses_a_damaged_file_in_one_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a backup" * 100)
    before = db.read_bytes()
    assert main(["--db", str(db), "db", "restore", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ldn-desktop: ") and err.count("\n") == 1
    assert db.read_bytes() == before


def test_recall_lists_batches_and_patients(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db), "recall", "NTX-2401"]) == 0
    out = capsys.readouterr().out
    assert "Lot NTX-2401: Naltrexone hydrochloride from Medisca" in out
    assert "261122-0001  2026-11-22  draft      Jane Doe, born 1980-05-17, RX-1001" in out
    assert out.strip().endswith("Patients to contact: Jane Doe")
    assert main(["--db", str(db), "recall", "NTX-2401", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["patients"] == ["Jane Doe"]
    assert data["batches"][0]["date_of_birth"] == "1980-05-17"


def test_recall_of_an_unknown_lot_or_database_fails_clearly(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "recall", "NOPE"]) == 1
    assert "No ingredient lot NOPE has been received" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "none.sqlite3"), "recall", "X"]) == 1
    assert "There is no database" in capsys.readouterr().err


def test_db_without_an_action_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db"]) == 1
    assert "db init|backup|restore FILE|check|verify-audit" in capsys.readouterr().err


def test_check_reports_a_damaged_file_in_one_line(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'batches'").fetchone()[0]
    conn.close()
    with db.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 64)
    assert main(["--db", str(db), "db", "check"]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and err.count("\n") == 1


def test_recall_of_a_lot_no_batch_used(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ldn_desktop.store.sqlite_store import SqliteStore

    store = SqliteStore(db, scrypt_n=2**10)
    tech = next(u for u in store.list_users() if u.username == "tess")
    store.receive_lot(store.list_ingredients()[0].id, "Fagron", "UNUSED-1", _far(), by=tech)
    store.close()
    assert main(["--db", str(db), "recall", "UNUSED-1"]) == 0
    out = capsys.readouterr().out
    assert "quarantined" in out and "No batch used it." in out


def _far():  # type: ignore[no-untyped-def]
    from datetime import date

    return date(2030, 1, 1)
