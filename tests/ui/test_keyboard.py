"""Keyboard first: Tab moves from field to field and never stays put.

A table keeps Tab for its cells and a date edit for its year, month and day unless told
otherwise (ldn_desktop/ui/keyboard.py); these tests press the keys a keyboard user
presses, on each page alone and in the main window on the demo pharmacy.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.store import open_store
from ldn_desktop.store.demo import DEMO_USERS, fill_demo
from ldn_desktop.store.records import BatchQuery, BatchState
from ldn_desktop.ui.batches_page import BatchesPage
from ldn_desktop.ui.context import AppContext, load_settings
from ldn_desktop.ui.formulas_page import FormulasPage
from ldn_desktop.ui.inventory_page import InventoryPage
from ldn_desktop.ui.keyboard import DateEdit, focus_lands_on, tab_field_to_field, tab_to_after
from ldn_desktop.ui.main_window import PAGES, MainWindow
from ldn_desktop.ui.prescriptions_page import PrescriptionsPage
from ldn_desktop.ui.print_page import PrintPage
from ldn_desktop.ui.settings_page import SettingsPage
from tests.ui.bench_pharmacy import (  # noqa: F401  (bench is a fixture)
    TEST_SCRYPT_N,
    bench_fixture,
    shown,
)

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


def press_tab(qtbot, backwards: bool = False) -> QWidget:
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    qtbot.keyClick(QApplication.focusWidget(), key)
    return QApplication.focusWidget()


def row_of_fields(qtbot, *middle: QWidget) -> tuple[QWidget, QLineEdit, QLineEdit]:
    """A window with a line edit, then `middle`, then another line edit; focus on the first."""
    window = QWidget()
    layout = QVBoxLayout(window)
    before, after = QLineEdit(), QLineEdit()
    for widget in (before, *middle, after):
        layout.addWidget(widget)
    shown(qtbot, window, (300, 200))
    with qtbot.waitActive(window):
        window.activateWindow()
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    return window, before, after


# -- the helpers ---------------------------------------------------------------------------


def test_tab_leaves_a_table_and_skips_a_scroll_area_once_told(qtbot):
    table = QTableWidget(3, 3)
    area = QScrollArea()
    inside = QLineEdit()
    area.setWidget(inside)
    window, before, after = row_of_fields(qtbot, table, area)
    table.setFocus()
    assert press_tab(qtbot) is table  # Qt's default: Tab walks the cells
    before.setFocus()
    assert [press_tab(qtbot) for _ in range(2)] == [table, table]
    table.setFocus()
    table.setTabKeyNavigation(False)
    assert press_tab(qtbot) is area  # and the scroll area is a stop of its own
    tab_field_to_field(window)
    assert not table.tabKeyNavigation()
    before.setFocus()
    assert [press_tab(qtbot) for _ in range(3)] == [table, inside, after]


def test_a_date_edit_is_one_tab_stop_and_an_empty_one_does_not_trap_tab(qtbot):
    date = DateEdit(QDate(2027, 5, 31))
    date.setDisplayFormat("yyyy-MM-dd")
    empty = DateEdit()
    empty.setMinimumDate(QDate(2000, 1, 1))
    empty.setSpecialValueText("enter the date")
    empty.setDate(QDate(2000, 1, 1))
    _window, before, after = row_of_fields(qtbot, date, empty)
    assert [press_tab(qtbot) for _ in range(3)] == [date, empty, after]
    assert [press_tab(qtbot, backwards=True) for _ in range(3)] == [empty, date, before]
    # Left and Right still move between year, month and day.
    date.setFocus()
    qtbot.keyClick(date, Qt.Key.Key_Home)
    qtbot.keyClick(date, Qt.Key.Key_Right)
    qtbot.keyClick(date, Qt.Key.Key_Up)
    assert date.date() == QDate(2028, 5, 31)


def test_buttons_built_before_the_fields_are_reached_after_them(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    button = QLineEdit("built first")
    layout.addWidget(button)
    fields = QWidget()
    inner = QVBoxLayout(fields)
    first, last = QLineEdit(), QLineEdit()
    inner.addWidget(first)
    inner.addWidget(last)
    layout.addWidget(fields)
    shown(qtbot, window, (300, 200))
    with qtbot.waitActive(window):
        window.activateWindow()
    first.setFocus()
    assert press_tab(qtbot) is last
    assert press_tab(qtbot) is button  # Qt's order is the order they were built in
    tab_to_after(fields, button)
    first.setFocus()
    assert [press_tab(qtbot) for _ in range(2)] == [last, button]


def test_a_page_puts_the_cursor_in_its_field_without_becoming_a_tab_stop(qtbot):
    page = QWidget()
    inner = QVBoxLayout(page)
    first, landing = QLineEdit(), QLineEdit()
    inner.addWidget(first)
    inner.addWidget(landing)
    focus_lands_on(page, landing)
    _window, before, after = row_of_fields(qtbot, page)
    page.setFocus()
    assert QApplication.focusWidget() is landing
    before.setFocus()
    assert [press_tab(qtbot) for _ in range(3)] == [first, landing, after]
    landing.hide()  # (on another tab): the page's first field instead
    page.setFocus()
    assert QApplication.focusWidget() is first


# -- every table on every page lets Tab go -------------------------------------------------

PAGE_CLASSES = (
    PrescriptionsPage,
    BatchesPage,
    InventoryPage,
    FormulasPage,
    PrintPage,
    SettingsPage,
)


@pytest.mark.parametrize("page_class", PAGE_CLASSES, ids=lambda c: c.__name__)
def test_tab_moves_out_of_every_table_on_the_page(qtbot, bench, page_class):
    bench.sign_in(bench.pharmacist)
    page = shown(qtbot, page_class(bench.context))
    with qtbot.waitActive(page):
        page.activateWindow()
    views = page.findChildren(QAbstractItemView)
    assert [v for v in views if v.tabKeyNavigation()] == []
    tables = page.findChildren(QTableView)
    for table in tables:
        table.setVisible(True)  # a state-dependent table (the batch's lots) is tried too
        table.setEnabled(True)
        table.setFocus()
        assert press_tab(qtbot) is not table, table.accessibleName()
    expected = {PrescriptionsPage: 2, BatchesPage: 2, InventoryPage: 3}.get(page_class, 0)
    assert len(tables) >= expected


# -- Tab cycles through every page of the window -------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("demo") / "demo.sqlite3", scrypt_n=TEST_SCRYPT_N)
    fill_demo(store)
    yield store
    store.close()


@pytest.fixture
def window(qtbot, demo):
    paula = demo.authenticate(DEMO_USERS[0].username, DEMO_USERS[0].password)
    window = MainWindow(AppContext(demo, load_settings(demo)))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.sign_in_as(paula)
    yield window
    window.context.wait_for_background()


def tab_stops(page: QWidget) -> list[set[QWidget]]:
    """The page's enabled, shown inputs and buttons that Tab must land on: each alone, but
    a group of radio buttons together (Tab reaches the chosen one, arrows the others)."""
    stops: dict[object, set[QWidget]] = {}
    for widget in page.findChildren(QWidget):
        if not (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusProxy() is None
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            continue
        key: object = widget
        if isinstance(widget, QRadioButton) and widget.autoExclusive():
            key = widget.group() or widget.parentWidget()
        stops.setdefault(key, set()).add(widget)
    return list(stops.values())


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    return f"{type(widget).__name__}({widget.accessibleName() or widget.objectName()})"


def tab_around(qtbot, window: MainWindow, title: str) -> None:
    """From the page's first field, Tab comes back to it through every enabled input and
    button on the page (and the page list beside it), one press each, never staying put."""
    page = window.pages[title]
    page.setFocus()
    start = QApplication.focusWidget()
    assert start is not None and page.isAncestorOf(start), title
    visited = [start]
    for _ in range(200):
        now = press_tab(qtbot)
        assert now is not visited[-1], f"{title}: Tab stays on {describe(now)}"
        if now is start:
            break
        visited.append(now)
    else:
        names = [describe(w) for w in visited]
        pytest.fail(f"{title}: Tab never came back to {describe(start)}: {names}")
    outside = [w for w in visited if not page.isAncestorOf(w)]
    assert outside == [window.nav], f"{title}: {[describe(w) for w in outside]}"
    assert len(set(visited)) == len(visited), f"{title}: a widget twice in one cycle"
    # Counted after the round: focusing a table shows its first record's fields.
    skipped = [stop for stop in tab_stops(page) if not stop & set(visited)]
    assert not skipped, f"{title}: Tab skips {[sorted(map(describe, s)) for s in skipped]}"


def first_batch(store, state: BatchState) -> int:
    return store.search_batches(BatchQuery(state=state)).rows[0].id


def open_records(window: MainWindow, title: str) -> None:
    """The page with a record open, so its record's fields and buttons are enabled too."""
    page = window.pages[title]
    store = window.context.store
    if title == "Patients":
        page.patient_table.selectRow(0)
        page.rx_table.selectRow(0)
    elif title == "Batches":
        page.open_batch(first_batch(store, BatchState.DRAFT))
        page.use_dates.setChecked(True)  # the date range's fields, enabled
    elif title == "Inventory":
        page.lots_view.selectRow(0)
    elif title == "Print":
        page.panel.set_batch(first_batch(store, BatchState.VERIFIED))
        window.context.wait_for_background()
    QApplication.processEvents()


@pytest.mark.parametrize("title", [spec.title for spec in PAGES])
def test_tab_cycles_through_every_field_of_each_page(qtbot, window, title):
    assert window.show_page(title)
    tabs = getattr(window.pages[title], "tabs", None)
    for index in range(tabs.count() if tabs is not None else 1):
        if tabs is not None:
            tabs.setCurrentIndex(index)
        tab_around(qtbot, window, title)
    open_records(window, title)
    if tabs is not None:
        tabs.setCurrentIndex(0)
    tab_around(qtbot, window, title)
