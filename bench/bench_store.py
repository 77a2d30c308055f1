"""Database (store): the batch table's searches at 100,000 batches, against bare SQLite.

A pharmacy that makes 50 batches a working day reaches 100,000 in about eight years. The
batches (with two components each, 5,000 patients, 600 ingredient lots) are inserted straight
into a store's file in one transaction (the audit trail plays no part in searching). Then
each search the window offers runs through `Store.search_batches` (the page of 100 rows as
dataclasses plus the total count) and, as the baseline in the same run, as the bare indexed
sqlite3 query for the same page (tuples, no count). Median and worst of 30 runs each.

    .venv/bin/python bench/bench_store.py [--write-docs]
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from ldn_desktop.store import open_store
from ldn_desktop.store.records import BatchQuery, PharmacyDetails
from ldn_desktop.store.schema import patient_key

N_BATCHES = 100_000
N_PATIENTS = 5_000
N_LOTS = 600
RUNS = 30
LIMIT_MS = 50
FIRST = [
    "Anna",
    "Ben",
    "Chen",
    "Dana",
    "Émile",
    "Fatima",
    "George",
    "Hana",
    "Ivan",
    "José",
    "Kira",
    "Liam",
    "Maria",
    "Noah",
    "Olga",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Zoë",
]
LAST = [
    "Smith",
    "Nguyen",
    "O'Connor",
    "Álvarez",
    "Kowalski",
    "Müller",
    "Okafor",
    "Park",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ueda",
    "Virtanen",
    "Wang",
    "Yilmaz",
    "Zola",
    "Brown",
    "Garcia",
    "Singh",
    "Lindqvist",
    "Dubois",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kim",
]


def populate(path: Path) -> None:
    rng = random.Random(1)
    store = open_store(path)
    store.create_pharmacy(PharmacyDetails("Bench Pharmacy"), "admin", "Admin", "bench-password")
    formula_id = store.list_formulas()[0].id
    ingredient_ids = [i.id for i in store.list_ingredients()][:2]
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    lot_ids = []
    for n in range(N_LOTS):
        cursor = conn.execute(
            "INSERT INTO lots (ingredient_id, supplier, lot_number, expiry, assay_percent, "
            "water_percent, status, status_reason, received_on) "
            "VALUES (?, 'Medisca', ?, '2040-01-01', '99.5', '1.5', 'released', '', '2018-01-01')",
            (ingredient_ids[n % 2], f"LOT-{n:05d}"),
        )
        lot_ids.append(cursor.lastrowid)
    patients = []
    for n in range(N_PATIENTS):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        cursor = conn.execute(
            "INSERT INTO patients (name, date_of_birth, address, phone) VALUES (?, ?, '', '')",
            (name, f"19{50 + n % 50}-01-01"),
        )
        rx = conn.execute(
            "INSERT INTO prescriptions (patient_id, rx_number, prescriber, dose, titration, "
            "directions, quantity, days_supply, written_on) "
            "VALUES (?, ?, 'Dr Bench', '4.5 mg', '', 'at bedtime', '30', 30, NULL)",
            (cursor.lastrowid, f"RX-{n:06d}"),
        )
        patients.append((rx.lastrowid, name, f"RX-{n:06d}"))
    first_day = date(2018, 1, 1)
    batch_rows = []
    for n in range(N_BATCHES):
        rx_id, name, rx_number = rng.choice(patients)
        day = first_day + timedelta(days=n * 3000 // N_BATCHES)
        batch_rows.append(
            (
                n + 1,
                f"{day:%y%m%d}-{n % 1000 + 1:04d}",
                "dispensed",
                formula_id,
                rx_id,
                name,
                patient_key(name),
                rx_number,
                "{}",
                "33",
                "capsules",
                day.isoformat(),
                (day + timedelta(days=180)).isoformat(),
                "USP <795>",
                "room temperature",
                "",
                None,
                "bench",
                day.isoformat(),
            )
        )
    conn.executemany(
        "INSERT INTO batches (id, lot_number, state, formula_id, prescription_id, patient_name, "
        "patient_key, rx_number, calculation_json, units_made, unit, compounded_on, bud, "
        "bud_basis, storage, reject_reason, printed_at, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        batch_rows,
    )
    conn.executemany(
        "INSERT INTO batch_components (batch_id, lot_id, planned, unit, actual, removed) "
        "VALUES (?, ?, '151.5', 'mg', '151.5', 0)",
        [
            (n + 1, lot_ids[(n // 20) % N_LOTS // 2 * 2 + k])
            for n in range(N_BATCHES)
            for k in (0, 1)
        ],
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Median and worst of RUNS calls, in ms."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> list[tuple[str, float, float, float, float, int]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-store-"))
    path = folder / "bench.sqlite3"
    start = time.perf_counter()
    populate(path)
    print(f"populated {N_BATCHES:,} batches in {time.perf_counter() - start:.1f} s")
    store = open_store(path)
    bare = sqlite3.connect(path)
    top = "\U0010ffff"
    cases: list[tuple[str, BatchQuery, str, tuple[object, ...]]] = [
        (
            "patient name starts with 'maria sm'",
            BatchQuery(patient="Maria Sm"),
            "SELECT id, lot_number FROM batches WHERE patient_key >= ? AND patient_key < ? "
            "ORDER BY compounded_on DESC LIMIT 100",
            ("maria sm", "maria sm" + top),
        ),
        (
            "patient name starts with 'maria'",
            BatchQuery(patient="maria"),
            "SELECT id, lot_number FROM batches WHERE patient_key >= ? AND patient_key < ? "
            "ORDER BY compounded_on DESC LIMIT 100",
            ("maria", "maria" + top),
        ),
        (
            "ingredient lot LOT-00200",
            BatchQuery(lot_number="LOT-00200"),
            "SELECT b.id, b.lot_number FROM batches b WHERE b.id IN (SELECT c.batch_id FROM "
            "lots l JOIN batch_components c ON c.lot_id = l.id WHERE l.lot_number = ?) "
            "ORDER BY b.compounded_on DESC LIMIT 100",
            ("LOT-00200",),
        ),
        (
            "one month (June 2022)",
            BatchQuery(date_from=date(2022, 6, 1), date_to=date(2022, 6, 30)),
            "SELECT id, lot_number FROM batches WHERE compounded_on BETWEEN ? AND ? "
            "ORDER BY compounded_on DESC LIMIT 100",
            ("2022-06-01", "2022-06-30"),
        ),
        (
            "the table opening (no filter, newest first)",
            BatchQuery(),
            "SELECT id, lot_number FROM batches ORDER BY compounded_on DESC LIMIT 100",
            (),
        ),
        (
            "the last page (offset 99,900)",
            BatchQuery(offset=99_900),
            "SELECT id, lot_number FROM batches ORDER BY compounded_on DESC LIMIT 100 OFFSET 99900",
            (),
        ),
    ]
    results = []
    for name, query, sql, params in cases:
        total = store.search_batches(query).total
        bare_ms, _ = timed(lambda sql=sql, params=params: bare.execute(sql, params).fetchall())
        store_ms, worst = timed(lambda query=query: store.search_batches(query))
        results.append((name, bare_ms, store_ms, worst, store_ms / bare_ms, total))
        print(
            f"{name:<45} bare {bare_ms:7.2f} ms  store {store_ms:7.2f} ms (worst {worst:6.2f})"
            f"  ×{store_ms / bare_ms:5.1f}  {total:,} matches"
        )
    store.close()
    bare.close()
    assert all(r[3] < LIMIT_MS for r in results), f"a search took {LIMIT_MS} ms or more"
    return results


def write_docs(results: list[tuple[str, float, float, float, float, int]]) -> None:
    docs = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
    text = docs.read_text(encoding="utf-8")
    head, rest = text.split("## Database (store)\n", 1)
    following = rest[rest.index("\n## ") :] if "\n## " in rest else ""
    rows = "\n".join(
        f"| {name} | {total:,} | {bare:.2f} ms | {store:.2f} ms | {worst:.2f} ms | {ratio:.1f}× |"
        for name, bare, store, worst, ratio, total in results
    )
    section = f"""
