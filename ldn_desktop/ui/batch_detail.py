"""One compounding record, walked from draft to dispensed at the bench.

Draft: pick released lots (a barcode scanner types the lot number into the lot field and
presses Enter), record what was actually weighed (checked by the core against the plan's
tolerance; a weight outside it is weighed again or recorded with a deviation), then sign
as compounded with the password. Compounded: a different pharmacist signs the check with
their own name and password. Verified: print the label (a final label only after the
three-way check), then dispense. Any state before dispensed can be rejected with a reason.
The store decides every rule; this widget asks, shows and reports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.core.dose_text import format_number, volume_text, weighing_text
from ldn_desktop.core.findings import InputRefused, has_stop
from ldn_desktop.core.quantities import MG_PER_G, parse_decimal, parse_mass_mg, parse_volume_ml
from ldn_desktop.core.trituration import WeighingKind
from ldn_desktop.core.weighing import WeighingCheck, check_weighing
from ldn_desktop.documents import wording
from ldn_desktop.store.records import (
    Batch,
    BatchComponent,
    BatchState,
    Prescription,
    SignatureMeaning,
)
from ldn_desktop.ui.batch_model import STATE_WORDS, amount_text, date_text
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.dispensing import EARLIER_READABILITY_MG, batch_readability
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.findings_view import FindingList
from ldn_desktop.ui.inputs import QuantityField

WORKFLOW = (BatchState.DRAFT, BatchState.COMPOUNDED, BatchState.VERIFIED, BatchState.DISPENSED)


@dataclass(frozen=True)
class PlannedLine:
    """One thing the recorded calculation says to measure: what, how much, in which unit."""

    what: str
    planned: Decimal
    unit: str  # mg, mL, tablet
    kind: str = ""  # the core's WeighingKind value: drug, filler, intermediate ("" unknown)
    readability_mg: Decimal = EARLIER_READABILITY_MG  # the balance the plan was made for

    @property
    def intermediate(self) -> bool:
        """Made on the bench (a trituration's aliquot): weighed, but no lot to scan."""
        return self.kind == WeighingKind.INTERMEDIATE.value

    def text(self) -> str:
        lot = " (no lot: made on the bench)" if self.intermediate else ""
        amount = quantity_text(self.planned, self.unit, self.readability_mg)
        return f"{self.what} — {amount}{lot}"


def quantity_text(
    amount: Decimal, unit: str, readability_mg: Decimal = EARLIER_READABILITY_MG
) -> str:
    """A planned or weighed amount; mg as the batch's balance shows them."""
    if unit == "mg":
        return weighing_text(amount, readability_mg)
    if unit == "g":
        return f"{format_number(amount, 3)} g"
    if unit == "mL":
        return volume_text(amount)
    if unit == "tablet":
        return f"{format_number(amount, 0)} {'tablet' if amount == 1 else 'tablets'}"
    return f"{format_number(amount, 3)} {unit}"


def planned_lines(calculation: Any) -> tuple[PlannedLine, ...]:
    """The measurements the recorded calculation lists (the core's dict form)."""
    if not isinstance(calculation, dict):
        return ()
    d = batch_readability(calculation)
    lines: list[PlannedLine] = []
    for weighing in calculation.get("weighings") or ():
        what = str(weighing["what"])
        # Records made before weighings carried their kind: an aliquot is named "trituration N".
        kind = str(
            weighing.get("kind") or ("intermediate" if what.startswith("trituration") else "")
        )
        lines.append(PlannedLine(what, Decimal(str(weighing["mg"])), "mg", kind, d))
    if "batch_ml" in calculation:  # an oral liquid
        if calculation.get("tablets"):
            lines.append(
                PlannedLine(
                    "naltrexone HCl 50 mg tablets", Decimal(calculation["tablets"]), "tablet"
                )
            )
        if calculation.get("api_mg_to_weigh"):
            lines.append(
                PlannedLine(
                    "naltrexone HCl API",
                    Decimal(str(calculation["api_mg_to_weigh"])),
                    "mg",
                    readability_mg=d,
                )
            )
        lines.append(PlannedLine("vehicle", Decimal(str(calculation["batch_ml"])), "mL"))
    elif "mg_per_ml" in calculation:  # a cream
        lines.append(
            PlannedLine(
                "naltrexone HCl API",
                Decimal(str(calculation["drug_mg_total"])),
                "mg",
                readability_mg=d,
            )
        )
        lines.append(PlannedLine("cream base", Decimal(str(calculation["total_ml"])), "mL"))
    return tuple(lines)


def weighing_check(component: BatchComponent, settings: Any) -> WeighingCheck | None:
    """The core's tolerance check of a recorded weight (masses only), or None."""
    if component.actual is None or component.unit not in ("mg", "g") or component.actual <= 0:
        return None
    factor = MG_PER_G if component.unit == "g" else Decimal(1)
    return check_weighing(
        component.name,
        component.planned * factor,
        component.actual * factor,
        settings,
    )


def moment_text(moment: datetime) -> str:
    """'22 Nov 2026 14:03' in the pharmacy's local time (the day labels count in), with
    the documents' wording so the desktop's locale cannot change the month."""
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{wording.date_text(local.date())} {wording.time_text(local)}"


def printing_lines(batch: Batch, prescription: Prescription | None) -> tuple[str, ...]:
    """When the batch's final label was printed and reprinted, and the prescription's
    recorded first fill (day 1 of a titration), in plain words; only what is recorded."""
    lines: list[str] = []
    if batch.printed_at is not None:
        text = f"Label printed {moment_text(batch.printed_at)}"
        if batch.last_printed_at is not None and batch.last_printed_at != batch.printed_at:
            text += f", last reprinted {moment_text(batch.last_printed_at)}"
        lines.append(text)
    if prescription is not None and prescription.first_filled_on is not None:
        text = f"Prescription first filled {wording.date_text(prescription.first_filled_on)}"
        if prescription.titration:
            text += " (day 1 of the schedule)"
        if prescription.first_fill_batch_id == batch.id:
            text += ", by this batch"
        lines.append(text)
    return tuple(lines)


def ask_password(parent: QWidget, title: str, prompt: str) -> str | None:
    """The signed-in user's password again, to sign (21 CFR Part 11: signing is deliberate)."""
    text, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Password)
    return text if ok and text else None


