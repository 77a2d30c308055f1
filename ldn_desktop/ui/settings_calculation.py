"""Settings the calculations use: balance, packing statistics, click volume, strengths.

Every figure is read with the core's `quantities` and checked by the core
(`CalculationSettings.from_dict`) before the store saves it; the defaults and their
sources live in `core/pharmacy_settings.py`.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from ldn_desktop.core.dose_text import format_number, mass_text
from ldn_desktop.core.pharmacy_settings import CAPSULE_SIZES, CalculationSettings
from ldn_desktop.core.quantities import (
    parse_mass_mg,
    parse_percent,
    parse_strength,
    parse_volume_ml,
)
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.inputs import (
    QuantityField,
    mass_field,
    percent_field,
    strength_field,
    volume_field,
)
from ldn_desktop.ui.settings_section import SettingsSection


def _number_text(value: Decimal) -> str:
    """A Decimal as it is typed back into a field (no thousands separators)."""
    return format_number(value, 6).replace(",", "")


class CalculationSection(SettingsSection):
    title = "Calculations"
    intro = (
        "The pharmacy's own figures. Each is checked before it is saved, and every change is "
        "kept in the audit trail. Leave a packing statistic empty to use the capsule's volume "
        "× the filler's bulk density."
    )
    action = "calculation-settings"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.balance = mass_field("Balance readability")
        self.minimum = QLabel()
        self.minimum.setObjectName("muted")
        self.minimum.setAccessibleName("Minimum weight on this balance")
        self.packing: dict[str, QuantityField] = {}
        packing = QWidget()
        grid = QGridLayout(packing)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        for index, size in enumerate(CAPSULE_SIZES):
            field = mass_field(f"Packing statistic, size {size}")
            self.packing[size] = field
            row, col = divmod(index, 2)
            label = QLabel(f"Size {size}")
            label.setBuddy(field.number)
            grid.addWidget(label, row, col * 2)
            grid.addWidget(field, row, col * 2 + 1)
        self.click = volume_field("Dispenser click volume")
        self.priming = volume_field("Cream priming loss")
        self.liquid_strength = strength_field("Default oral liquid strength")
        self.cream_strength = strength_field("Default cream strength", per=("mg/mL", "mg/g"))
        self.tolerance = percent_field("Weighing tolerance")

        self.add_row("balance_readability_mg", "&Balance readability", self.balance)
        self.form.addRow("", self.minimum)
        self.add_row("packing_mg", "&Packing statistics\n(filler-only fill)", packing)
        self.add_row("click_ml", "&Click volume", self.click)
        self.add_row("cream_priming_ml", "Cream pri&ming loss", self.priming)
        self.add_row("liquid_strength", "&Oral liquid strength", self.liquid_strength)
        self.add_row("cream_strength", "Cr&eam strength", self.cream_strength)
        self.add_row("weighing_tolerance_percent", "&Weighing tolerance (±)", self.tolerance)
        self.balance.changed.connect(self._show_minimum)
        self.load()

    def load(self) -> None:
        settings = self.current().calculation
        self.clear_notes()
        self.balance.set_value(_number_text(settings.balance_readability_mg))
        fallback = replace(settings, packing_mg={})
        for size, field in self.packing.items():
            value = settings.packing_mg.get(size)
            field.set_value("" if value is None else _number_text(value))
            mg, _source = fallback.fill_mg_per_capsule(size)
            field.number.setPlaceholderText(f"{mass_text(mg)} from volume")
        self.click.set_value(_number_text(settings.click_ml))
        self.priming.set_value(_number_text(settings.cream_priming_ml))
        self.liquid_strength.set_value(_number_text(settings.liquid_strength.mg))
        self.cream_strength.set_value(
            _number_text(settings.cream_strength.mg), settings.cream_strength.text_unit
        )
        self.tolerance.set_value(_number_text(settings.weighing_tolerance_percent))
        self.status.clear()
        self._show_minimum()

    def _show_minimum(self) -> None:
        """USP <41> minimum weight for the balance as typed (820 × d), from the core."""
        try:
            d = parse_mass_mg(self.balance.text(), "balance_readability_mg")
            minimum = replace(self.current().calculation, balance_readability_mg=d)
            text = f"Minimum weight (USP <41>): {mass_text(minimum.minimum_weight_mg)}"
        except Exception:  # an unreadable entry: the Save refusal explains it
            text = ""
        self.minimum.setText(text)

    def changes(self) -> CalculationSettings:
        """The fields as the core's settings, each quantity read with its unit and checked."""
        packing = {
            size: parse_mass_mg(field.text(), "packing_mg")
            for size, field in self.packing.items()
            if not field.is_empty()
        }
        settings = replace(
            self.current().calculation,
            balance_readability_mg=parse_mass_mg(self.balance.text(), "balance_readability_mg"),
            packing_mg=packing,
            click_ml=parse_volume_ml(self.click.text(), "click_ml"),
            cream_priming_ml=parse_volume_ml(self.priming.text(), "cream_priming_ml"),
            liquid_strength=parse_strength(self.liquid_strength.text(), "liquid_strength"),
            cream_strength=parse_strength(self.cream_strength.text(), "cream_strength"),
            weighing_tolerance_percent=parse_percent(
                self.tolerance.text(), "weighing_tolerance_percent"
            ),
        )
        # The core's own check, and the same round trip the store's reading will make.
        return CalculationSettings.from_dict(settings.to_dict())

    def save_to_store(self) -> None:
        checked = self.changes()
        self.context.store.set_calculation_settings(checked.to_dict(), by=self.context.user)
