"""The Patients page: find, add and correct a patient, and receive a prescription, as a
pharmacist does at the start of the day, on a real temporary store. Dialogs are filled and
saved through their own methods, never clicked through."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QTableView,
    QWidget,
)

from ldn_desktop.ui.batches_page import NewBatchDialog
from ldn_desktop.ui.context import AppContext, load_settings
from ldn_desktop.ui.patient_form import PatientDialog
from ldn_desktop.ui.prescription_form import PrescriptionDialog
from ldn_desktop.ui.prescriptions_page import PrescriptionsPage
from tests.ui.conftest import duplicate_mnemonics

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


@pytest.fixture
def context(store, pharmacist):
    return AppContext(store, load_settings(store), pharmacist)


@pytest.fixture
def page(qtbot, context):
    widget = PrescriptionsPage(context)
    qtbot.addWidget(widget)
    widget.resize(1180, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def margaret(store, pharmacist):
    return store.add_patient("Margaret O'Connor", date(1958, 3, 14), by=pharmacist)


def answer(monkeypatch, dialog_class, fill):
    """Patch `dialog_class.exec`: fill the dialog as a person would, then press Save."""
    seen = []

    def exec_(self):
        seen.append(self)
        fill(self)
        self.save()
        return self.result()

    monkeypatch.setattr(dialog_class, "exec", exec_)
    return seen


def set_dose(field, number, unit=None):
    field.number.setText(number)
    if unit is not None:
        field.unit_box.setCurrentText(unit)


def fill_rx(dialog, rx_number="RX-50001", dose=("4.5", "mg")):
    dialog.rx_number.setText(rx_number)
    dialog.prescriber.setText("Dr. Helen Park")
    if dose is not None:
        set_dose(dialog.dose, *dose)


def test_add_a_patient_and_find_them_with_accents_folded(monkeypatch, page, store):
    def fill(dialog):
        dialog.name.setText("José Álvarez")
        dialog.date_of_birth.setText("1979-11-02")
        dialog.phone.setText("555-0123")

    seen = answer(monkeypatch, PatientDialog, fill)
    page.add_button.click()
    assert seen[0].result() == QDialog.DialogCode.Accepted
    (patient,) = store.find_patients("jose")
    assert (patient.name, patient.date_of_birth, patient.phone) == (
        "José Álvarez",
        date(1979, 11, 2),
        "555-0123",
    )
    assert page.current_patient == patient
    assert page.patient_heading.text() == "José Álvarez"
    assert "Born 1979-11-02" in page.patient_details.text()
    # The store's accent- and case-folded search, narrowed by date of birth.
    page.search.setText("alva")
    page.run_search()
    assert page.patients.rowCount() == 1
    page.born.setText("1979-11-03")
    page.run_search()
    assert page.patients.rowCount() == 0
    assert page.count.text() == "0 patients born 1979-11-03"
    page.born.setText("1979-13-03")
    page.run_search()
    assert page.patients.rowCount() == 1
    assert "not a date" in page.count.text()


def test_a_patient_without_name_or_date_of_birth_is_not_saved(monkeypatch, page, store):
    def no_date(dialog):
        dialog.name.setText("Chen Wei")

    seen = answer(monkeypatch, PatientDialog, no_date)
    page.add_button.click()
    dialog = seen[0]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.form.texts("date_of_birth") == [
        "STOP: Enter the date of birth: every label shows it"
    ]
    dialog.date_of_birth.setText("1986-21-06")
    dialog.save()
    assert dialog.form.texts("date_of_birth") == [
        "STOP: '1986-21-06' is not a date: write year-month-day, e.g. 1958-03-14"
    ]
    dialog.date_of_birth.setText("2999-01-01")
    dialog.save()
    assert dialog.form.texts("date_of_birth") == [
        "STOP: Date of birth: must be a date, not in the future"
    ]
    dialog.date_of_birth.setText("1986-06-21")
    dialog.name.setText("   ")
    dialog.save()
    assert dialog.form.texts("name") == ["STOP: Patient name: must not be empty"]
    assert dialog.form.texts("date_of_birth") == []
    assert store.find_patients("") == ()
    dialog.close()


def test_a_bare_dose_is_refused_beside_the_field_and_nothing_saved(
    monkeypatch, page, store, margaret
):
    page.run_search()
    assert page.current_patient == margaret  # the only patient: selected

    seen = answer(monkeypatch, PrescriptionDialog, lambda d: fill_rx(d, dose=("4.5", None)))
    page.new_rx_button.click()
    dialog = seen[0]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.dose.unit == ""  # no unit until the pharmacist chooses one
    (refusal,) = dialog.form.texts("dose")
    assert refusal.startswith("STOP: ") and "'4.5' has no unit: write mg or mcg" in refusal
    assert store.prescriptions_for(margaret.id) == ()
    assert page.prescriptions.rowCount() == 0
    # With its unit, the same dose is saved.
    dialog.dose.unit_box.setCurrentText("mg")
    assert dialog.generated.text().endswith("Take 1 capsule (4.5 mg) by mouth at bedtime")
    dialog.quantity.setValue(30)
    dialog.days_supply.setValue(30)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    (rx,) = store.prescriptions_for(margaret.id)
    # No directions typed: none saved; the label writes them when it prints.
    assert (rx.dose, rx.directions, rx.quantity, rx.days_supply) == (
        "4.5 mg",
        "",
        "30 capsules",
        30,
    )


def test_a_titration_prescription(monkeypatch, page, store, margaret):
    page.run_search()
    generated = []

    def fill(dialog):
        fill_rx(dialog, "RX-50002", dose=None)
        dialog.dosage_form.setCurrentIndex(dialog.dosage_form.findData("oral-liquid"))
        dialog.schedule.setCurrentIndex(dialog.schedule.findData("stepped"))
        assert dialog.form.rows["dose"][1].isHidden()
        set_dose(dialog.start, "1.5", "mg")
        set_dose(dialog.step, "1.5", "mg")
        dialog.every.setValue(14)
        set_dose(dialog.target, "4.5", "mg")
        dialog.quantity.setValue(100)
        generated.append(dialog.generated.text())

    answer(monkeypatch, PrescriptionDialog, fill)
    page.new_rx_button.click()
    # The first fill's label, at the default 1 mg/mL, shown before saving ...
    text = "Days 1 to 14: Take 1.5 mL (1.5 mg) by mouth at bedtime, then"
    assert text in generated[0] and "a refill's gives the phase current" in generated[0]
    (rx,) = store.prescriptions_for(margaret.id)
    assert rx.titration == "1.5 mg for 14 days, then 3 mg for 14 days, then 4.5 mg"
    assert rx.dose == "4.5 mg"  # the target: what the three-way check compares
    # ... but not saved: a saved first phase would still be printed on a refill on day 30.
    assert rx.directions == ""
    assert rx.quantity == "100 mL"
    assert page.prescriptions.rowCount() == 1
    assert page.rx_table.currentIndex().row() == 0
    shown = page.prescriptions.index(0, 5).data()
    assert shown.startswith("(written on the label from the dose)\nTitration: 1.5 mg for 14")


def test_written_phases_need_units_and_their_directions_are_written_at_print_time(
    qtbot, context, store, margaret
):
    dialog = PrescriptionDialog(context, margaret)
    qtbot.addWidget(dialog)
    fill_rx(dialog, dose=None)
    dialog.schedule.setCurrentIndex(dialog.schedule.findData("written"))
    dialog.phases.setText("1.5 for 14 days, then 3 mg")
    dialog.save()
    (refusal,) = dialog.form.texts("phases")
    assert "'1.5' has no unit" in refusal
    assert store.prescriptions_for(margaret.id) == ()
    dialog.phases.setText("1.5 mg for 14 days, then 3 mg")
    assert "Generated when the label prints" in dialog.generated.text()
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    (rx,) = store.prescriptions_for(margaret.id)
    assert (rx.dose, rx.titration, rx.directions) == ("3 mg", "1.5 mg for 14 days, then 3 mg", "")


def test_typed_directions_are_saved_verbatim(qtbot, context, store, margaret):
    dialog = PrescriptionDialog(context, margaret)
    qtbot.addWidget(dialog)
    fill_rx(dialog, dose=("4.5", "mg"))
    typed = "Take ONE capsule at bedtime; call Dr Park if sleep is disturbed"
    dialog.directions.setText(typed)
    assert "not used: the directions typed above are printed as written" in (
        dialog.generated.text()
    )
    dialog.save()
    (rx,) = store.prescriptions_for(margaret.id)
    assert rx.directions == typed


def test_correct_a_patient_with_a_reason(monkeypatch, page, store, margaret):
    page.run_search()

    def no_reason(dialog):
        assert dialog.name.text() == "Margaret O'Connor"
        dialog.date_of_birth.setText("1958-04-14")

    seen = answer(monkeypatch, PatientDialog, no_reason)
    page.correct_button.click()
    assert seen[0].form.texts("reason") == ["STOP: Reason for the correction: must not be empty"]
    assert store.patient(margaret.id).date_of_birth == date(1958, 3, 14)
    seen[0].close()

    def with_reason(dialog):
        no_reason(dialog)
        dialog.reason.setText("Month mistyped; checked with the patient")

    answer(monkeypatch, PatientDialog, with_reason)
    page.correct_button.click()
    assert store.patient(margaret.id).date_of_birth == date(1958, 4, 14)
    assert "Born 1958-04-14" in page.patient_details.text()
    latest = store.audit_entries(table="patients", row_id=margaret.id)[0]
    assert latest.action == "corrected: Month mistyped; checked with the patient"
    assert "1958-03-14" in latest.old and "1958-04-14" in latest.new
    assert store.verify_audit().ok


def test_a_new_prescription_is_selected_in_the_start_a_batch_dialog(
    monkeypatch, qtbot, context, store, margaret
):
    def fill(dialog):
        assert dialog.dosage_form.currentData() == "oral-liquid"  # the batch's form
        dialog.patient_search.setText("o'con")
        assert dialog.patient_choice.currentData() == margaret.id
        fill_rx(dialog, "RX-50003", dose=("4.5", "mg"))

    answer(monkeypatch, PrescriptionDialog, fill)
    dialog = NewBatchDialog(store, "oral liquid", "100 mL of oral liquid", context=context)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.new_rx_button.click()
    (rx,) = store.prescriptions_by_rx("RX-50003")
    assert dialog.prescription_id == rx.id
    assert dialog.rx_field.text() == "RX-50003"
    assert ok.isEnabled()
    assert rx.directions == ""  # the label writes "Take 4.5 mL (4.5 mg) ..." when it prints
    # Found again later by the patient's name, as the dialog searches.
    dialog.rx_field.setText("margaret")
    assert [m.id for m in dialog.found] == [rx.id]


def test_add_a_patient_from_the_prescription_form(monkeypatch, qtbot, context, store):
    def patient(dialog):
        dialog.name.setText("Zoë Lindqvist")
        dialog.date_of_birth.setText("1992-01-30")

    answer(monkeypatch, PatientDialog, patient)
    dialog = PrescriptionDialog(context)
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.form.texts("patient_id") == ["STOP: Choose the patient, or add a new one"]
    dialog.add_patient_button.click()
    (zoe,) = store.find_patients("zoe")
    assert dialog.patient_choice.currentData() == zoe.id
    assert dialog.patient_choice.currentText() == "Zoë Lindqvist (born 1992-01-30)"


def test_table_models_pass_qt_model_tester(qtmodeltester, page, store, pharmacist, margaret):
    store.add_prescription(
        margaret.id, "RX-1", "Dr. Park", "4.5 mg", "Take 1 capsule", days_supply=30, by=pharmacist
    )
    page.run_search()
    assert page.prescriptions.rowCount() == 1
    assert page.prescriptions.index(0, 3).data() == "— (30 days)"
    qtmodeltester.check(page.patients, force_py=True)
    qtmodeltester.check(page.prescriptions, force_py=True)


def test_an_administrator_sees_patients_but_may_not_record_them(page, context, store, margaret):
    admin = store.list_users()[0]
    assert admin.role.value == "administrator"
    context.set_user(admin)
    page.run_search()
    assert page.current_patient == margaret
    assert not page.add_button.isEnabled() and not page.new_rx_button.isEnabled()
    assert not page.correct_button.isEnabled()
    assert page.permission.text() == (
        "Only shown: an administrator may not record patients and prescriptions."
    )


def unnamed_inputs(widget: QWidget) -> list[str]:
    kinds = (QLineEdit, QComboBox, QAbstractSpinBox, QTableView)
    return [
        type(child).__name__
        for kind in kinds
        for child in widget.findChildren(kind)
        if not child.accessibleName()
        and child.isVisibleTo(widget)
        # the line edit inside a spin box or combo box is named by its owner
        and not isinstance(child.parent(), kinds)
    ]


def test_keyboard_mnemonics_unique_and_every_input_named(qtbot, page, context, margaret):
    page.run_search()
    assert duplicate_mnemonics(page) == {}
    assert unnamed_inputs(page) == []
    for patient in (None, margaret):
        for dialog in (PrescriptionDialog(context, patient), PatientDialog(context, patient)):
            qtbot.addWidget(dialog)
            dialog.show()
            assert duplicate_mnemonics(dialog) == {}, type(dialog).__name__
            assert unnamed_inputs(dialog) == []
            dialog.close()
    dialog = PrescriptionDialog(context, margaret)
    qtbot.addWidget(dialog)
    dialog.show()
    for mode in ("stepped", "written"):
        dialog.schedule.setCurrentIndex(dialog.schedule.findData(mode))
        dialog.dosage_form.setCurrentIndex(2)
        assert duplicate_mnemonics(dialog) == {}, mode
        assert unnamed_inputs(dialog) == []
    dialog.close()


def test_tab_order_follows_reading_order(qtbot, page, margaret):
    page.run_search()
    page.activateWindow()
    page.search.setFocus()
    qtbot.waitUntil(page.search.hasFocus)
    order = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [
        page.born,
        page.add_button,
        page.patient_table,
        page.correct_button,
        page.new_rx_button,
        page.rx_table,
    ]


def test_the_window_opens_patients_with_ctrl_2(qtbot, context, pharmacist, margaret):
    from ldn_desktop.ui.main_window import PAGES, MainWindow

    assert [p.title for p in PAGES[:3]] == ["Calculate", "Patients", "Batches"]
    window = MainWindow(context)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.sign_in_as(pharmacist)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_title == "Patients"
    # Alt+letters on the page are unique with the window's menus (File, Go, Help).
    assert duplicate_mnemonics(window) == {}
    window.close()


def test_choosing_a_patient_by_keyboard_enables_their_actions(qtbot, page, margaret):
    """Tab into the list, then Down: the first patient is chosen and their actions open."""
    page.run_search()
    page.patient_table.clearSelection()
    page.patient_table.setCurrentIndex(QModelIndex())
    with qtbot.waitActive(page):
        page.activateWindow()
    page.add_button.setFocus()
    qtbot.keyClick(page.add_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.patient_table
    assert page.current_patient is None and not page.correct_button.isEnabled()
    qtbot.keyClick(page.patient_table, Qt.Key.Key_Down)
    assert page.current_patient == margaret
    assert page.correct_button.isEnabled() and page.new_rx_button.isEnabled()
    assert page.patient_heading.text() == margaret.name


def test_space_chooses_the_marked_patient(qtbot, page, margaret):
    """A row can be current (marked) without being chosen; Space chooses it, and the
    patient's details and actions follow (they stayed on "No patient selected")."""
    page.run_search()
    table = page.patient_table
    table.clearSelection()
    table.selectionModel().setCurrentIndex(
        page.patients.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    assert page.current_patient is None and not page.correct_button.isEnabled()
    with qtbot.waitActive(page):
        page.activateWindow()
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert page.current_patient == margaret
    assert page.correct_button.isEnabled() and page.new_rx_button.isEnabled()
    assert page.patient_heading.text() == margaret.name


def test_tab_passes_the_date_written_in_one_press(qtbot, context, margaret):
    """A date edit stepped Tab through year, month and day: three presses for one field."""
    dialog = PrescriptionDialog(context, margaret)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.prescriber.setFocus()
    order = []
    for _ in range(2):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [dialog.written_on, dialog.dosage_form]
    dialog.close()
