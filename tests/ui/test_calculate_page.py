"""The Calculate page, driven as a pharmacist would: type, read the result, start a batch."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ldn_desktop.core.capsules import CapsulePlan
from ldn_desktop.core.cream import CreamPlan
from ldn_desktop.core.findings import Severity
from ldn_desktop.core.liquid import LiquidPlan
from ldn_desktop.core.pharmacy_settings import CalculationSettings
from ldn_desktop.core.potency import DrugSource
from ldn_desktop.ui.calculate_page import CalculatePage
from ldn_desktop.ui.context import AppContext, Settings
from tests.ui.conftest import duplicate_mnemonics

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    # The offscreen platform says this whenever a shown window's size hints change.
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


@pytest.fixture
def context(qapp):
    return AppContext(store=None)


@pytest.fixture
def page(qtbot, context):
    page = CalculatePage(context)
    qtbot.addWidget(page)
    page.resize(1180, 760)
    with qtbot.waitExposed(page):
        page.show()
    return page


def type_into(qtbot, field, text):
    field.number.clear()
    qtbot.keyClicks(field.number, text)


def test_typing_a_dose_updates_the_capsule_result(qtbot, page):
    form = page.capsules
    assert form.plan is None
    assert form.result.status.text() == "Enter the dose per capsule."
    assert not form.result.start_button.isEnabled()
    type_into(qtbot, form.dose, "4")
    assert form.result.figure("Each capsule") == "4 mg"
    qtbot.keyClicks(form.dose.number, ".5")
    # DOMAIN.md worked example: 4.5 mg × 30, 10 % overage → 33 capsules, 148.5 mg.
    assert isinstance(form.plan, CapsulePlan)
    assert form.result.figure("Capsules to make") == "33 capsules"
    assert form.result.figure("Naltrexone HCl in the batch") == "148.5 mg"
    assert form.result.start_button.isEnabled()


def test_mcg_selector_changes_the_dose_not_the_number(qtbot, page):
    form = page.capsules
    type_into(qtbot, form.dose, "250")
    form.dose.unit_box.setCurrentText("mcg")
    assert form.plan.order.dose_mg == Decimal("0.25")
    assert form.result.figure("Each capsule") == "250 mcg (0.25 mg)"
    # 8.25 mg is below the 82 mg minimum weight of a 0.1 mg balance: a trituration.
    assert any("rituration" in what for what, _ in form.result.table_rows())


def test_a_dose_above_50_mg_is_a_stop_beside_the_dose(qtbot, page):
    form = page.capsules
    type_into(qtbot, form.dose, "60")
    notes = form.notes_for("dose")
    assert notes.severities() == [Severity.STOP]
    assert notes.texts()[0].startswith("STOP:")
    assert "50 mg" in notes.texts()[0]
    assert form.plan is None
    assert not form.result.start_button.isEnabled()
    assert not form.result.working_button.isVisible()


def test_a_high_dose_is_a_warning_worded_differently_from_a_stop(qtbot, page):
    form = page.capsules
    type_into(qtbot, form.dose, "6")
    notes = form.notes_for("dose")
    assert notes.severities() == [Severity.WARNING]
    assert notes.texts()[0].startswith("Check:")
    # A warning lets the pharmacist go on, after looking.
    assert form.result.start_button.isEnabled()
    assert "1 point to check" in form.result.status.text()


def test_an_implausible_assay_is_shown_beside_the_assay(qtbot, page):
    form = page.capsules
    type_into(qtbot, form.dose, "4.5")
    type_into(qtbot, form.assay, "120")
    assert form.notes_for("assay").severities() == [Severity.STOP]
    assert form.notes_for("dose").severities() == []


def test_show_working_lists_the_cores_steps(qtbot, page):
    form = page.capsules
    type_into(qtbot, form.dose, "4.5")
    assert not form.result.working.isVisible()
    qtbot.mouseClick(form.result.working_button, Qt.MouseButton.LeftButton)
    assert form.result.working.isVisible()
    steps = form.result.steps()
    assert len(steps) == len(form.plan.steps)
    assert steps[0].startswith("1. Units to make: 30 capsules + 10 % overage")


def test_start_a_batch_emits_the_plan(qtbot, page, context):
    form = page.capsules
    type_into(qtbot, form.dose, "4.5")
    with qtbot.waitSignal(context.start_batch_requested) as blocker:
        qtbot.mouseClick(form.result.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] is form.plan


def test_ctrl_enter_starts_a_batch_but_not_with_a_stop(qtbot, page, context):
    form = page.capsules
    type_into(qtbot, form.dose, "60")
    with qtbot.assertNotEmitted(context.start_batch_requested):
        qtbot.keyClick(form.dose.number, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    type_into(qtbot, form.dose, "3")
    with qtbot.waitSignal(context.start_batch_requested):
        qtbot.keyClick(form.dose.number, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_tablet_source_asks_how_many_tablets_to_crush(qtbot, page):
    form = page.capsules
    type_into(qtbot, form.dose, "4.5")
    form.source.setCurrentIndex(1)
    assert form.notes_for("tablet_powder").severities() == [Severity.STOP]
    assert "Crush at least 3 tablets" in form.notes_for("tablet_powder").texts()[0]
    form.tablets.setValue(3)
    type_into(qtbot, form.powder, "600")
    assert form.plan is not None
    assert form.plan.drug_material == "crushed tablet powder"


def test_liquid_result_and_bud_warning(qtbot, page):
    page.tabs.setCurrentWidget(page.liquid)
    form = page.liquid
    assert isinstance(form.plan, LiquidPlan)
    assert form.result.figure("Volume per dose") == "4.5 mL"
    # 30 days of an unpreserved liquid is longer than its 14-day BUD (USP <795>).
    assert form.notes_for("days").severities() == [Severity.WARNING]
    form.preserved.setChecked(True)
    assert form.notes_for("days").severities() == []


def test_liquid_titration_shows_each_phase(qtbot, page):
    form = page.liquid
    page.tabs.setCurrentWidget(form)
    form.schedule.titrated.setChecked(True)
    rows = form.result.table_rows()
    assert rows[0] == ("Days 1 to 14: 1.5 mg", "1.5 mL")
    assert rows[-1][1] == "4.5 mL"


def test_cream_clicks_follow_the_click_volume(qtbot, page):
    form = page.cream
    page.tabs.setCurrentWidget(form)
    form.strength.set_value("3", "mg/mL")
    assert isinstance(form.plan, CreamPlan)
    # DOMAIN.md: 3 mg/mL → 0.75 mg a click; 4.5 mg = 6 clicks.
    assert form.result.figure("Clicks per dose") == "6 clicks"
    type_into(qtbot, form.click, "0.2")
    assert form.notes_for("strength").severities() == [Severity.WARNING]


def test_cream_in_mg_per_g_needs_a_specific_gravity(qtbot, page):
    form = page.cream
    form.strength.set_value("10", "mg/g")
    assert form.notes_for("specific_gravity").severities() == [Severity.STOP]
    form.specific_gravity.set_value("1")
    assert form.plan is not None


def test_titration_tab_lists_phases_and_cannot_start_a_batch(qtbot, page):
    form = page.titration
    page.tabs.setCurrentWidget(form)
    assert not form.result.start_button.isVisible()
    assert form.result.table_rows()[0] == ("Days 1 to 14", "1.5 mg daily")
    assert form.result.figure("Naltrexone HCl over the supply") is not None


def test_settings_change_recalculates(qtbot, page, context):
    form = page.capsules
    type_into(qtbot, form.dose, "4.5")
    before = form.plan.fill_mg_per_unit
    packed = CalculationSettings(packing_mg={"1": Decimal(200)})
    context.set_settings(Settings(calculation=packed))
    assert form.plan.fill_mg_per_unit == Decimal(200) != before
    # The liquid's strength follows the new default until the pharmacist types one.
    context.set_settings(
        Settings(calculation=CalculationSettings(liquid_strength=packed.liquid_strength))
    )
    assert page.liquid.strength.number.text() == "1"


def test_every_input_has_an_accessible_name(page):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit

    for form in page.forms:
        for widget in form.findChildren(QLineEdit) + form.findChildren(QComboBox):
            if isinstance(widget.parent(), QAbstractSpinBox):
                continue
            assert widget.accessibleName(), widget
        for widget in form.findChildren(QAbstractSpinBox) + form.findChildren(QAbstractButton):
            assert widget.accessibleName() or widget.text(), widget


def test_alt_letters_are_unique_on_every_calculator(qtbot, page):
    for form in page.forms:
        page.tabs.setCurrentWidget(form)
        variants = [lambda: None]
        if hasattr(form, "schedule"):
            variants.append(lambda f=form: f.schedule.titrated.setChecked(True))
        if hasattr(form, "source"):
            variants.append(lambda f=form: f.source.setCurrentIndex(1 - f.source.currentIndex()))
        for change in variants:
            change()
            assert duplicate_mnemonics(form) == {}, form.title


def test_tab_moves_through_the_capsule_fields_in_reading_order(qtbot, page):
    form = page.capsules
    with qtbot.waitActive(page):
        page.activateWindow()
    type_into(qtbot, form.dose, "4.5")
    form.dose.number.setFocus()
    names = []
    for _ in range(14):
        widget = QApplication.focusWidget()
        names.append(widget.accessibleName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    expected = [
        "Dose per capsule",
        "Dose per capsule unit",
        "Number of capsules ordered",
        "Capsule size",
        "Overage",
        "Overage unit",
        "Drug source",
        "API salt form",
        "Assay from the certificate",
        "Water content from the certificate",
        "Filler-only fill per capsule (optional)",
    ]
    assert names[: len(expected)] == expected
    assert {"Show working", "Start a batch"} <= set(names)


def test_weighings_are_shown_to_the_balance_places(qtbot, page, context):
    form = page.capsules
    packed = {"1": Decimal(200)}  # the DOMAIN.md example: 200 mg fill, 33 capsules
    context.set_settings(Settings(calculation=CalculationSettings(packing_mg=packed)))
    type_into(qtbot, form.dose, "4.5")
    type_into(qtbot, form.assay, "99.5")
    type_into(qtbot, form.water, "1.5")
    assert form.result.figure("Drug into the batch") == "151.5 mg"
    assert form.result.figure("Filler") == "6,448.5 mg"
    assert [amount for _, amount in form.result.table_rows()] == ["151.5 mg", "6,448.5 mg"]
    fine = CalculationSettings(packing_mg=packed, balance_readability_mg=Decimal("0.01"))
    context.set_settings(Settings(calculation=fine))
    # 148.5 ÷ 0.980075 = 151.51901... mg: the 0.01 mg balance shows 151.52.
    assert form.result.figure("Drug into the batch") == "151.52 mg"
    assert form.result.figure("Filler") == "6,448.48 mg"
    assert [amount for _, amount in form.result.table_rows()] == ["151.52 mg", "6,448.48 mg"]
    # The fill per capsule is not a weighing: it keeps its own places.
    assert form.result.figure("Fill per capsule") == "200 mg"
    whole = CalculationSettings(packing_mg=packed, balance_readability_mg=Decimal(1))
    context.set_settings(Settings(calculation=whole))
    assert [amount for _, amount in form.result.table_rows()] == [
        "1,515 mg", "13,637 mg", "1,515 mg", "5,085 mg",
    ]  # fmt: skip


def test_the_liquid_api_is_shown_to_the_balance_places(qtbot, page, context):
    fine = CalculationSettings(balance_readability_mg=Decimal("0.01"))
    context.set_settings(Settings(calculation=fine))
    form = page.liquid
    form.source.setCurrentIndex(form.source.findData(DrugSource.API))
    type_into(qtbot, form.assay, "99")
    # 135 mL at 1 mg/mL ÷ 0.99 = 136.3636... mg of API.
    (make,) = [f for f in form.figures(form.plan) if f.caption == "Make"]
    assert make.detail == "from 136.36 mg of API"
    assert form.result.figure("Make") == "135 mL"
