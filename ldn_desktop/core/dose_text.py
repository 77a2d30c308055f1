"""The one place where numbers become text for people: screen, label, leaflet and record.

ISMP's list of error-prone abbreviations and the Joint Commission "Do Not Use" list:
- a leading zero before a decimal point (0.5 mg, never .5 mg);
- no trailing zero (3 mg, never 3.0 mg), which can be misread as 30 mg;
- "mcg", never "µg"; "mL", never "cc";
- a space between the number and its unit; thousands separators (1,000).
A dose below 1 mg is also given in mcg so the unit is never ambiguous (DOMAIN.md,
"Labels and dose writing").

Rounding happens here and only here (ROUND_HALF_UP, to the places each kind of
quantity is shown with). Calculations keep full Decimal precision.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from ldn_desktop.core.quantities import MCG_PER_MG

# How many decimal places each kind of quantity is shown with.
# 0.0001 mg = 0.1 mcg: the finest dose core.safety accepts (FINEST_DOSE_MG), so an accepted
# dose is never rounded for display ("999.5 mcg (1 mg)" would be a wrong number on a label).
DOSE_MG_PLACES = 4
DOSE_MCG_PLACES = 1
MASS_MG_PLACES = 1  # a mass that is not a weighing (a weighing: weighing_text)
VOLUME_ML_PLACES = 2  # mL per dose "to 0.01 mL" (issue 2)
STRENGTH_PLACES = 3

_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}
_CONTEXT = Context(prec=28)


def format_number(value: Decimal, places: int) -> str:
    """Round half-up to `places`, drop trailing zeros, keep the leading zero, group thousands.

    >>> format_number(Decimal("3.0"), 2)
    '3'
    >>> format_number(Decimal(".5"), 2)
    '0.5'
    >>> format_number(Decimal("6448.5"), 1)
    '6,448.5'
    """
    if not value.is_finite():
        raise ValueError(f"cannot show {value} as a number")
    quantum = _QUANTA.get(places) or Decimal(1).scaleb(-places)
    needed = value.adjusted() + places + 2
    # The default 28 digits would make quantize fail on a huge (mistyped) number, and the
    # refusal message must still be written: give it the precision it needs.
    context = _CONTEXT if needed <= _CONTEXT.prec else Context(prec=needed)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP, context=context)
    if rounded == 0:
        rounded = Decimal(0)  # never "-0"
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def mg_text(mg: Decimal, places: int = DOSE_MG_PLACES) -> str:
    """'4.5 mg', '0.5 mg', '1,485 mg'."""
    return f"{format_number(mg, places)} mg"


def mcg_text(mg: Decimal) -> str:
    """A mass given in mg, written in mcg: Decimal('0.25') -> '250 mcg'."""
    return f"{format_number(mg * MCG_PER_MG, DOSE_MCG_PLACES)} mcg"


def dose_text(mg: Decimal) -> str:
    """How a dose of naltrexone HCl is written everywhere.

    1 mg and above: '4.5 mg'. Below 1 mg: '500 mcg (0.5 mg)', the mcg first with the mg
    in brackets, so neither unit can be misread. Below 1 mcg the mg figure would round to
    nothing, so only mcg is shown.
    """
    if mg >= 1:
        return mg_text(mg)
    if mg < Decimal("0.001"):
        return mcg_text(mg)
    return f"{mcg_text(mg)} ({mg_text(mg)})"


def short_dose_text(mg: Decimal) -> str:
    """A dose where space is short (a table cell, a calendar): '4.5 mg', '250 mcg'."""
    if mg >= 1 or mg == 0:
        return mg_text(mg)
    return mcg_text(mg)


def mass_text(mg: Decimal, places: int = MASS_MG_PLACES) -> str:
    """A mass that is not put on the balance (a fill, a minimum weight): '6,600 mg'.

    An amount to weigh is written with weighing_text, to the pharmacy's balance."""
    return mg_text(mg, places)


def balance_places(readability_mg: Decimal) -> int:
    """The decimal places a balance of readability d shows: 1 mg → 0, 0.1 mg → 1, 0.01 mg → 2.

    Exact: from the digits of d itself (0.10 is 0.1; a 10 mg step shows whole mg)."""
    if not readability_mg.is_finite() or readability_mg <= 0:
        raise ValueError(f"a balance readability of {readability_mg} mg is not possible")
    exponent = readability_mg.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite, so never 'n', 'N' or 'F'
    return max(0, -exponent)


def weighing_text(mg: Decimal, readability_mg: Decimal) -> str:
    """An amount to put on the balance, to the places the balance shows, half-up:
    15.81511 mg on a 0.01 mg balance is '15.82 mg', 151.519 mg on a 1 mg balance '152 mg'.

    No trailing zero (15.30 is '15.3 mg'), like every number the app writes
    (docs/calculations.md, "Weighings and the balance")."""
    return mg_text(mg, balance_places(readability_mg))


def volume_text(ml: Decimal, places: int = VOLUME_ML_PLACES) -> str:
    """'4.5 mL', '0.25 mL', '103.5 mL'. Never 'cc'."""
    return f"{format_number(ml, places)} mL"


def strength_text(mg: Decimal, per: str) -> str:
    """'1 mg/mL', '0.5 mg/mL', '10 mg/g'."""
    if per not in ("mL", "g"):
        raise ValueError(f"a strength is per mL or per g, not per {per!r}")
    return f"{format_number(mg, STRENGTH_PLACES)} mg/{per}"


def count_text(n: int | Decimal, singular: str, plural: str | None = None) -> str:
    """'1 capsule', '33 capsules', '6 clicks', '1,000 labels'."""
    word = singular if n == 1 else (plural or singular + "s")
    return f"{format_number(Decimal(n), 2)} {word}"
