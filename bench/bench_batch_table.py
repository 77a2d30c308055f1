"""Batch table (window): the Batches page's model at 100,000 batches, against the store alone.

The same database as bench_store.py (100,000 batches, 5,000 patients). Each thing the table
does when a pharmacist opens it, jumps to the end, sorts or searches is timed through
`BatchTableModel` (the store's page plus the model's cache and the text of the 30 visible
rows, every column), against the bare baseline in the same run: `Store.search_batches` for
the same page, no model, no text. Median and worst of 30 runs. For contrast, once: the
time a "filled widget" (ruled out by the issue) would spend just reading every row.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_batch_table.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import RUNS, populate, timed
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ldn_desktop.store import open_store
from ldn_desktop.store.records import BatchQuery, BatchSort
from ldn_desktop.ui.batch_model import COLUMNS, PAGE_SIZE, BatchTableModel

VISIBLE = 30


def show_rows(model: BatchTableModel, first: int) -> None:
    """What the view asks for when VISIBLE rows from `first` are on screen."""
    for row in range(first, min(first + VISIBLE, model.rowCount())):
        for column in range(len(COLUMNS)):
            model.index(row, column).data(Qt.ItemDataRole.DisplayRole)


def main() -> int:
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        populate(path)
        store = open_store(path)
        page = BatchQuery(limit=PAGE_SIZE)
        model = BatchTableModel(store)
        model.set_query(BatchQuery())
        total = model.rowCount()

        def fresh_end() -> None:
            model._pages.clear()
            show_rows(model, total - VISIBLE)

        def sort_patient() -> None:
            model.sort(3, Qt.SortOrder.AscendingOrder)
            show_rows(model, 0)
            model.sort(2, Qt.SortOrder.DescendingOrder)

        cases = [
            (
                "open the table (newest first)",
                lambda: (model.set_query(BatchQuery()), show_rows(model, 0)),
                lambda: store.search_batches(page),
            ),
            (
                "jump to the last row",
                fresh_end,
                lambda: store.search_batches(replace(page, offset=total - PAGE_SIZE)),
            ),
            (
                "search patient 'maria'",
                lambda: (model.set_query(BatchQuery(patient="maria")), show_rows(model, 0)),
                lambda: store.search_batches(replace(page, patient="maria")),
            ),
            (
                "sort by patient (and back)",
                sort_patient,
                lambda: (
                    store.search_batches(replace(page, sort=BatchSort.PATIENT, descending=False)),
                    store.search_batches(page),
                ),
            ),
        ]
        print(f"{total:,} batches; median (worst) of {RUNS} runs")
        print("| what | store alone | batch table model | model, worst | ratio |")
        print("| --- | --- | --- | --- | --- |")
        for name, through_model, bare in cases:
            bare_median, _ = timed(bare)
            model_median, model_worst = timed(through_model)
            print(
                f"| {name} | {bare_median:.2f} ms | {model_median:.2f} ms | "
                f"{model_worst:.2f} ms | {model_median / bare_median:.1f}× |"
            )

        # A filled widget must at least read every row before showing the first one.
        start = time.perf_counter()
        offset, read = 0, 0
        while rows := store.search_batches(BatchQuery(offset=offset, limit=1000)).rows:
            read += len(rows)
            offset += 1000
        print(
            f"filled widget, reading every row alone (before any widget item is made): "
            f"{(time.perf_counter() - start):.1f} s for {read:,} rows"
        )
        store.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
