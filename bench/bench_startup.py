"""Start-up: time from process start to an interactive main window, against bare PySide6.

Each run is a fresh Python process started by this script; the clock runs from just before
the process is spawned until the child reports that its window has painted for the first
time and the event loop has gone idle once after that paint (a zero-timer started from
the window's first `paintEvent`), so interpreter start-up, imports, building the window
and the first paint are all counted. (A zero-timer started right after `show()` fires
before the first paint on the offscreen platform, for the bare window too.) For the app,
a second time is taken when the database has been opened and checked behind the window.

- bare: `import PySide6.QtWidgets`, a QApplication and an empty QMainWindow shown;
- app: `ldn-desktop --db PATH` exactly as a pharmacist starts it (the command line, the
  store opened with its quick_check, the sign-in screen of an existing pharmacy).

Runs alternate bare/app so a busy machine slows both; the median of REPEATS is reported.
Usage: .venv/bin/python bench/bench_startup.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.5  # issue 5: at most 1.5 × a bare PySide6 window

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
class Window(QMainWindow):
    painted = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, ready)
def ready():
    print("ready", flush=True)
    app.quit()
window = Window()
window.resize(1180, 760)
window.show()
app.exec()
"""

# The real entry point; MainWindow's show and paintEvent are wrapped (as the bare window's
# paintEvent is) to report when the window has painted and is interactive ("shown"), and
# when the database is open behind it ("ready", never before "shown").
APP = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow
from ldn_desktop.ui import main_window
state = {"painted": False, "opened": False}
def report():
    if state["painted"] and state["opened"]:
        print("ready", flush=True)
        window.close()
def paint_and_report(self, event):
    QMainWindow.paintEvent(self, event)
    if not state["painted"]:
        def painted():
            state["painted"] = True
            print("shown", flush=True)
            report()
        QTimer.singleShot(0, painted)
main_window.MainWindow.paintEvent = paint_and_report
shown = main_window.MainWindow.show
def show_and_report(self):
    global window
    window = self
    def opened(_store):
        def ready():
            state["opened"] = True
            report()
        QTimer.singleShot(0, ready)
    self.context.store_opened.connect(opened)
    shown(self)
main_window.MainWindow.show = show_and_report
from ldn_desktop.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""


def make_database(folder: Path) -> Path:
    """A pharmacy that has been set up, so the app opens at its sign-in screen."""
    from ldn_desktop.store import open_store
    from ldn_desktop.store.records import PharmacyDetails

    path = folder / "ldn-desktop.sqlite3"
    store = open_store(path, scrypt_n=2**10)
    store.create_pharmacy(PharmacyDetails("Bench Pharmacy"), "admin", "Bench Admin", "bench pass 1")
    store.close()
    return path


def time_child(code: str, *args: str, env: dict[str, str]) -> list[float]:
    """Seconds from spawning the child to each line it prints ("shown", then "ready")."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    marks: list[float] = []
    for line in child.stdout:
        marks.append(time.perf_counter() - start)
        if line.strip() == "ready":
            break
    _out, err = child.communicate(timeout=60)
    if not marks or child.returncode != 0:
        raise SystemExit(f"the child did not start (exit {child.returncode}):\n{err}")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = make_database(folder)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LDN_DESKTOP_DATA_DIR=str(folder))
        env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
        time_child(BARE, env=env)  # warm the file cache for both
        time_child(APP, str(database), env=env)
        bare: list[float] = []
        shown: list[float] = []
        ready: list[float] = []
        for _ in range(args.repeats):
            bare.append(time_child(BARE, env=env)[0])
            marks = time_child(APP, str(database), env=env)
            shown.append(marks[0])
            ready.append(marks[-1])
    base = statistics.median(bare)
    print(f"runs: {args.repeats} each, alternating; median (min to max), ratio to bare")
    for name, runs in (
        ("bare PySide6 QMainWindow painted", bare),
        ("LDN Desktop sign-in window painted", shown),
        ("LDN Desktop database open behind it", ready),
    ):
        median = statistics.median(runs)
        print(
            f"{name}: {median * 1000:.0f} ms ({min(runs) * 1000:.0f} to "
            f"{max(runs) * 1000:.0f}), {median / base:.2f}×"
        )
    ratio = statistics.median(shown) / base
    print(f"goal: sign-in window ≤ {GOAL}× bare: {'met' if ratio <= GOAL else 'NOT met'}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
