"""The crash test: a writer killed (SIGKILL) at random moments never loses or tears a batch.

After every kill: the file passes integrity_check, every acknowledged write is there, no
batch is half-written (each is exactly as far as its last acknowledged step, or one step
further), signatures match their records, and the audit chain verifies.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from ldn_desktop.store.records import BatchState, SignatureMeaning
from ldn_desktop.store.sqlite_store import SqliteStore
from tests.store.conftest import PASSWORD, FakeClock, set_up_pharmacy

KILLS = 100
REPO = Path(__file__).resolve().parents[2]


def run_and_kill(path: Path, delay: float) -> list[str]:
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("crash_writer.py")), str(path), PASSWORD],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.stdout is not None
    ready = child.stdout.readline()
    if ready != "ready\n":  # pragma: no cover - only when the child cannot start
        child.kill()
        raise AssertionError(f"writer did not start: {ready!r} {child.communicate()[1]}")
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    assert child.returncode == -signal.SIGKILL
    return [line for line in out.split("\n")[:-1]]  # the last piece may be a torn line


def check(path: Path, acknowledged: list[str]) -> int:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    store = SqliteStore(path, scrypt_n=2**10)
    try:
        assert not store.read_only
        verification = store.verify_audit()
        assert verification.ok, verification.problem
        components: dict[int, int] = defaultdict(int)
        weighed: dict[int, int] = defaultdict(int)
        compounded: set[int] = set()
        drafts: dict[int, str] = {}
        for line in acknowledged:
            kind, batch_id, *rest = line.split()
            if kind == "draft":
                drafts[int(batch_id)] = rest[0]
            elif kind == "component":
                components[int(batch_id)] += 1
            elif kind == "weighed":
                weighed[int(batch_id)] += 1
            else:
                compounded.add(int(batch_id))
        for batch_id, lot_number in drafts.items():
            batch = store.batch(batch_id)  # an acknowledged batch is never missing
            assert batch.lot_number == lot_number
            made = len(batch.components)
            assert components[batch_id] <= made <= components[batch_id] + 1
            done = sum(c.actual is not None for c in batch.components)
            assert weighed[batch_id] <= done <= weighed[batch_id] + 1
            if batch_id in compounded:
                assert batch.state is BatchState.COMPOUNDED
        total = 0
        for batch_id in range(
            1, 1 + int(store._conn.execute("SELECT max(id) FROM batches").fetchone()[0] or 0)
        ):
            batch = store.batch(batch_id)
            total += 1
            signature = batch.signature(SignatureMeaning.COMPOUNDED)
            if batch.state is BatchState.COMPOUNDED:  # state and signature: together or not
                assert signature is not None and signature.valid
                assert all(c.actual is not None for c in batch.components)
            else:
                assert signature is None
        return total
    finally:
        store.close()


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_loses_and_tears_nothing(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    set_up_pharmacy(path, FakeClock()).store.close()
    rng = random.Random(20261122)
    acknowledged: list[str] = []
    for _ in range(KILLS):
        acknowledged += run_and_kill(path, rng.uniform(0.0, 0.25))
        check(path, acknowledged)
    compounded = sum(line.startswith("compounded") for line in acknowledged)
    assert compounded >= KILLS // 2  # the kills really landed among committed work
