"""What the four calculators share: fields with their findings beside them, a result panel.

A form reads its fields into the core's order (the core's `quantities` module reads each
typed quantity), asks the core for the plan, and shows what the core returned: the
figures (already written by `dose_text`), the findings next to the fields they name, and
the worked steps. A field left empty is a prompt, not an error. The form holds no rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.core.findings import Finding, InputRefused, Severity, has_stop
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.findings_view import FindingList, with_findings
from ldn_desktop.ui.inputs import QuantityField


@dataclass(frozen=True)
class Figure:
    """One headline figure of a result: its caption, the value, an optional detail line."""

    caption: str
    value: str
    detail: str = ""


def _clear(layout: QGridLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()


class Incomplete(Exception):
    """A required field is still empty: the result panel says what to enter next."""

    def __init__(self, field: str, prompt: str) -> None:
        super().__init__(prompt)
        self.field = field
        self.prompt = prompt


def refusal_finding(refused: InputRefused) -> Finding:
    """An input the core refused, shown like a STOP next to the field it names."""
    message = refused.message[:1].upper() + refused.message[1:]
    return Finding("input-refused", Severity.STOP, message, refused.field)


class ResultPanel(QFrame):
    """The figures, the findings that concern no single field, the working, Start a batch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        heading = QLabel("Result")
        heading.setObjectName("sectionTitle")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("muted")
        self.status.setAccessibleName("Result status")
        self.figures = QGridLayout()
        self.figures.setHorizontalSpacing(18)
        self.figures.setVerticalSpacing(10)
        self._figure_labels: dict[str, QLabel] = {}
        self.table_title = QLabel()
        self.table_title.setObjectName("sectionTitle")
        self.table_title.setWordWrap(True)
        self.table_title.hide()
        self.table = QGridLayout()
        self.table.setHorizontalSpacing(18)
        self.table.setVerticalSpacing(4)
        self.findings = FindingList()
        self.working_button = QPushButton("Show wor&king")
        self.working_button.setCheckable(True)
        self.working_button.setAccessibleName("Show working")
        self.working = QListWidget()
        self.working.setAccessibleName("Worked steps")
        self.working.setWordWrap(True)
        self.working.setAlternatingRowColors(True)
        self.working.setVisible(False)
        self.working.setMinimumHeight(160)
        self.working_button.toggled.connect(self._toggle_working)
        self.start_button = QPushButton("Start a &batch")
        self.start_button.setAccessibleName("Start a batch")
        self.start_button.setToolTip("Carry this calculation into a new batch (Ctrl+Enter)")
        self.start_button.setEnabled(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.working_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(self.status)
        layout.addLayout(self.figures)
        layout.addWidget(self.table_title)
        layout.addLayout(self.table)
        layout.addWidget(self.findings)
        layout.addLayout(buttons)
        layout.addWidget(self.working, 1)
        layout.addStretch(0)

    def _toggle_working(self, shown: bool) -> None:
        self.working.setVisible(shown)
        self.working_button.setText("Hide wor&king" if shown else "Show wor&king")

    def show_figures(self, figures: Sequence[Figure]) -> None:
        """Headline figures in two columns: caption, value, and a smaller detail line."""
        _clear(self.figures)
        self._figure_labels = {}
        columns = 2
        for index, figure in enumerate(figures):
            row, col = divmod(index, columns)
            box = QVBoxLayout()
            cap = QLabel(figure.caption)
            cap.setObjectName("resultCaption")
            val = QLabel(figure.value)
            val.setObjectName("resultFigure")
            val.setWordWrap(True)
            val.setAccessibleName(figure.caption)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(cap)
            box.addWidget(val)
            if figure.detail:
                detail = QLabel(figure.detail)
                detail.setWordWrap(True)
                detail.setAccessibleName(f"{figure.caption}, detail")
                box.addWidget(detail)
            box.addStretch(1)
            holder = QWidget()
            holder.setLayout(box)
            self.figures.addWidget(holder, row, col, Qt.AlignmentFlag.AlignTop)
            self._figure_labels[figure.caption] = val
        for col in range(columns):
            self.figures.setColumnStretch(col, 1)

    def show_table(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        """A short two-column list under the figures (every weighing, the phases)."""
        _clear(self.table)
        self.table_title.setText(title)
        self.table_title.setVisible(bool(rows))
        for index, (left, right) in enumerate(rows):
            what = QLabel(left[:1].upper() + left[1:])
            what.setWordWrap(True)
            amount = QLabel(right)
            amount.setObjectName("tableFigure")
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            amount.setAccessibleName(left)
            amount.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.table.addWidget(what, index, 0)
            self.table.addWidget(amount, index, 1)
        self.table.setColumnStretch(0, 1)

    def table_rows(self) -> list[tuple[str, str]]:
        rows = []
        for index in range(self.table.rowCount()):
            left = self.table.itemAtPosition(index, 0)
            right = self.table.itemAtPosition(index, 1)
            if left is not None and right is not None:
                rows.append((left.widget().text(), right.widget().text()))
        return rows

    def figure(self, caption: str) -> str | None:
        label = self._figure_labels.get(caption)
        return label.text() if label is not None else None

    def figure_captions(self) -> list[str]:
        return list(self._figure_labels)

    def show_steps(self, steps: Iterable[str]) -> None:
        self.working.clear()
        for number, step in enumerate(steps, start=1):
            self.working.addItem(f"{number}. {step}")

    def steps(self) -> list[str]:
        return [self.working.item(i).text() for i in range(self.working.count())]


class CalculatorForm(QWidget):
    """Base of the capsule, liquid, cream and titration forms.

    A subclass adds rows with `add_row`, and implements `read_order` (fields → the core's
    order, raising `Incomplete` or `InputRefused`), `calculate` (the core call) and
    `figures` (the plan's figures as captions and texts from `dose_text`).
    """

    title = ""
    can_start_batch = True
    plan_changed = Signal(object)  # the plan, or None while it cannot be calculated

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.plan: Any = None
        self._ready = False
        self._notes: dict[str, FindingList] = {}
        self._field_of: dict[str, str] = {}
        self._rows: dict[str, tuple[QLabel, QWidget]] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setVerticalSpacing(8)
        self.result = ResultPanel()
        self.result.start_button.setVisible(self.can_start_batch)
        self.result.start_button.clicked.connect(self.start_batch)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.activated.connect(self.start_batch)
        shortcut_enter = QShortcut(QKeySequence("Ctrl+Enter"), self)
        shortcut_enter.activated.connect(self.start_batch)

        inputs = QWidget()
        inputs_layout = QVBoxLayout(inputs)
        inputs_layout.setContentsMargins(0, 0, 8, 0)
        inputs_layout.addLayout(self.form)
        inputs_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inputs)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field
        scroll.setMinimumWidth(430)
        scroll.setMaximumWidth(560)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(20)
        layout.addWidget(scroll, 0)
        result_scroll = QScrollArea()
        result_scroll.setWidgetResizable(True)
        result_scroll.setFrameShape(QFrame.Shape.NoFrame)
        result_scroll.setWidget(self.result)
        result_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        result_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(result_scroll, 1)
        context.settings_changed.connect(lambda _s: self.recalculate())

    # -- building --------------------------------------------------------------------------
    def add_row(self, key: str, label: str, widget: QWidget, fields: Sequence[str] = ()) -> None:
        """A labelled row whose findings (for `key` and the core `fields`) show beneath it."""
        holder, notes = with_findings(widget)
        notes.setAccessibleName(f"Findings for {label.replace('&', '')}")
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, holder)
        self._notes[key] = notes
        self._rows[key] = (caption, holder)
        for name in (key, *fields):
            self._field_of[name] = key
        self._connect_changes(widget)

    def set_row_visible(self, key: str, visible: bool) -> None:
        caption, holder = self._rows[key]
        caption.setVisible(visible)
        holder.setVisible(visible)

    def _connect_changes(self, widget: QWidget) -> None:
        if isinstance(widget, QuantityField):
            widget.changed.connect(self.recalculate)
            return
        for signal_name in ("valueChanged", "currentIndexChanged", "toggled", "textChanged"):
            signal = getattr(widget, signal_name, None)
            if signal is not None:
                signal.connect(self.recalculate)
                return
        for child in widget.findChildren(QWidget):
            if child.parent() is widget:
                self._connect_changes(child)

    # -- subclasses ------------------------------------------------------------------------
    def read_order(self) -> Any:
        raise NotImplementedError

    def calculate(self, order: Any) -> Any:
        raise NotImplementedError

    def figures(self, plan: Any) -> list[Figure]:
        raise NotImplementedError

    def table(self, plan: Any) -> tuple[str, list[tuple[str, str]]]:
        """An optional list under the figures: (title, rows)."""
        return "", []

    # -- helpers for subclasses ------------------------------------------------------------
    @staticmethod
    def require(field: QuantityField, key: str, prompt: str) -> str:
        if field.is_empty():
            raise Incomplete(key, prompt)
        return field.text()

    # -- calculating -----------------------------------------------------------------------
    def ready(self) -> None:
        """Call at the end of a subclass's __init__: from now on every change recalculates."""
        self._ready = True
        self.recalculate()

    def recalculate(self) -> None:
        """Read the fields, ask the core, show its answer. Runs on every keystroke."""
        if not self._ready:
            return
        findings: list[Finding] = []
        plan: Any = None
        prompt = ""
        try:
            plan = self.calculate(self.read_order())
        except Incomplete as missing:
            prompt = missing.prompt
        except InputRefused as refused:
            findings = [refusal_finding(refused)]
        else:
            findings = list(plan.findings)
        self.plan = plan
        self._show_findings(findings)
        if plan is None:
            self.result.show_figures([])
            self.result.show_table("", [])
            self.result.show_steps([])
            self.result.status.setText(prompt or "Not calculated: correct the input marked STOP.")
        else:
            self.result.show_figures(self.figures(plan))
            self.result.show_table(*self.table(plan))
            self.result.show_steps(plan.steps)
            self.result.status.setText(self._status_text(findings))
        self.result.start_button.setEnabled(plan is not None and not has_stop(findings))
        self.result.working_button.setVisible(plan is not None)
        self.result.working.setVisible(plan is not None and self.result.working_button.isChecked())
        self.plan_changed.emit(plan)

    def _status_text(self, findings: Sequence[Finding]) -> str:
        stops = sum(f.severity is Severity.STOP for f in findings)
        checks = sum(f.severity is Severity.WARNING for f in findings)
        if stops:
            return "Do not make this preparation as entered: see STOP."
        if checks:
            points = "1 point" if checks == 1 else f"{checks} points"
            return f"Calculated. {points} to check before going on."
        if not self.can_start_batch:
            return "Calculated."
        return "Calculated. Check the working before compounding."

    def _show_findings(self, findings: Sequence[Finding]) -> None:
        by_row: dict[str, list[Finding]] = {key: [] for key in self._notes}
        general: list[Finding] = []
        for finding in findings:
            key = self._field_of.get(finding.field or "")
            if key is not None and not self._rows[key][1].isHidden():
                by_row[key].append(finding)
            else:
                general.append(finding)
        for key, notes in self._notes.items():
            notes.show_findings(by_row[key])
        self.result.findings.show_findings(general)

    def notes_for(self, key: str) -> FindingList:
        return self._notes[key]

    def start_batch(self) -> None:
        """Hand the plan to the Batches page (only when it may be made)."""
        if not self.can_start_batch or not self.result.start_button.isEnabled():
            return
        self.context.request_start_batch(self.plan)
