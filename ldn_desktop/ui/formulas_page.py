"""Formulas: the master formulation records (the recipes) and every version of each.

A recipe is never edited in place: "Copy to a new version" opens the current version as a
draft; saving it (with the reason for the change) makes the next version, and the batches
made with the old one keep pointing at it, unchanged.
"""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.store.records import MasterFormulation
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.keyboard import focus_lands_on, tab_field_to_field


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def formula_html(formula: MasterFormulation) -> str:
    """The recipe as a pharmacist reads a master formulation record (USP <795> § 8)."""
    e = html.escape
    parts = [
        f"<h2 style='margin-bottom:2px'>{e(formula.name)}</h2>",
        f"<p style='color:gray; margin-top:0'>{e(formula.code)} · version {formula.version}"
        + (" (current)" if formula.current else " (replaced by a newer version)")
        + (f" · by {e(formula.created_by)}" if formula.created_by else "")
        + (f", {formula.created_at:%Y-%m-%d}" if formula.created_at else "")
        + "</p>",
        "<table cellspacing=0 cellpadding=3>",
        f"<tr><td><b>Dosage form</b></td><td>{e(formula.dosage_form)}</td></tr>",
        f"<tr><td><b>Strength</b></td><td>{e(formula.strength)}</td></tr>",
        f"<tr><td><b>Container</b></td><td>{e(formula.container) or '—'}</td></tr>",
        f"<tr><td><b>Storage</b></td><td>{e(formula.storage) or '—'}</td></tr>",
        f"<tr><td><b>BUD basis</b></td><td>{e(formula.bud_reference) or '—'}"
        f" ({e(formula.preparation_type)})</td></tr>",
    ]
    if formula.stability_days:
        parts.append(
            f"<tr><td><b>Stability data</b></td><td>{formula.stability_days} days: "
            f"{e(formula.stability_reference)}</td></tr>"
        )
    if formula.change_reason:
        parts.append(
            f"<tr><td><b>Why this version</b></td><td>{e(formula.change_reason)}</td></tr>"
        )
    parts.append("</table><h3>Components</h3>")
    parts.append(
        "<table border=1 cellspacing=0 cellpadding=4><tr>"
        "<th align=left>Ingredient</th><th align=left>Role</th><th align=left>Amount</th>"
        "<th align=left>Characteristics</th></tr>"
    )
    for c in formula.components:
        parts.append(
            f"<tr><td>{e(c.ingredient)}</td><td>{e(c.role)}</td><td>{e(c.amount)}</td>"
            f"<td>{e(c.characteristics)}</td></tr>"
        )
    parts.append("</table>")
    for heading, items in (
        ("Equipment", formula.equipment),
        ("Steps", formula.steps),
        ("Quality checks", formula.quality_checks),
    ):
        if items:
            tag = "ol" if heading == "Steps" else "ul"
            parts.append(f"<h3>{heading}</h3><{tag}>")
            parts.extend(f"<li>{e(item)}</li>" for item in items)
            parts.append(f"</{tag}>")
    return "".join(parts)


