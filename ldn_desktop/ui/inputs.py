"""Unit-aware input fields: a number always travels with its unit, never bare.

Each field gives the core the text a pharmacist would write ("4.5mg", "250mcg",
"1mg/mL", "0.25mL", "10%"); the core's `quantities` module reads it and refuses what
it cannot read. The fields hold no rules: they only keep the unit next to the number.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

# Digits, one point, optional thousands commas: what a person types as a number.
_NUMBER_PATTERN = r"^\s*[0-9][0-9,]*(\.[0-9]*)?\s*$|^\s*\.[0-9]+\s*$|^$"


def _number_edit(accessible_name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    edit.setPlaceholderText(placeholder)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    from PySide6.QtCore import QRegularExpression

    edit.setValidator(QRegularExpressionValidator(QRegularExpression(_NUMBER_PATTERN), edit))
    edit.setMinimumWidth(90)
    return edit


class QuantityField(QWidget):
    """A number with a unit chosen from a short list (or one fixed unit shown beside it)."""

    changed = Signal()

    def __init__(
        self,
        name: str,
        units: tuple[str, ...],
        *,
        value: str = "",
        unit: str | None = None,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.number = _number_edit(name, placeholder)
        self.number.setText(value)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.number, 1)
        self.unit_box: QComboBox | None = None
        self._fixed_unit = units[0]
        if len(units) > 1:
            box = QComboBox()
            box.addItems(list(units))
            box.setAccessibleName(f"{name} unit")
            box.setCurrentText(unit or units[0])
            box.currentTextChanged.connect(lambda _t: self.changed.emit())
            layout.addWidget(box)
            self.unit_box = box
        else:
            label = QLabel(units[0])
            label.setAccessibleName(f"{name} unit: {units[0]}")
            label.setMinimumWidth(40)
            layout.addWidget(label)
        self.number.textChanged.connect(lambda _t: self.changed.emit())
        self.setFocusProxy(self.number)

    @property
    def unit(self) -> str:
        return self.unit_box.currentText() if self.unit_box is not None else self._fixed_unit

    def set_value(self, number: str, unit: str | None = None) -> None:
        self.number.setText(number)
        if unit is not None and self.unit_box is not None:
            self.unit_box.setCurrentText(unit)

    def is_empty(self) -> bool:
        return not self.number.text().strip()

    def text(self) -> str:
        """What the pharmacist wrote, with its unit: '4.5mg', '1mg/mL', '10%'."""
        return f"{self.number.text().strip()}{self.unit}"


def dose_field(name: str = "Dose", value: str = "", unit: str = "mg") -> QuantityField:
    """A dose with an mg/mcg selector: the core refuses a dose without a unit."""
    return QuantityField(name, ("mg", "mcg"), value=value, unit=unit, placeholder="e.g. 4.5")


def strength_field(
    name: str = "Strength", per: tuple[str, ...] = ("mg/mL",), value: str = ""
) -> QuantityField:
    return QuantityField(name, per, value=value, placeholder="e.g. 1")


def volume_field(name: str, value: str = "") -> QuantityField:
    return QuantityField(name, ("mL",), value=value, placeholder="e.g. 0.25")


def mass_field(name: str, value: str = "", units: tuple[str, ...] = ("mg",)) -> QuantityField:
    return QuantityField(name, units, value=value)


def percent_field(name: str, value: str = "") -> QuantityField:
    return QuantityField(name, ("%",), value=value)


def count_field(name: str, value: int, minimum: int = 0, maximum: int = 100_000) -> QSpinBox:
    """A whole count (capsules, days): a spin box, so it can only be a whole number."""
    box = QSpinBox()
    box.setAccessibleName(name)
    box.setRange(minimum, maximum)
    box.setValue(value)
    box.setGroupSeparatorShown(True)
    box.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return box


def choice_field(
    name: str, choices: list[tuple[str, str]], current: str | None = None
) -> QComboBox:
    """A closed list: (shown text, value the core understands)."""
    box = QComboBox()
    box.setAccessibleName(name)
    for text, value in choices:
        box.addItem(text, value)
    if current is not None:
        index = box.findData(current)
        if index >= 0:
            box.setCurrentIndex(index)
    return box
