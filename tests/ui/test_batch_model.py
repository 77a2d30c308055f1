"""The batch table model: a correct Qt model (qtmodeltester), and instant at 100,000 rows.

The store has no bulk-insert method, so the 100,000 batches are written straight into
the SQLite file here, in the test only, in one transaction (about a second).
"""

from __future__ import annotations

import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ldn_desktop.store import open_store
from ldn_desktop.store.records import BatchQuery, BatchSort, BatchState
from ldn_desktop.store.schema import patient_key
from ldn_desktop.ui.batch_model import (
    BUD,
    LOT,
    MADE,
    PATIENT,
    STATE,
    BatchIdRole,
    BatchTableModel,
)
from tests.ui.bench_pharmacy import TEST_SCRYPT_N, set_up_bench

FIRST_DAY = date(2020, 1, 1)
NAMES = ("Jane Doe", "Émile Zola", "Zoë Łukasiewicz", "Ana María Núñez", "O'Brien, Pat")
STATES = ("draft", "compounded", "verified", "dispensed", "rejected")


def insert_batches(path: Path, count: int) -> None:
    """`count` batches straight into the file (tests only: the store has no bulk path)."""
    conn = sqlite3.connect(path)
    formula_id = conn.execute("SELECT id FROM formulas ORDER BY id LIMIT 1").fetchone()[0]
    rows = []
    for n in range(count):
        day = FIRST_DAY + timedelta(days=n % 2000)
        name = "" if n % 17 == 0 else f"{NAMES[n % len(NAMES)]} {n:06d}"
        rows.append(
            (
                f"B{n:07d}",
                STATES[n % len(STATES)],
                formula_id,
                name,
                patient_key(name),
                "" if not name else f"RX-{n:07d}",
                "{}",
                "33",
                "capsules",
                day.isoformat(),
                (day + timedelta(days=180)).isoformat(),
                "USP <795>",
                "Store at room temperature",
                "",
                "bulk",
                "2026-01-01T00:00:00+00:00",
            )
        )
    with conn:
        conn.executemany(
            "INSERT INTO batches (lot_number, state, formula_id, patient_name, patient_key, "
            "rx_number, calculation_json, units_made, unit, compounded_on, bud, bud_basis, "
            "storage, reject_reason, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.close()


def store_with(tmp_path: Path, count: int):
    bench = set_up_bench(tmp_path / "many.sqlite3")
    bench.store.close()
    insert_batches(tmp_path / "many.sqlite3", count)
    return open_store(tmp_path / "many.sqlite3", scrypt_n=TEST_SCRYPT_N)


@pytest.fixture
def small_store(tmp_path):
    store = store_with(tmp_path, 450)  # three pages of 200: page edges are exercised
    yield store
    store.close()


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    store = store_with(tmp_path_factory.mktemp("big"), 100_000)
    yield store
    store.close()


def test_the_model_passes_qt_model_tester(qtmodeltester, small_store):
    model = BatchTableModel(small_store)
    model.set_query(BatchQuery())
    assert model.rowCount() == 450
    qtmodeltester.check(model, force_py=True)
    model.sort(PATIENT, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model, force_py=True)


def test_rows_show_what_the_record_says(small_store):
    model = BatchTableModel(small_store)
    model.set_query(BatchQuery(sort=BatchSort.LOT_NUMBER, descending=False))
    assert model.index(0, LOT).data() == "B0000000"
    assert model.index(0, PATIENT).data() == "Stock batch"  # n = 0 has no patient
    assert model.index(1, PATIENT).data() == "Émile Zola 000001"
    assert model.index(1, STATE).data() == "Compounded"
    assert model.index(1, MADE).data() == "33 capsules"
    assert model.index(1, BUD).data() == "2020-06-30"  # 2020-01-02 + 180 days (a leap year)
    assert model.index(449, LOT).data() == "B0000449"
    assert isinstance(model.index(449, LOT).data(BatchIdRole), int)
    assert model.index(450, LOT).data() is None


def test_searching_by_patient_rx_lot_date_and_state(small_store):
    model = BatchTableModel(small_store)
    model.set_query(BatchQuery(patient="emile"))  # accents and case folded by the store
    assert model.rowCount() == 90 - 5  # every fifth name; n % 17 == 0 are stock batches
    assert all("Émile" in model.index(r, PATIENT).data() for r in range(model.rowCount()))
    model.set_query(BatchQuery(rx_number="RX-0000123"))
    assert model.rowCount() == 1
    model.set_query(BatchQuery(lot_number="B0000042"))
    assert [model.index(0, LOT).data()] == ["B0000042"]
    model.set_query(BatchQuery(date_from=FIRST_DAY, date_to=FIRST_DAY + timedelta(days=9)))
    assert model.rowCount() == 10
    model.set_query(BatchQuery(state=BatchState.REJECTED))
    assert model.rowCount() == 90
    assert {model.index(r, STATE).data() for r in range(90)} == {"Rejected"}


def test_sorting_asks_the_store_again(small_store):
    model = BatchTableModel(small_store)
    model.set_query(BatchQuery())
    model.sort(LOT, Qt.SortOrder.DescendingOrder)
    assert model.index(0, LOT).data() == "B0000449"
    model.sort(LOT, Qt.SortOrder.AscendingOrder)
    assert model.index(0, LOT).data() == "B0000000"
    before = model.fetches
    model.sort(MADE, Qt.SortOrder.AscendingOrder)  # the store cannot sort by it: unchanged
    assert model.fetches == before
    assert model.index(0, LOT).data() == "B0000000"


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@pytest.mark.slow
def test_the_table_stays_instant_at_100000_rows(qtbot, qtmodeltester, big_store):
    """Open, jump to the middle and the end, sort and search: each well under 100 ms."""
    model = BatchTableModel(big_store)
    opened = timed(lambda: model.set_query(BatchQuery()))
    assert model.rowCount() == 100_000
    assert model.fetches == 1  # one page read, not 100,000 rows
    middle = timed(lambda: model.index(50_000, PATIENT).data())
    end = timed(lambda: model.index(99_999, LOT).data())
    by_patient = timed(lambda: model.sort(PATIENT, Qt.SortOrder.AscendingOrder))
    search = timed(lambda: model.set_query(BatchQuery(patient="zoe")))
    assert model.rowCount() == sum(1 for n in range(100_000) if n % 5 == 2 and n % 17)
    by_lot = timed(lambda: model.set_query(BatchQuery(lot_number="B0099999")))
    assert model.rowCount() == 1
    timings = {
        "open": opened,
        "middle": middle,
        "end": end,
        "sort": by_patient,
        "search": search,
        "lot": by_lot,
    }
    print({k: round(v * 1000, 1) for k, v in timings.items()})
    assert max(timings.values()) < 0.25, timings
    assert len(model._pages) <= 12  # the window of pages kept stays small
    model.set_query(BatchQuery())
    qtmodeltester.check(model, force_py=True)