class QualityCheckDialog(QDialog):
    """One quality check done on the preparation: what, the expected result, what was found."""

    def __init__(self, parent: QWidget | None, suggested: tuple[str, ...]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record a quality check")
        form = QFormLayout(self)
        self.check = QComboBox()
        self.check.setEditable(True)
        self.check.addItems(list(suggested))
        self.check.setAccessibleName("Quality check")
        self.expected = QLineEdit()
        self.expected.setAccessibleName("Expected result")
        self.result = QLineEdit()
        self.result.setAccessibleName("Result found")
        self.passed = QCheckBox("The result meets the expected result")
        form.addRow("&Check:", self.check)
        form.addRow("&Expected:", self.expected)
        form.addRow("&Result:", self.result)
        form.addRow("", self.passed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class SignatureDialog(QDialog):
    """A second person signs at this workstation: their user name and password."""

    def __init__(self, parent: QWidget | None, title: str, explanation: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        note = QLabel(explanation)
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setAccessibleName("Verifying pharmacist's user name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Verifying pharmacist's password")
        form.addRow("&User name:", self.username)
        form.addRow("&Password:", self.password)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign as verified")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_signature(parent: QWidget, title: str, explanation: str) -> tuple[str, str] | None:
    dialog = SignatureDialog(parent, title, explanation)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.username.text().strip(), dialog.password.text()


class BatchDetail(QWidget):
    """The open compounding record, with the actions its state allows."""

    changed = Signal(int)  # a write went through for this batch id
    print_requested = Signal(int)

    COMPONENT_HEADERS = ("Weighing", "Lot", "Expiry", "Planned", "Actual", "Check")
    CHECK_COLUMN = 5

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.batch: Batch | None = None
        self._lines: tuple[PlannedLine, ...] = ()

        self.title = QLabel("No batch open")
        self.title.setObjectName("pageTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel("Choose a batch in the table, or start one from Calculate.")
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        self.workflow = QLabel()
        self.workflow.setTextFormat(Qt.TextFormat.RichText)
        self.workflow.setAccessibleName("Batch progress")
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)

        # -- lots and weights --------------------------------------------------------------
        self.components_box = QGroupBox("Ingredient lots and weights")
        self.line_choice = QComboBox()
        self.line_choice.setAccessibleName("Planned measurement the lot is for")
        self.line_choice.currentIndexChanged.connect(self._line_chosen)
        self.lot_field = QLineEdit()
        self.lot_field.setAccessibleName("Lot number (scan or type, then Enter)")
        self.lot_field.setPlaceholderText("Scan the lot barcode or type the lot number")
        self.lot_field.returnPressed.connect(self.pick_lot)
        self.add_lot_button = QPushButton("&Add lot")
        self.add_lot_button.clicked.connect(self.pick_lot)
        self.components = QTableWidget(0, len(self.COMPONENT_HEADERS))
        self.components.setAccessibleName("Lots used in this batch")
        self.components.setHorizontalHeaderLabels(list(self.COMPONENT_HEADERS))
        self.components.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.components.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.components.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.components.verticalHeader().hide()
        self.components.setAlternatingRowColors(True)
        header = self.components.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.components.setMinimumHeight(120)
        self.actual_field = QuantityField("Actual amount", ("mg", "g", "mL", "tablet"))
        self.actual_field.number.returnPressed.connect(self.record_weight)
        self.record_button = QPushButton("&Record amount")
        self.record_button.clicked.connect(self.record_weight)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_component)
        self.weighing_findings = FindingList()

        grid = QGridLayout(self.components_box)
        for_label = QLabel("F&or:")
        for_label.setBuddy(self.line_choice)
        grid.addWidget(for_label, 0, 0)
        grid.addWidget(self.line_choice, 0, 1, 1, 3)
        lot_label = QLabel("&Lot number:")
        lot_label.setBuddy(self.lot_field)
        grid.addWidget(lot_label, 1, 0)
        grid.addWidget(self.lot_field, 1, 1, 1, 2)
        grid.addWidget(self.add_lot_button, 1, 3)
        grid.addWidget(self.components, 2, 0, 1, 4)
        actual_label = QLabel("Amount &weighed:")
        actual_label.setBuddy(self.actual_field)
        grid.addWidget(actual_label, 3, 0)
        grid.addWidget(self.actual_field, 3, 1)
        grid.addWidget(self.record_button, 3, 2)
        grid.addWidget(self.remove_button, 3, 3)
        grid.addWidget(self.weighing_findings, 4, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        self._draft_only = (
            for_label,
            self.line_choice,
            lot_label,
            self.lot_field,
            self.add_lot_button,
            actual_label,
            self.actual_field,
            self.record_button,
            self.remove_button,
        )
        self.components.itemSelectionChanged.connect(self._component_selected)

        # -- deviations and signatures -----------------------------------------------------
        self.deviations = QListWidget()
        self.deviations.setAccessibleName("Deviations")
        self.deviations.setMaximumHeight(90)
        self.deviations.setWordWrap(True)
        self.add_deviation_button = QPushButton("Record a &deviation…")
        self.add_deviation_button.clicked.connect(self.add_deviation)
        self.signatures = QLabel()
        self.signatures.setWordWrap(True)
        self.signatures.setTextFormat(Qt.TextFormat.RichText)
        self.quality_checks = QListWidget()
        self.quality_checks.setAccessibleName("Quality checks")
        self.quality_checks.setMaximumHeight(90)
        self.quality_checks.setWordWrap(True)
        self.add_check_button = QPushButton("Record a &quality check…")
        self.add_check_button.clicked.connect(self.add_quality_check)
        self.records = records = QGroupBox("Quality checks, deviations and signatures")
        records_layout = QGridLayout(records)
        records_layout.addWidget(self.quality_checks, 0, 0)
        records_layout.addWidget(self.deviations, 0, 1)
        records_layout.addWidget(self.add_check_button, 1, 0, Qt.AlignmentFlag.AlignLeft)
        records_layout.addWidget(self.add_deviation_button, 1, 1, Qt.AlignmentFlag.AlignLeft)
        records_layout.addWidget(self.signatures, 2, 0, 1, 2)

        # -- actions -----------------------------------------------------------------------
        self.compounded_button = QPushButton("Sign &compounded…")
        self.compounded_button.setToolTip("Sign the batch as compounded by you (your password)")
        self.compounded_button.clicked.connect(self.sign_compounded)
        self.verify_button = QPushButton("&Verify…")
        self.verify_button.setToolTip(
            "A pharmacist who did not compound the batch signs the check (their password)"
        )
        self.verify_button.clicked.connect(self.verify)
        self.print_button = QPushButton("&Print label…")
        self.print_button.clicked.connect(self._ask_print)
        self.dispense_button = QPushButton("Di&spensed")
        self.dispense_button.setToolTip("Mark the batch handed to the patient")
        self.dispense_button.clicked.connect(self.dispense)
        self.reject_button = QPushButton("Re&ject…")
        self.reject_button.clicked.connect(self.reject)
        actions = QHBoxLayout()
        for button in (
            self.compounded_button,
            self.verify_button,
            self.print_button,
            self.dispense_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.reject_button)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.workflow)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(self.facts)
        layout.addWidget(self.components_box)
        layout.addWidget(records)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        bar = QFrame()
        bar.setObjectName("actionBar")
        bar.setLayout(actions)
        actions.setContentsMargins(16, 8, 16, 10)
        outer.addWidget(bar)
        QShortcut(QKeySequence("Ctrl+Shift+L"), self, activated=self.lot_field.setFocus)
        self.show_batch(None)

    # -- reading -------------------------------------------------------------------------
    def show_batch(self, batch_id: int | None) -> None:
        """Open a batch (re-read from the store), or show the empty state."""
        self.batch = None if batch_id is None else self.context.store.batch(batch_id)
        self._render()

    def reload(self) -> None:
        self.show_batch(self.batch.id if self.batch else None)

    def _render(self) -> None:
        batch = self.batch
        has = batch is not None
        for widget in (
            self.components_box,
            self.records,
            self.quality_checks,
            self.deviations,
            self.add_check_button,
            self.add_deviation_button,
        ):
            widget.setVisible(has)
        self.weighing_findings.show_findings(())
        if batch is None:
            self.title.setText("No batch open")
            self.subtitle.setText("Choose a batch in the table, or start one from Calculate.")
            self.workflow.clear()
            self.facts.clear()
            self.signatures.clear()
            for button in self._action_buttons():
                button.setEnabled(False)
                button.setVisible(False)
            return
        state_word = STATE_WORDS.get(batch.state, batch.state.value)
        self.title.setText(f"Batch {batch.lot_number} — {state_word}")
        who = (
            f"{batch.patient_name} · Rx {batch.rx_number}"
            if batch.prescription_id
            else "Stock batch (no prescription)"
        )
        self.subtitle.setText(f"{batch.formula_name} (version {batch.formula_version}) · {who}")
        self.workflow.setText(self._workflow_text(batch))
        bud = date_text(batch.bud)
        prescription = (
            self.context.store.prescription(batch.prescription_id)
            if batch.prescription_id
            else None
        )
        printing = "".join(f"<br>{_html(line)}" for line in printing_lines(batch, prescription))
        self.facts.setText(
            f"<b>Made:</b> {amount_text(batch.units_made, batch.unit)} &nbsp; "
            f"<b>Compounded on:</b> {date_text(batch.compounded_on)} &nbsp; "
            f"<b>BUD:</b> {bud} &nbsp; <b>Storage:</b> {_html(batch.storage) or '—'}"
            + printing
            + (
                f"<br><b>Rejected:</b> {_html(batch.reject_reason)}"
                if batch.state is BatchState.REJECTED
                else ""
            )
        )
        self._lines = planned_lines(batch.calculation)
        self.line_choice.clear()
        for planned in self._lines:
            self.line_choice.addItem(planned.text())
        self._choose_next_line()
        self._fill_components(batch)
        self.quality_checks.clear()
        for check in batch.quality_checks:
            mark = "✓" if check.passed else "✗ FAILED"
            self.quality_checks.addItem(
                f"{mark} {check.name}: {check.result}"
                + (f" (expected {check.expected})" if check.expected else "")
                + f" — {check.checked_by}"
            )
        if not batch.quality_checks:
            self.quality_checks.addItem("No quality checks recorded.")
        self.deviations.clear()
        for deviation in batch.deviations:
            self.deviations.addItem(
                f"{deviation.text}  — {deviation.recorded_by}, "
                f"{deviation.recorded_at:%Y-%m-%d %H:%M} UTC"
            )
        if not batch.deviations:
            self.deviations.addItem("No deviations recorded.")
        self.signatures.setText(self._signature_text(batch))
        draft = batch.state is BatchState.DRAFT
        for widget in self._draft_only:
            widget.setVisible(draft)
        # Only before signing: the store lets a check or a deviation be added to a compounded
        # batch, but that changes the signed record and voids the compounder's signature.
        self.add_check_button.setEnabled(draft)
        self.add_deviation_button.setEnabled(draft)
        self.add_check_button.setVisible(draft)
        self.add_deviation_button.setVisible(draft)
        self.compounded_button.setEnabled(draft)
        self.verify_button.setEnabled(batch.state is BatchState.COMPOUNDED)
        self.print_button.setEnabled(batch.state is not BatchState.REJECTED)
        self.print_button.setText(
            "&Print label…"
            if batch.state in (BatchState.VERIFIED, BatchState.DISPENSED)
            else "&Print proof…"
        )
        self.dispense_button.setEnabled(batch.state is BatchState.VERIFIED)
        self.reject_button.setEnabled(
            batch.state in (BatchState.DRAFT, BatchState.COMPOUNDED, BatchState.VERIFIED)
        )
        # Only what this state allows is offered: fewer buttons, no greyed-out puzzle.
        for button in self._action_buttons():
            button.setVisible(button.isEnabled())

    def _action_buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.compounded_button,
            self.verify_button,
            self.print_button,
            self.dispense_button,
            self.reject_button,
        )

    def _workflow_text(self, batch: Batch) -> str:
        palette = self.palette()
        dark = palette.window().color().lightness() < 128
        later = palette.color(QPalette.ColorRole.PlaceholderText).name()
        if batch.state is BatchState.REJECTED:
            red = "#ff8a80" if dark else "#b3261e"
            return f"<span style='color:{red}; font-weight:600'>Rejected</span>"
        reached = WORKFLOW.index(batch.state)
        parts = []
        for index, state in enumerate(WORKFLOW):
            word = STATE_WORDS[state]
            if index == reached:
                parts.append(f"<b>● {word}</b>")
            elif index < reached:
                parts.append(f"✓ {word}")
            else:
                parts.append(f"<span style='color:{later}'>○ {word}</span>")
        return " &nbsp;→&nbsp; ".join(parts)

    @staticmethod
    def _signature_text(batch: Batch) -> str:
        if not batch.signatures:
            return "<i>Not signed yet.</i>"
        rows = []
        for signature in batch.signatures:
            valid = "" if signature.valid else " <b>(no longer valid: changed after signing)</b>"
            rows.append(
                f"<b>{signature.meaning.value.capitalize()}</b> by "
                f"{_html(signature.printed_name)}, {signature.signed_at:%Y-%m-%d %H:%M} UTC"
                f"{valid}"
            )
        return "<br>".join(rows)

    def _fill_components(self, batch: Batch) -> None:
        settings = self.context.settings.calculation if self.context.settings else None
        d = batch_readability(batch.calculation)
        self.components.setRowCount(len(batch.components))
        for row, component in enumerate(batch.components):
            check = weighing_check(component, settings) if settings is not None else None
            if component.actual is None:
                check_text = "to weigh"
            elif check is None:
                check_text = "recorded"
            elif check.within_tolerance:
                check_text = f"✓ {format_number(check.deviation_percent, 1)} %"
            else:
                check_text = f"✗ {format_number(check.deviation_percent, 1)} %"
            tolerance = (
                f"Tolerance ± {format_number(check.tolerance_percent, 2)} % of the planned amount"
                if check is not None
                else ""
            )
            cells = (
                component.name,
                component.lot_number or "— (made here)",
                "—" if component.expiry is None else component.expiry.isoformat(),
                quantity_text(component.planned, component.unit, d),
                "—"
                if component.actual is None
                else quantity_text(component.actual, component.unit, d),
                check_text,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, component.id)
                if column == 1:
                    item.setToolTip(
                        "Made on the bench from the lots above: no lot of its own"
                        if component.intermediate
                        else f"Supplier: {component.supplier}"
                    )
                if column == self.CHECK_COLUMN and tolerance:
                    item.setToolTip(tolerance)
                if column >= 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.components.setItem(row, column, item)

    def _choose_next_line(self) -> None:
        """Point "For" at the first planned measurement no lot has been picked for yet."""
        if self.batch is None:
            return
        # A line is done when a weighing of that name (older records: that amount) exists;
        # the API and the trituration's aliquot can be the same amount.
        named = {(c.what, c.planned, c.unit) for c in self.batch.components if c.what}
        unnamed = {(c.planned, c.unit) for c in self.batch.components if not c.what}
        for index, planned in enumerate(self._lines):
            key = (planned.planned, planned.unit)
            if (planned.what, *key) not in named and key not in unnamed:
                self.line_choice.setCurrentIndex(index)
                return

    def _line_chosen(self) -> None:
        """An intermediate has no lot to scan: the lot field steps aside for it."""
        index = self.line_choice.currentIndex()
        intermediate = 0 <= index < len(self._lines) and self._lines[index].intermediate
        self.lot_field.setEnabled(not intermediate)
        self.lot_field.setPlaceholderText(
            "No lot: made on the bench from the lots above"
            if intermediate
            else "Scan the lot barcode or type the lot number"
        )
        self.add_lot_button.setText("&Add weighing" if intermediate else "&Add lot")

    def selected_component(self) -> BatchComponent | None:
        if self.batch is None:
            return None
        rows = self.components.selectionModel().selectedRows()
        if not rows:
            return None
        component_id = self.components.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((c for c in self.batch.components if c.id == component_id), None)

    def _component_selected(self) -> None:
        component = self.selected_component()
        if component is None:
            return
        unit = component.unit if component.unit in ("mg", "g", "mL", "tablet") else "mg"
        if self.actual_field.unit_box is not None:
            self.actual_field.unit_box.setCurrentText(unit)

    # -- writing -------------------------------------------------------------------------
    def _write(self, title: str, action: Any) -> bool:
        """Run one store write; refresh on success, explain on failure. True if it went through."""
        assert self.batch is not None
        try:
            self.batch = action()
        except Exception as exc:  # the store's refusals and faults become a dialog
            show_error(self, title, exc)
            self.reload()
            return False
        self._render()
        self.changed.emit(self.batch.id)
        self.context.notify_data_changed()
        return True

    def pick_lot(self) -> None:
        """The lot field's Enter (a scanner sends one): use that lot for the chosen line."""
        if self.batch is None or self.batch.state is not BatchState.DRAFT:
            return
        number = self.lot_field.text().strip()
        index = self.line_choice.currentIndex()
        intermediate = 0 <= index < len(self._lines) and self._lines[index].intermediate
        if not number and not intermediate:
            return
        if not 0 <= index < len(self._lines):
            QMessageBox.information(
                self, "Pick a lot", "This batch's calculation lists nothing to pick a lot for."
            )
            return
        planned = self._lines[index]
        batch_id, user, store = self.batch.id, self.context.user, self.context.store
        if intermediate:
            added = self._write(
                "Weighing not added",
                lambda: store.add_intermediate(
                    batch_id, planned.what, planned.planned, planned.unit, by=user
                ),
            )
        else:
            added = self._write(
                "Lot not added",
                lambda: store.add_component(
                    batch_id, number, planned.planned, planned.unit, what=planned.what, by=user
                ),
            )
        if added:
            self.lot_field.clear()
            self._choose_next_line()
            self.components.selectRow(self.components.rowCount() - 1)
        else:
            self.lot_field.selectAll()
        self.lot_field.setFocus()

    def _parse_actual(self, unit: str) -> Decimal:
        text = self.actual_field.text()
        if unit in ("mg", "g"):
            mg = parse_mass_mg(text, "amount weighed")
            return mg / MG_PER_G if unit == "g" else mg
        if unit == "mL":
            return parse_volume_ml(text, "volume measured")
        count = parse_decimal(self.actual_field.number.text(), "tablets")
        if count != count.to_integral_value():
            raise InputRefused("tablets", "tablets are counted whole")
        return count

    def record_weight(self) -> None:
        if self.batch is None:
            return
        component = self.selected_component()
        if component is None:
            QMessageBox.information(
                self, "Record amount", "Select the lot in the table, then type what was weighed."
            )
            return
        try:
            if self.actual_field.unit != component.unit:
                raise InputRefused(
                    "unit",
                    f"{component.name} is measured in {component.unit}, "
                    f"not {self.actual_field.unit}",
                )
            actual = self._parse_actual(component.unit)
        except InputRefused as refused:
            show_error(self, "Amount not recorded", refused)
            return
        weighed = replace(component, actual=actual)
        settings = self.context.settings.calculation if self.context.settings else None
        check = weighing_check(weighed, settings) if settings is not None else None
        findings = check.findings if check is not None else ()
        self.weighing_findings.show_findings(findings)
        batch_id, user = self.batch.id, self.context.user
        deviation: str | None = None
        if has_stop(findings):
            message = "\n".join(f.message for f in findings)
            choice = QMessageBox.warning(
                self,
                "Outside the tolerance",
                f"{message}\n\nWeigh again, or record this amount with a deviation?",
                QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Save,
                QMessageBox.StandardButton.Retry,
            )
            if choice != QMessageBox.StandardButton.Save:
                self.actual_field.number.selectAll()
                self.actual_field.number.setFocus()
                return
            reason, ok = QInputDialog.getMultiLineText(
                self, "Record a deviation", "What happened and why it is acceptable:", message
            )
            if not ok or not reason.strip():
                return
            deviation = reason
        # The weight and its deviation go in one store call: both are saved, or neither.
        if self._write(
            "Amount not recorded",
            lambda: self.context.store.record_actual(
                batch_id, component.id, actual, deviation=deviation, by=user
            ),
        ):
            self.actual_field.number.clear()
            self.weighing_findings.show_findings(findings)

    def remove_component(self) -> None:
        component = self.selected_component()
        if self.batch is None or component is None:
            return
        what = (
            component.name
            if component.intermediate
            else f"lot {component.lot_number} ({component.name})"
        )
        answer = QMessageBox.question(
            self,
            "Remove weighing",
            f"Remove {what} from this batch? The audit trail keeps that it was added.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        batch_id, user = self.batch.id, self.context.user
        self._write(
            "Not removed",
            lambda: self.context.store.remove_component(batch_id, component.id, by=user),
        )

    def add_quality_check(self) -> None:
        if self.batch is None:
            return
        try:
            suggested = self.context.store.formula(self.batch.formula_id).quality_checks
        except Exception:  # the suggestions are a convenience; the check can be typed
            suggested = ()
        dialog = QualityCheckDialog(self, tuple(suggested))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        batch_id, user = self.batch.id, self.context.user
        self._write(
            "Quality check not recorded",
            lambda: self.context.store.record_quality_check(
                batch_id,
                dialog.check.currentText(),
                dialog.expected.text(),
                dialog.result.text(),
                dialog.passed.isChecked(),
                by=user,
            ),
        )

    def add_deviation(self) -> None:
        if self.batch is None:
            return
        text, ok = QInputDialog.getMultiLineText(
            self, "Record a deviation", "What differed from the master formulation, and why:"
        )
        if not ok or not text.strip():
            return
        batch_id, user = self.batch.id, self.context.user
        self._write(
            "Deviation not recorded",
            lambda: self.context.store.add_deviation(batch_id, text, by=user),
        )

    def sign_compounded(self) -> None:
        if self.batch is None:
            return
        user = self.context.user
        password = ask_password(
            self,
            "Sign as compounded",
            f"{user.full_name}, enter your password to sign batch {self.batch.lot_number} "
            "as compounded by you:",
        )
        if password is None:
            return
        batch_id = self.batch.id
        self._write(
            "Not signed",
            lambda: self.context.store.mark_compounded(batch_id, by=user, password=password),
        )

    def verify(self) -> None:
        if self.batch is None:
            return
        compounded = self.batch.signature(SignatureMeaning.COMPOUNDED)
        by_whom = f" (compounded by {compounded.printed_name})" if compounded else ""
        answer = ask_signature(
            self,
            "Verify batch",
            f"Batch {self.batch.lot_number}{by_whom} is verified by a pharmacist who did not "
            "compound it. The verifying pharmacist signs with their own user name and password.",
        )
        if answer is None:
            return
        username, password = answer
        store, batch_id = self.context.store, self.batch.id

        def sign() -> Batch:
            verifier = store.authenticate(username, password)
            return store.verify_batch(batch_id, by=verifier, password=password)

        self._write("Not verified", sign)

    def _ask_print(self) -> None:
        if self.batch is not None:
            self.print_requested.emit(self.batch.id)

    def dispense(self) -> None:
        if self.batch is None:
            return
        if self.batch.printed_at is None:
            answer = QMessageBox.question(
                self,
                "Mark dispensed",
                f"No final label has been printed for batch {self.batch.lot_number}. "
                "Mark it dispensed anyway?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        batch_id, user = self.batch.id, self.context.user
        self._write("Not dispensed", lambda: self.context.store.mark_dispensed(batch_id, by=user))

    def reject(self) -> None:
        if self.batch is None:
            return
        reason, ok = QInputDialog.getMultiLineText(
            self,
            "Reject batch",
            f"Why is batch {self.batch.lot_number} rejected? (kept in the record)",
        )
        if not ok or not reason.strip():
            return
        batch_id, user = self.batch.id, self.context.user
        self._write(
            "Not rejected", lambda: self.context.store.reject_batch(batch_id, reason, by=user)
        )


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
