"""Keyboard first: every Alt+letter on the Batches, Inventory, Formulas and Print pages is
unique on its screen (menus included), so a keyboard user lands where they mean to."""

from __future__ import annotations

import pytest

from ldn_desktop.ui.formulas_page import FormulasPage
from ldn_desktop.ui.inventory_page import InventoryPage
from ldn_desktop.ui.print_page import PrintPage
from tests.ui.bench_pharmacy import (  # noqa: F401  (bench, page and dialogs are fixtures)
    bench_fixture,
    dialogs_fixture,
    page_fixture,
    start_and_compound,
)
from tests.ui.conftest import duplicate_mnemonics

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


def test_batches_page_empty_and_compounded(qtbot, monkeypatch, bench, page, dialogs):
    assert duplicate_mnemonics(page) == {}
    detail = start_and_compound(qtbot, monkeypatch, bench, page, dialogs)
    assert duplicate_mnemonics(page) == {}, detail.batch.state


def test_draft_batch(qtbot, monkeypatch, bench, page, dialogs):
    found = {}

    def look(detail):
        found.update(duplicate_mnemonics(page))

    start_and_compound(qtbot, monkeypatch, bench, page, dialogs, before_signing=look)
    assert found == {}


@pytest.mark.parametrize("page_class", [InventoryPage, FormulasPage, PrintPage])
def test_other_pages(qtbot, bench, page_class):
    widget = page_class(bench.context)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    assert duplicate_mnemonics(widget) == {}
    tabs = getattr(widget, "tabs", None)
    for index in range(tabs.count() if tabs else 0):
        tabs.setCurrentIndex(index)
        assert duplicate_mnemonics(tabs.currentWidget()) == {}, tabs.tabText(index)
