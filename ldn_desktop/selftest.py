"""`ldn-desktop --selftest`: is this installation whole? Run headless, print a short report.

A pharmacy's IT person (and `make dist`) runs it on the installed app. Each check goes
through the same code the pharmacist uses, on a fresh temporary database that is thrown
away: the bundled resources are found, a capsule batch is calculated (DOMAIN.md's worked
example, so a wrong number fails), a demo pharmacy is recorded, a label and a leaflet are
rendered, the audit chain verifies, and the main window opens offscreen. Exit 0 when every
check passed; otherwise 1, with each failed check named on stderr.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ldn_desktop import __version__

#: The files the app cannot work without, relative to resources/.
REQUIRED_RESOURCES = (
    ("fonts", "DejaVuSans.ttf"),
    ("fonts", "DejaVuSans-Bold.ttf"),
    ("leaflet", "en.txt"),
    ("leaflet", "how-to-take-capsule.txt"),
    ("idcard", "emergency.txt"),
    ("schema", "document-data.schema.json"),
    ("label_stocks", "roll-3x2.json"),
    ("icons", "ldn-desktop-256.png"),
)

#: Cheaper password hashing for the throw-away database (the real cost is ~0.34 s a hash).
SELFTEST_SCRYPT_N = 2**12


@dataclass
class Check:
    name: str
    ok: bool = False
    detail: str = ""
    seconds: float = 0.0


@dataclass
class _Session:
    """What one check hands to the next (the store, a printable batch)."""

    folder: Path
    store: Any = None
    label: Any = None


def _resources(session: _Session) -> str:
    from ldn_desktop.paths import resource_path, resources_dir

    for parts in REQUIRED_RESOURCES:
        resource_path(*parts)  # raises FileNotFoundError naming the missing file
    return f"found in {resources_dir()}"


def _calculation(session: _Session) -> str:
    from ldn_desktop.core.capsules import CapsuleOrder, Overage, plan_capsules
    from ldn_desktop.core.dose_text import mass_text

    # DOMAIN.md, "Capsules", worked example: 4.5 mg x 30, size 1, 10 % overage, assay 99.5 %,
    # water 1.5 % -> make 33, drug 148.5 mg, weigh 151.5 mg.
    plan = plan_capsules(
        CapsuleOrder(
            dose_mg=Decimal("4.5"),
            quantity=30,
            size="1",
            overage=Overage(Decimal(10), True),
            assay_percent=Decimal("99.5"),
            water_percent=Decimal("1.5"),
        )
    )
    expected = (33, "148.5 mg", "151.5 mg")
    got = (plan.units_to_make, mass_text(plan.drug_mg_total), mass_text(plan.drug_mg_to_weigh))
    if got != expected:
        raise AssertionError(f"4.5 mg x 30 capsules gave {got}, expected {expected}")
    return f"4.5 mg x 30 capsules: make {got[0]}, drug {got[1]}, weigh {got[2]}"


def _database(session: _Session) -> str:
    from ldn_desktop.store import open_store
    from ldn_desktop.store.demo import fill_demo

    session.store = open_store(session.folder / "selftest.sqlite3", scrypt_n=SELFTEST_SCRYPT_N)
    counts = fill_demo(session.store)
    return ", ".join(f"{count} {what}" for what, count in sorted(counts.items()))


def _printable_label(store: Any) -> Any:
    """The label data of the first batch that can carry a patient label."""
    from ldn_desktop.store.records import BatchQuery
    from ldn_desktop.ui.dispensing import NotPrintable, label_data, read_sources

    for batch in store.search_batches(BatchQuery()).rows:
        try:
            return label_data(read_sources(store, batch.id))
        except NotPrintable:
            continue
    raise AssertionError("no batch in the demo database can be labelled")


def _pdf_bytes(render: Callable[[io.BytesIO], object], what: str) -> int:
    out = io.BytesIO()
    render(out)
    data = out.getvalue()
    if not (data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]):
        raise AssertionError(f"the {what} is not a complete PDF ({len(data)} bytes)")
    return len(data)


def _label(session: _Session) -> str:
    from ldn_desktop.documents.label import render_labels
    from ldn_desktop.documents.stocks import load_stock

    session.label = _printable_label(session.store)
    stock = load_stock("roll-3x2")
    size = _pdf_bytes(lambda out: render_labels([session.label], stock, out), "label")
    return f"Rx {session.label.rx_number} on {stock.name}: {size:,} bytes"


def _leaflet(session: _Session) -> str:
    from ldn_desktop.documents.data import LeafletData
    from ldn_desktop.documents.leaflet import render_leaflet

    if session.label is None:
        raise AssertionError("no label data (the label check failed)")
    data = LeafletData(session.label)
    size = _pdf_bytes(lambda out: render_leaflet(data, out), "leaflet")
    return f"{size:,} bytes"


def _audit(session: _Session) -> str:
    result = session.store.verify_audit()
    if not result.ok or result.entries_checked == 0:
        raise AssertionError(result.problem or "the audit chain has no entries")
    return f"{result.entries_checked} entries, {result.rows_checked} rows"


def _window(session: _Session) -> str:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from ldn_desktop.ui.app import make_application
    from ldn_desktop.ui.context import AppContext, load_settings
    from ldn_desktop.ui.main_window import MainWindow

    app = make_application()
    context = AppContext(None)
    window = MainWindow(context)
    previous = qInstallMessageHandler(_quiet_offscreen)
    try:
        context.set_store(session.store, load_settings(session.store))
        window.show()
        QApplication.processEvents()
        shot = window.grab()
        if shot.isNull() or shot.width() < 200:
            raise AssertionError("the main window did not paint")
        if app.windowIcon().isNull():
            raise AssertionError("the app icon was not found")
        return f"{window.windowTitle()!r}, {shot.width()}x{shot.height()}"
    finally:
        window.close()
        window.deleteLater()
        QApplication.processEvents()
        qInstallMessageHandler(previous)


def _quiet_offscreen(mode: Any, context: Any, message: str) -> None:
    """Drop the offscreen platform's one harmless notice; pass anything else to stderr."""
    if "does not support propagateSizeHints" not in message:
        print(f"Qt: {message}", file=sys.stderr)


