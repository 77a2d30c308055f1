"""The pharmacy's own figures the calculations depend on, each with a default and its source.

Where DOMAIN.md marks a figure `[check]` (sources disagree, or it could not be confirmed),
it lives here so a pharmacist can override it; the store keeps the pharmacy's values as
JSON (`to_dict` / `from_dict`) and the window edits them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.quantities import Strength, parse_decimal

CAPSULE_SIZES: tuple[str, ...] = ("000", "00", "0", "1", "2", "3", "4", "5")

# Capsule body fill volumes in mL by size [check] (Capsugel/Lonza hard-gelatin capsule size
# chart via DOMAIN.md; other suppliers differ: 00 0.91, 1 0.48, 5 0.10).
DEFAULT_CAPSULE_FILL_ML: Mapping[str, Decimal] = {
    "000": Decimal("1.37"),
    "00": Decimal("0.95"),
    "0": Decimal("0.68"),
    "1": Decimal("0.50"),
    "2": Decimal("0.37"),
    "3": Decimal("0.30"),
    "4": Decimal("0.21"),
    "5": Decimal("0.13"),
}

# Microcrystalline cellulose bulk (poured) density, g/mL [check]: Handbook of Pharmaceutical
# Excipients, 6th ed., "Cellulose, microcrystalline" (Avicel PH-101 about 0.32 g/cm³).
# Only the fallback when the pharmacy has no packing statistic for a size.
DEFAULT_FILLER_BULK_DENSITY = Decimal("0.32")

# USP <41> Balances: minimum weight = 2000 × s, with s at least 0.41 × d → 820 × d.
USP_41_MINIMUM_WEIGHT_FACTOR = Decimal(820)

# Topi-CLICK metered dispenser: designed to deliver 0.25 mL per click (DOMAIN.md) [check]:
# measured deliveries vary with the base, calibrate by weighing 10 clicks.
DEFAULT_CLICK_ML = Decimal("0.25")


def _strength_to_text(strength: Strength) -> str:
    return f"{strength.mg}mg/{strength.per}"


@dataclass(frozen=True)
class CalculationSettings:
    """Every pharmacy setting and `[check]` figure the calculations use."""

    # The balance's readability d (display step), mg. The pharmacy's own balance.
    balance_readability_mg: Decimal = Decimal("0.1")
    # USP <41>: minimum weight = 820 × d.
    minimum_weight_factor: Decimal = USP_41_MINIMUM_WEIGHT_FACTOR
    capsule_fill_ml: Mapping[str, Decimal] = field(
        default_factory=lambda: dict(DEFAULT_CAPSULE_FILL_ML)
    )
    # The pharmacy's packing statistics: measured mean net fill of filler-only capsules
    # per size, mg (DOMAIN.md "Capsules"). Empty: fall back to volume × bulk density.
    packing_mg: Mapping[str, Decimal] = field(default_factory=dict)
    filler_bulk_density_g_per_ml: Decimal = DEFAULT_FILLER_BULK_DENSITY
    # Filler density ÷ drug density; 1 is the usual equal-packing assumption (DOMAIN.md).
    filler_to_drug_density_ratio: Decimal = Decimal(1)
    click_ml: Decimal = DEFAULT_CLICK_ML
    # 1 mg/mL is the most common LDN oral liquid strength (DOMAIN.md, "Oral liquid").
    liquid_strength: Strength = field(default_factory=lambda: Strength(Decimal(1), "mL"))
    # 0.5 mg/mL is the most typical transdermal strength (DOMAIN.md, "Transdermal cream").
    cream_strength: Strength = field(default_factory=lambda: Strength(Decimal("0.5"), "mL"))
    # Smallest oral-liquid dose volume measured reliably with a 1 mL oral syringe, mL [check]:
    # below it a weaker strength is safer (the pharmacy's syringes decide).
    min_measurable_dose_ml: Decimal = Decimal("0.1")
    # Cream lost priming a new dispenser, mL [check]: no published figure, measure your own.
    cream_priming_ml: Decimal = Decimal(1)
    # Commercial naltrexone HCl tablets are 50 mg (DailyMed naltrexone label).
    tablet_mg: Decimal = Decimal(50)
    # Weighing tolerance, ± % of the planned weight [check]: the pharmacy's SOP decides.
    weighing_tolerance_percent: Decimal = Decimal(5)
    # LDN is 0.1 to 4.5 mg a day (LDN Research Trust dosing guide): above is a warning.
    usual_max_dose_mg: Decimal = Decimal("4.5")
    # 50 mg is the addiction dose of one commercial tablet (DailyMed): above is refused.
    absolute_max_dose_mg: Decimal = Decimal(50)
    # Stop LDN before planned surgery needing opioids: 2 to 3 days [check] (seeds 000-003).
    surgery_stop_days_min: int = 2
    surgery_stop_days_max: int = 3
    # Compounding records kept at least 3 years [check] (USP <795> record keeping, DOMAIN.md).
    record_retention_years: int = 3

    @property
    def minimum_weight_mg(self) -> Decimal:
        """USP <41> minimum weight for this balance: 820 × d (82 mg on a 0.1 mg balance)."""
        return self.minimum_weight_factor * self.balance_readability_mg

    def fill_mg_per_capsule(self, size: str) -> tuple[Decimal, str]:
        """Filler-only fill of one capsule of `size`, mg, and where the figure comes from."""
        if size not in self.capsule_fill_ml:
            raise InputRefused(
                "size", f"'{size}' is not a capsule size (use {', '.join(CAPSULE_SIZES)})"
            )
        if size in self.packing_mg:
            return self.packing_mg[size], f"packing statistic for size {size}"
        volume = self.capsule_fill_ml[size]
        mg = volume * self.filler_bulk_density_g_per_ml * 1000
        return mg, f"size {size} volume × filler bulk density"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: Decimals as exact strings, strengths as '1mg/mL'."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Decimal):
                out[f.name] = str(value)
            elif isinstance(value, Strength):
                out[f.name] = _strength_to_text(value)
            elif isinstance(value, Mapping):
                out[f.name] = {k: str(v) for k, v in value.items()}
            else:
                out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalculationSettings:
        """Read saved settings; keys not given keep their defaults, unknown keys are refused."""
        from ldn_desktop.core.quantities import parse_strength

        settings = cls()
        known = {f.name: f for f in fields(cls)}
        changes: dict[str, Any] = {}
        for key, raw in data.items():
            if key not in known:
                raise InputRefused(key, "is not a calculation setting")
            current = getattr(settings, key)
            if isinstance(current, int):
                number = parse_decimal(str(raw), key)
                if number != number.to_integral_value():
                    raise InputRefused(key, f"'{raw}' is not a whole number")
                changes[key] = int(number)
            elif isinstance(current, Decimal):
                changes[key] = parse_decimal(str(raw), key)
            elif isinstance(current, Strength):
                changes[key] = parse_strength(str(raw), key)
            else:
                if not isinstance(raw, Mapping):
                    raise InputRefused(key, "must be a table of capsule size to value")
                changes[key] = {str(k): parse_decimal(str(v), key) for k, v in raw.items()}
        result = replace(settings, **changes)
        result.validate()
        return result

    def validate(self) -> None:
        """Refuse settings no calculation can use (a zero balance, a negative density ...)."""
        positive = {
            "balance_readability_mg": self.balance_readability_mg,
            "minimum_weight_factor": self.minimum_weight_factor,
            "filler_bulk_density_g_per_ml": self.filler_bulk_density_g_per_ml,
            "filler_to_drug_density_ratio": self.filler_to_drug_density_ratio,
            "click_ml": self.click_ml,
            "min_measurable_dose_ml": self.min_measurable_dose_ml,
            "tablet_mg": self.tablet_mg,
            "usual_max_dose_mg": self.usual_max_dose_mg,
            "absolute_max_dose_mg": self.absolute_max_dose_mg,
            "liquid_strength": self.liquid_strength.mg,
            "cream_strength": self.cream_strength.mg,
        }
        for size, volume in self.capsule_fill_ml.items():
            positive[f"capsule_fill_ml[{size}]"] = volume
        for size, mg in self.packing_mg.items():
            positive[f"packing_mg[{size}]"] = mg
        for name, value in positive.items():
            if not value > 0:
                raise InputRefused(name, f"must be more than zero, not {value}")
        if self.cream_priming_ml < 0 or self.weighing_tolerance_percent < 0:
            raise InputRefused("settings", "priming loss and tolerance cannot be negative")
        if self.usual_max_dose_mg > self.absolute_max_dose_mg:
            raise InputRefused("usual_max_dose_mg", "is above the absolute maximum dose")
        if not 0 < self.surgery_stop_days_min <= self.surgery_stop_days_max:
            raise InputRefused("surgery_stop_days_min", "must be 1 or more and ≤ the maximum")
        if self.record_retention_years < 1:
            raise InputRefused("record_retention_years", "must be at least 1 year")


DEFAULT_SETTINGS = CalculationSettings()
