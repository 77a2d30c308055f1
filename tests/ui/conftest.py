"""Window tests: a real store on a temporary database, and no window left open afterwards."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from ldn_desktop.store import Store, open_store
from ldn_desktop.store.records import PharmacyDetails, Role, User
from ldn_desktop.ui.qt_fixes import make_immortal

# A cheap password hash for tests only (the app uses OWASP's scrypt cost).
TEST_SCRYPT_N = 2**10
ADMIN_PASSWORD = "correct horse battery"
PHARMACIST_PASSWORD = "pharmacist pass 1"


@pytest.fixture(autouse=True, scope="session")
def _qt_reference_guard() -> None:
    """PySide6 6.12.0 on Python 3.11 loses references to None and True on every signal
    and slot; without this a long test session aborts at exit (ldn_desktop/ui/qt_fixes.py)."""
    make_immortal()


@pytest.fixture
def no_leftover_windows(qapp: QApplication) -> Iterator[None]:
    """Fails a test that leaves a visible top-level window (an unclosed dialog, a window)."""
    yield
    QApplication.processEvents()
    leftover = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in leftover:
        widget.close()
    assert not leftover, f"windows left open: {[type(w).__name__ for w in leftover]}"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ldn-desktop.sqlite3"


@pytest.fixture
def empty_store(db_path: Path) -> Iterator[Store]:
    """A new database, before the first run."""
    store = open_store(db_path, scrypt_n=TEST_SCRYPT_N)
    yield store
    store.close()


@pytest.fixture
def store(empty_store: Store) -> Store:
    """A database with a pharmacy, its administrator and a pharmacist."""
    admin = empty_store.create_pharmacy(
        PharmacyDetails("Riverside Compounding", "1 High Street", "555-0100", "PH-1234"),
        "admin",
        "Ada Admin",
        ADMIN_PASSWORD,
    )
    empty_store.add_user("pat", "Pat Pharmacist", Role.PHARMACIST, PHARMACIST_PASSWORD, by=admin)
    return empty_store


@pytest.fixture
def admin(store: Store) -> User:
    return store.authenticate("admin", ADMIN_PASSWORD)


@pytest.fixture
def pharmacist(store: Store) -> User:
    return store.authenticate("pat", PHARMACIST_PASSWORD)


MENU_MNEMONICS = ("f", "g", "h")  # &File, &Go, &Help in the main window


def duplicate_mnemonics(widget: QWidget) -> dict[str, list[str]]:
    """Alt+letter shortcuts used twice among the visible labels and buttons (and the menus)."""
    seen: dict[str, list[str]] = {letter: [f"menu {letter}"] for letter in MENU_MNEMONICS}
    for child in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if not child.isVisibleTo(widget) or "<" in child.text():
            continue
        match = re.search(r"&([^&])", child.text())
        if match:
            seen.setdefault(match.group(1).lower(), []).append(child.text())
    return {letter: texts for letter, texts in seen.items() if len(texts) > 1}