CHECKS: tuple[tuple[str, Callable[[_Session], str]], ...] = (
    ("resources", _resources),
    ("calculation", _calculation),
    ("database", _database),
    ("label", _label),
    ("leaflet", _leaflet),
    ("audit chain", _audit),
    ("main window", _window),
)

#: Checks that cannot run without the database check's store.
NEEDS_STORE = {"label", "leaflet", "audit chain", "main window"}


def run_checks() -> list[Check]:
    """Run every check in order, on a temporary database; never raises."""
    results: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="ldn-selftest-") as folder:
        # The app's data folder (log file, settings) points into the throw-away folder too.
        saved = os.environ.get("LDN_DESKTOP_DATA_DIR")
        os.environ["LDN_DESKTOP_DATA_DIR"] = folder
        session = _Session(Path(folder))
        try:
            for name, check in CHECKS:
                result = Check(name)
                started = time.perf_counter()
                if name in NEEDS_STORE and session.store is None:
                    result.detail = "skipped: no database (the database check failed)"
                else:
                    try:
                        result.detail = check(session)
                        result.ok = True
                    except Exception as exc:  # a self-test reports every failure, never crashes
                        result.detail = _describe(exc)
                result.seconds = time.perf_counter() - started
                results.append(result)
        finally:
            if session.store is not None:
                session.store.close()
            if saved is None:
                os.environ.pop("LDN_DESKTOP_DATA_DIR", None)
            else:
                os.environ["LDN_DESKTOP_DATA_DIR"] = saved
    return results


def _describe(exc: Exception) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})"


def run_selftest() -> int:
    """Run the checks headless (Qt offscreen) and print the report; 0 if all passed."""
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a self-test never needs a screen
    started = time.perf_counter()
    results = run_checks()
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    print(f"LDN Desktop {__version__} self-test ({frozen}, Python {sys.version.split()[0]})")
    for result in results:
        mark = "ok    " if result.ok else "FAILED"
        print(f"  {mark} {result.name:<12} {result.detail}  [{result.seconds * 1000:.0f} ms]")
    failed = [r.name for r in results if not r.ok]
    total = time.perf_counter() - started
    if failed:
        print(f"self-test FAILED: {', '.join(failed)} ({total:.1f} s)", file=sys.stderr)
        return 1
    print(f"self-test passed: {len(results)} checks in {total:.1f} s")
    return 0
