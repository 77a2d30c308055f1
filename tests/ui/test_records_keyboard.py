"""Keyboard first: every Alt+letter on the Batches, Inventory, Formulas and Print pages, and
in every dialog they open, is unique on its screen (the window's menus included, as the
project counts them everywhere), so a keyboard user lands where they mean to."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from ldn_desktop.ui import batch_detail, batches_page, formulas_page, inventory_page, print_page
from ldn_desktop.ui.batch_detail import QualityCheckDialog, SignatureDialog
from ldn_desktop.ui.batches_page import NewBatchDialog
from ldn_desktop.ui.formulas_page import FormulasPage, NewVersionDialog
from ldn_desktop.ui.inventory_page import InventoryPage, NewIngredientDialog, ReceiveLotDialog
from ldn_desktop.ui.print_page import PrintDialog, PrintPage
from tests.ui.bench_pharmacy import (  # noqa: F401  (bench, page and dialogs are fixtures)
    bench_fixture,
    capsule_plan,
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


def records_dialogs(bench) -> dict[type, QDialog]:
    """Every dialog the Batches, Inventory, Formulas and Print pages open, as opened."""
    formula = next(f for f in bench.store.list_formulas() if f.dosage_form == "capsule")
    draft = bench.store.create_draft_batch(
        formula.id,
        bench.prescription.id,
        capsule_plan(bench).to_dict(),
        33,
        "capsules",
        by=bench.pharmacist,
    )
    made = [
        NewBatchDialog(bench.store, "capsule", "33 capsules", context=bench.context),
        ReceiveLotDialog(bench.store.list_ingredients()),
        NewIngredientDialog(),
        NewVersionDialog(formula),
        QualityCheckDialog(None, ("Weight variation",)),
        SignatureDialog(None, "Verify the batch", "A second pharmacist signs."),
        PrintDialog(bench.context, draft.id),
    ]
    return {type(dialog): dialog for dialog in made}


def test_alt_letters_are_unique_in_every_dialog_the_records_pages_open(qtbot, bench):
    bench.sign_in(bench.pharmacist)
    dialogs = records_dialogs(bench)
    for module in (batches_page, inventory_page, formulas_page, print_page, batch_detail):
        defined = {
            c
            for c in vars(module).values()
            if isinstance(c, type) and issubclass(c, QDialog) and c.__module__ == module.__name__
        }
        assert defined <= set(dialogs), f"{module.__name__}: {defined - set(dialogs)} not checked"
    found = {}
    for dialog_class, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        found[dialog_class.__name__] = duplicate_mnemonics(dialog)
        if dialog_class is PrintDialog:  # let its preview finish before it closes
            qtbot.waitUntil(lambda d=dialog: d.panel.pdf_path is not None, timeout=20_000)
        dialog.close()
    assert found == {name: {} for name in found}
