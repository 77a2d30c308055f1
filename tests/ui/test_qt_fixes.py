"""The guard against PySide6 6.12.0's lost references on Python 3.11 (ui/qt_fixes.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import PySide6
import pytest

from ldn_desktop.ui.qt_fixes import IMMORTAL_REFCOUNT, make_immortal, needs_guard

# A child process types 1,500 times into the capsule calculator (as a pharmacist would
# over a morning); it prints "survived" only if the interpreter did not abort.
TYPING = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    if sys.argv[1] == "guarded":
        from ldn_desktop.ui.qt_fixes import make_immortal
        make_immortal()
    from ldn_desktop.ui.context import AppContext
    from ldn_desktop.ui.calculate_page import CalculatePage
    page = CalculatePage(AppContext(None))
    for i in range(1500):
        page.capsules.dose.number.setText(str(i % 5 + 1))
    print("survived", page.capsules.result.figure("Capsules to make"))
    """
)


def run_typing(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", TYPING, mode], capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(not needs_guard(), reason="Python 3.12+ has immortal singletons")
def test_make_immortal_raises_the_singletons_counts():
    assert make_immortal() is True
    for obj in (None, True, False):
        assert sys.getrefcount(obj) > IMMORTAL_REFCOUNT
    make_immortal()  # a second call does not overflow anything
    assert sys.getrefcount(None) < 3 * IMMORTAL_REFCOUNT


@pytest.mark.slow
def test_a_morning_of_typing_survives_with_the_guard():
    guarded = run_typing("guarded")
    assert guarded.returncode == 0, guarded.stderr[-2000:]
    assert guarded.stdout.strip() == "survived 33 capsules"


@pytest.mark.slow
@pytest.mark.skipif(
    not needs_guard() or PySide6.__version__ != "6.12.0", reason="the bug was seen on 6.12.0"
)
def test_without_the_guard_pyside_6_12_0_aborts_the_interpreter():
    """Documents why the guard exists; if this starts failing, PySide6 fixed the bug."""
    unguarded = run_typing("unguarded")
    assert unguarded.returncode != 0
    assert "dealloc" in unguarded.stderr