`bench/bench_store.py`: 100,000 batches (two components each, 5,000 patients, 600 ingredient
lots) in a store's file; each search the batch table offers, through `Store.search_batches`
(a page of 100 rows as dataclasses plus the total count), against the bare indexed sqlite3
query for the same page (tuples, no count) in the same run. Median of {RUNS} runs; the target
is under {LIMIT_MS} ms a search, worst run included (the script fails otherwise). Measured
{date.today():%d %b %Y} on the shared 2-core machine with other engineers' jobs running.

| search | matches | bare sqlite3 | store | store, worst | ratio |
| --- | --- | --- | --- | --- | --- |
{rows}

The store's extra time is the total count (the window shows "1–100 of 1,734") and building
the row dataclasses; both stay far under the 50 ms budget because every search and sort is
served by an index (schema version 2 added them, with a case- and accent-folded patient key).
Paging is offset/limit with a deferred join: the page's ids come from the index alone, then
only those 100 rows are read, so the last of 1,000 pages costs no more than the first (it
took 14 ms when the skipped rows were read and joined too); keyset paging was not needed.
The bare baseline reads each row for its lot number, which is why the store beats it on the
broad patient search and the last page.
"""
    docs.write_text(head + "## Database (store)\n" + section + following, encoding="utf-8")


if __name__ == "__main__":
    measured = main()
    if "--write-docs" in sys.argv:
        write_docs(measured)
