"""The child process of the crash test: writes batches until it is killed.

After each call to the store returns (so its transaction has committed), it prints one
acknowledgement line; the parent holds the store to every line it saw.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from ldn_desktop.store.sqlite_store import SqliteStore


def main(path: Path, password: str) -> None:
    # A fixed day, so the test's lots are in date whenever the test runs.
    store = SqliteStore(path, scrypt_n=2**10, clock=lambda: datetime(2026, 11, 22, 10, tzinfo=UTC))
    users = {u.username: u for u in store.list_users()}
    tech = users["tess"]
    formula = next(f for f in store.list_formulas() if f.code == "ldn-capsules-mcc")
    print("ready", flush=True)
    while True:
        batch = store.create_draft_batch(
            formula.id, None, {"steps": ["crash test"]}, Decimal(33), "capsules", by=tech
        )
        print(f"draft {batch.id} {batch.lot_number}", flush=True)
        for n, (lot, amount) in enumerate((("NTX-2401", "151.5"), ("MCC-77", "6448.5")), 1):
            batch = store.add_component(batch.id, lot, Decimal(amount), "mg", by=tech)
            print(f"component {batch.id} {n}", flush=True)
        for component in batch.components:
            batch = store.record_actual(batch.id, component.id, component.planned, by=tech)
            print(f"weighed {batch.id} {component.id}", flush=True)
        batch = store.mark_compounded(batch.id, by=tech, password=password)
        print(f"compounded {batch.id}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
