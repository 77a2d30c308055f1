"""Reading doses, masses, volumes and strengths typed by a person, exactly.

Every value is a `Decimal`; masses are held in milligrams, volumes in millilitres.
A number without a unit is refused: "4.5" could be mg or mcg, and guessing is how a
1,000-fold error reaches a patient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ldn_desktop.core.findings import InputRefused

MCG_PER_MG = Decimal(1000)
MG_PER_G = Decimal(1000)

# Units a mass may be written in, and how many mg one of each is.
_MASS_UNITS: dict[str, Decimal] = {
    "mg": Decimal(1),
    "mcg": Decimal("0.001"),
    "ug": Decimal("0.001"),
    "µg": Decimal("0.001"),
    "μg": Decimal("0.001"),
    "g": MG_PER_G,
}
_VOLUME_UNITS: dict[str, Decimal] = {"ml": Decimal(1), "l": Decimal(1000)}

_NUMBER = r"[+-]?(?:[\d,]+(?:\.\d*)?|\.\d+)"
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_QUANTITY = re.compile(rf"^\s*(?P<num>{_NUMBER})\s*(?P<unit>[^\d\s].*?)?\s*$")


def parse_decimal(text: str | int | float | Decimal, field: str) -> Decimal:
    """A plain finite number from text, refusing NaN, infinity and garbage."""
    if isinstance(text, Decimal):
        value = text
    else:
        raw = repr(text) if isinstance(text, float) else str(text).strip()
        if "," in raw:
            if not _THOUSANDS.match(raw):
                raise InputRefused(field, f"'{raw}' is ambiguous: use a point for decimals")
            raw = raw.replace(",", "")
        try:
            value = Decimal(raw)
        except (InvalidOperation, ValueError):
            raise InputRefused(field, f"'{text}' is not a number") from None
    if not value.is_finite():
        raise InputRefused(field, f"'{text}' is not a finite number")
    return value


def _split(text: str, field: str, what: str) -> tuple[Decimal, str]:
    if not isinstance(text, str):
        raise InputRefused(field, f"{what} must be written with its unit, e.g. '4.5mg'")
    match = _QUANTITY.match(text)
    if match is None:
        raise InputRefused(field, f"'{text}' is not a {what} (write it like '4.5mg')")
    raw_num = match.group("num")
    if "," in raw_num and not _THOUSANDS.match(raw_num):
        # "4,5mg" could be a decimal comma or a typo: refuse rather than guess.
        raise InputRefused(field, f"'{raw_num}' is ambiguous: use a point for decimals")
    value = parse_decimal(raw_num, field)
    unit = (match.group("unit") or "").strip()
    return value, unit


def parse_mass_mg(text: str, field: str = "dose") -> Decimal:
    """A mass such as '4.5mg', '250 mcg' or '1.5 g', in mg. A bare number is refused."""
    value, unit = _split(text, field, "mass")
    if not unit:
        raise InputRefused(
            field, f"'{text.strip()}' has no unit: write mg or mcg (e.g. '{value}mg')"
        )
    factor = _MASS_UNITS.get(unit.lower() if unit not in ("µg", "μg") else unit)
    if factor is None:
        raise InputRefused(field, f"'{unit}' is not a unit of mass here (use mg or mcg)")
    return value * factor


def parse_volume_ml(text: str, field: str = "volume") -> Decimal:
    """A volume such as '0.25mL' or '100 mL', in mL. 'cc' is refused (ISMP)."""
    value, unit = _split(text, field, "volume")
    if not unit:
        raise InputRefused(field, f"'{text.strip()}' has no unit: write mL (e.g. '{value}mL')")
    factor = _VOLUME_UNITS.get(unit.lower())
    if factor is None:
        raise InputRefused(field, f"'{unit}' is not a unit of volume here (use mL)")
    return value * factor


@dataclass(frozen=True)
class Strength:
    """A concentration: mg of naltrexone HCl per mL, or per g of a cream base."""

    mg: Decimal
    per: str  # "mL" or "g"

    @property
    def text_unit(self) -> str:
        return f"mg/{self.per}"


def parse_strength(text: str, field: str = "strength") -> Strength:
    """A strength such as '1mg/mL', '3 mg/ml', '10mg/g' or '500mcg/mL'."""
    if not isinstance(text, str) or "/" not in text:
        raise InputRefused(field, f"'{text}' is not a strength (write it like '1mg/mL')")
    amount, _, per = text.partition("/")
    mg = parse_mass_mg(amount, field)
    per_clean = per.strip().lower()
    if per_clean == "ml":
        return Strength(mg, "mL")
    if per_clean == "g":
        return Strength(mg, "g")
    raise InputRefused(field, f"'{per.strip()}' is not mL or g in the strength '{text}'")


def parse_percent(text: str | Decimal, field: str) -> Decimal:
    """'99.5', '99.5%' -> Decimal('99.5') (a percentage, not a fraction)."""
    raw = text.strip().removesuffix("%").strip() if isinstance(text, str) else text
    return parse_decimal(raw, field)


def decimal_str(value: Decimal) -> str:
    """An exact Decimal for JSON and storage: no exponent, no trailing zeros ('3', '82', '0.6').

    Not for people: doses shown to people go through `dose_text`.
    """
    if not value.is_finite():
        raise ValueError(f"{value} is not a finite number")
    if value == 0:
        return "0"
    text = f"{value:f}"  # exact: normalize() would round to the context's precision
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