class NewVersionDialog(QDialog):
    """A copy of the current version to change; the reason for the change is required."""

    def __init__(self, formula: MasterFormulation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.formula = formula
        self.setWindowTitle(f"New version of {formula.name}")
        self.resize(640, 640)
        form = QFormLayout(self)
        self.name = QLineEdit(formula.name)
        self.name.setAccessibleName("Formula name")
        self.strength = QLineEdit(formula.strength)
        self.strength.setAccessibleName("Strength")
        self.container = QLineEdit(formula.container)
        self.container.setAccessibleName("Container")
        self.storage = QLineEdit(formula.storage)
        self.storage.setAccessibleName("Storage")
        self.equipment = QPlainTextEdit("\n".join(formula.equipment))
        self.equipment.setAccessibleName("Equipment, one a line")
        self.steps = QPlainTextEdit("\n".join(formula.steps))
        self.steps.setAccessibleName("Steps, one a line")
        self.checks = QPlainTextEdit("\n".join(formula.quality_checks))
        self.checks.setAccessibleName("Quality checks, one a line")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for the new version")
        self.reason.setPlaceholderText("Required: why this recipe changes")
        for edit in (self.equipment, self.checks):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(80)
        self.steps.setTabChangesFocus(True)
        form.addRow("&Name:", self.name)
        form.addRow("&Strength:", self.strength)
        form.addRow("&Container:", self.container)
        form.addRow("St&orage:", self.storage)
        form.addRow("&Equipment:", self.equipment)
        form.addRow("S&teps:", self.steps)
        form.addRow("&Quality checks:", self.checks)
        form.addRow("&Reason:", self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            f"Save as version {formula.version + 1}"
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def edited(self) -> MasterFormulation:
        return replace(
            self.formula,
            name=self.name.text().strip(),
            strength=self.strength.text().strip(),
            container=self.container.text().strip(),
            storage=self.storage.text().strip(),
            equipment=_lines(self.equipment.toPlainText()),
            steps=_lines(self.steps.toPlainText()),
            quality_checks=_lines(self.checks.toPlainText()),
        )


class FormulasPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        title = QLabel("Formulas")
        title.setObjectName("pageTitle")
        self.formulas = QListWidget()
        self.formulas.setAccessibleName("Master formulation records")
        self.formulas.setStyleSheet(
            "QListWidget::item { padding: 7px 8px; border-bottom: 1px solid palette(midlight); }"
        )
        self.formulas.setWordWrap(True)
        self.versions = QComboBox()
        self.versions.setAccessibleName("Version")
        self.viewer = QTextBrowser()
        self.viewer.setAccessibleName("Master formulation record")
        self.viewer.setOpenLinks(False)
        self.copy_button = QPushButton("&Copy to a new version…")
        self.copy_button.clicked.connect(self.copy_to_new_version)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.formulas)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        version_label = QLabel("&Version:")
        version_label.setBuddy(self.versions)
        top.addWidget(version_label)
        top.addWidget(self.versions)
        top.addStretch(1)
        top.addWidget(self.copy_button)
        right_layout.addLayout(top)
        right_layout.addWidget(self.viewer, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([300, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(splitter, 1)

        self.formulas.currentItemChanged.connect(lambda *_a: self._formula_chosen())
        self.versions.currentIndexChanged.connect(lambda _i: self._version_chosen())
        context.data_changed.connect(self.refresh)
        focus_lands_on(self, self.formulas)
        tab_field_to_field(self)
        self._versions: tuple[MasterFormulation, ...] = ()
        self.refresh()

    def refresh(self) -> None:
        code = self.current_code()
        self.formulas.blockSignals(True)
        self.formulas.clear()
        for formula in self.context.store.list_formulas():
            item = QListWidgetItem(f"{formula.name}\n{formula.dosage_form} · v{formula.version}")
            item.setData(Qt.ItemDataRole.UserRole, formula.code)
            item.setToolTip(formula.name)
            self.formulas.addItem(item)
            if formula.code == code:
                self.formulas.setCurrentItem(item)
        self.formulas.blockSignals(False)
        if self.formulas.currentItem() is None and self.formulas.count():
            self.formulas.setCurrentRow(0)
        else:
            self._formula_chosen()

    def current_code(self) -> str | None:
        item = self.formulas.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _formula_chosen(self) -> None:
        code = self.current_code()
        self._versions = self.context.store.formula_versions(code) if code else ()
        self.versions.blockSignals(True)
        self.versions.clear()
        for formula in self._versions:
            self.versions.addItem(
                f"Version {formula.version}" + (" (current)" if formula.current else ""),
                formula.id,
            )
        self.versions.setCurrentIndex(len(self._versions) - 1)
        self.versions.blockSignals(False)
        self._version_chosen()

    def shown_formula(self) -> MasterFormulation | None:
        index = self.versions.currentIndex()
        return self._versions[index] if 0 <= index < len(self._versions) else None

    def _version_chosen(self) -> None:
        formula = self.shown_formula()
        self.viewer.setHtml(formula_html(formula) if formula else "")
        self.copy_button.setEnabled(formula is not None)

    def copy_to_new_version(self) -> None:
        current = next((f for f in self._versions if f.current), None)
        if current is None:
            return
        dialog = NewVersionDialog(current, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        reason = dialog.reason.text().strip()
        if not reason:
            QMessageBox.warning(
                self, "Version not saved", "Say why the recipe changes: the reason is kept."
            )
            return
        self._save(dialog.edited(), reason)

    def _save(self, edited: MasterFormulation, reason: str) -> Any:
        try:
            saved = self.context.store.save_formula_version(
                edited, reason=reason, by=self.context.user
            )
        except Exception as exc:
            show_error(self, "Version not saved", exc)
            return None
        self.context.notify_data_changed()
        return saved
