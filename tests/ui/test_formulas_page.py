"""Formulas: read the seeded recipes and their versions; copy one to a new version."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from ldn_desktop.ui import formulas_page
from ldn_desktop.ui.formulas_page import FormulasPage
from tests.ui.bench_pharmacy import (  # noqa: F401  (bench and dialogs are fixtures)
    bench_fixture,
    dialogs_fixture,
    shown,
)

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


@pytest.fixture
def formulas(qtbot, bench):
    bench.sign_in(bench.pharmacist)
    return shown(qtbot, FormulasPage(bench.context), (1180, 720))


def choose(page, code: str) -> None:
    for row in range(page.formulas.count()):
        if page.formulas.item(row).data(0x0100) == code:
            page.formulas.setCurrentRow(row)
            return
    raise AssertionError(f"no formula {code}")


def test_every_seeded_formula_is_listed_and_readable(bench, formulas):
    seeded = bench.store.list_formulas()
    assert formulas.formulas.count() == len(seeded) >= 4
    capsules = next(f for f in seeded if f.dosage_form == "capsule")
    choose(formulas, capsules.code)
    text = formulas.viewer.toPlainText()
    assert capsules.name in text
    assert "Components" in text and "Steps" in text
    assert capsules.steps[0] in text
    assert formulas.versions.currentText() == "Version 1 (current)"


def test_copy_to_a_new_version_keeps_the_old_one(monkeypatch, bench, formulas, dialogs):
    code = formulas.current_code()
    old = formulas.shown_formula()

    def edit(dialog):
        dialog.storage.setText("Store below 25 °C, dry")
        dialog.reason.setText("SOP 12 review: storage wording")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(formulas_page.NewVersionDialog, "exec", edit)
    formulas.copy_button.click()
    assert dialogs.shown == []
    versions = bench.store.formula_versions(code)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].storage == old.storage and not versions[0].current
    assert versions[1].storage == "Store below 25 °C, dry"
    assert formulas.current_code() == code
    assert formulas.versions.currentText() == "Version 2 (current)"
    assert "SOP 12 review" in formulas.viewer.toPlainText()
    formulas.versions.setCurrentIndex(0)
    assert "replaced by a newer version" in formulas.viewer.toPlainText()


def test_a_new_version_needs_a_reason(monkeypatch, bench, formulas, dialogs):
    code = formulas.current_code()
    monkeypatch.setattr(
        formulas_page.NewVersionDialog, "exec", lambda d: QDialog.DialogCode.Accepted
    )
    formulas.copy_button.click()
    assert dialogs.titles() == ["Version not saved"]
    assert len(bench.store.formula_versions(code)) == 1


def test_a_technician_may_not_change_a_recipe(monkeypatch, bench, formulas, dialogs):
    bench.sign_in(bench.technician)
    code = formulas.current_code()

    def edit(dialog):
        dialog.reason.setText("try")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(formulas_page.NewVersionDialog, "exec", edit)
    formulas.copy_button.click()
    assert dialogs.titles() == ["Version not saved"]
    assert len(bench.store.formula_versions(code)) == 1
