"""The frozen app (PyInstaller, dist/ldn-desktop) against the same app run from source.

Measured, each as a fresh process, alternating frozen and source runs so a busy machine
slows both; the median of REPEATS (min to max) and the ratio frozen / source:

- `--version`: process start, imports of the command line, exit (the bootloader unpacking
  nothing in one-folder mode, so this is mostly the interpreter's own start-up);
- `--selftest`: Qt offscreen, a fresh database with the demo pharmacy, a calculation, a
  label and a leaflet rendered, the audit chain verified, the main window shown and grabbed;
- the main window: the self-test's own timing of its "main window" check (building,
  showing and painting MainWindow on the demo database), read from its report;
- the bundle's size on disk (and the .deb's, if packaging/linux/build-deb.sh has run).

Needs the build: `make dist` first (without it, this says so and measures nothing).
Usage: .venv/bin/python bench/bench_frozen.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "dist" / "ldn-desktop" / "ldn-desktop"
SOURCE = [sys.executable, "-m", "ldn_desktop"]
WINDOW_CHECK = re.compile(r"ok\s+main window .*\[(\d+) ms\]")


def run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return seconds, done.stdout


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def summary(name: str, frozen: list[float], source: list[float], unit: str = "ms") -> str:
    f, s = statistics.median(frozen), statistics.median(source)
    return (
        f"{name}: frozen {f * 1000:.0f} {unit} ({min(frozen) * 1000:.0f} to "
        f"{max(frozen) * 1000:.0f}), source {s * 1000:.0f} {unit} ({min(source) * 1000:.0f} to "
        f"{max(source) * 1000:.0f}), frozen/source {f / s:.2f}×"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    if not FROZEN.exists():
        print(f"skipped: no frozen app at {FROZEN} (run `make dist` first)")
        return 0
    times: dict[str, dict[str, list[float]]] = {
        what: {"frozen": [], "source": []} for what in ("version", "selftest", "window")
    }
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LDN_DESKTOP_DATA_DIR=tmp)
        env["PYTHONPATH"] = str(ROOT)
        commands = {"frozen": [str(FROZEN)], "source": SOURCE}
        for kind in commands.values():  # warm the file cache for both
            run([*kind, "--selftest"], env)
        for _ in range(args.repeats):
            for kind, command in commands.items():
                times["version"][kind].append(run([*command, "--version"], env)[0])
                seconds, report = run([*command, "--selftest"], env)
                times["selftest"][kind].append(seconds)
                match = WINDOW_CHECK.search(report)
                if match is None:
                    raise SystemExit(f"no main window timing in the report:\n{report}")
                times["window"][kind].append(int(match.group(1)) / 1000)
    print(f"runs: {args.repeats} each, alternating frozen and source; median (min to max)")
    print(summary("--version", times["version"]["frozen"], times["version"]["source"]))
    print(summary("--selftest", times["selftest"]["frozen"], times["selftest"]["source"]))
    print(
        summary(
            "main window (selftest check)", times["window"]["frozen"], times["window"]["source"]
        )
    )
    bundle = folder_size(FROZEN.parent)
    files = sum(1 for _ in FROZEN.parent.rglob("*"))
    print(f"bundle dist/ldn-desktop: {bundle / 1e6:.0f} MB on disk, {files} files")
    for deb in sorted((ROOT / "dist").glob("ldn-desktop_*.deb")):
        print(f"package {deb.name}: {deb.stat().st_size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
