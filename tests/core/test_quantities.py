from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.quantities import (
    Strength,
    decimal_str,
    parse_decimal,
    parse_mass_mg,
    parse_percent,
    parse_strength,
    parse_volume_ml,
)


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("4.5mg", Decimal("4.5")),
        ("4.5 mg", Decimal("4.5")),
        (" 250 mcg ", Decimal("0.25")),
        ("250ug", Decimal("0.25")),
        ("250µg", Decimal("0.25")),
        ("250μg", Decimal("0.25")),
        ("1.5 g", Decimal("1500")),
        ("1,485 mg", Decimal("1485")),
        (".5mg", Decimal("0.5")),
        ("10 MCG", Decimal("0.01")),
    ],
)
def test_a_mass_is_read_exactly_in_mg(text: str, mg: Decimal) -> None:
    assert parse_mass_mg(text) == mg


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("4.5", "has no unit: write mg or mcg"),
        ("4,5mg", "ambiguous"),
        ("4.5 kg", "'kg' is not a unit of mass"),
        ("mg", "is not a mass"),
        ("", "is not a mass"),
        ("nan mg", "is not a mass"),
    ],
)
def test_a_mass_without_a_usable_unit_is_refused(text: str, says: str) -> None:
    with pytest.raises(InputRefused, match=says) as refused:
        parse_mass_mg(text, "dose")
    assert refused.value.field == "dose"


def test_a_mass_that_is_not_text_is_refused() -> None:
    with pytest.raises(InputRefused, match="written with its unit"):
        parse_mass_mg(4.5)  # type: ignore[arg-type]


def test_volumes_are_read_in_ml_and_cc_is_refused() -> None:
    assert parse_volume_ml("0.25mL") == Decimal("0.25")
    assert parse_volume_ml("1 L") == Decimal(1000)
    with pytest.raises(InputRefused, match="has no unit: write mL"):
        parse_volume_ml("5")
    with pytest.raises(InputRefused, match="'cc' is not a unit of volume"):
        parse_volume_ml("5 cc")


def test_strengths_per_ml_and_per_g() -> None:
    assert parse_strength("1mg/mL") == Strength(Decimal(1), "mL")
    assert parse_strength("500 mcg / ml") == Strength(Decimal("0.5"), "mL")
    assert parse_strength("10mg/g") == Strength(Decimal(10), "g")
    assert parse_strength("10mg/g").text_unit == "mg/g"
    with pytest.raises(InputRefused, match="not mL or g"):
        parse_strength("10mg/tsp")
    with pytest.raises(InputRefused, match="is not a strength"):
        parse_strength("10mg")
    with pytest.raises(InputRefused, match="has no unit"):
        parse_strength("10/mL")


def test_plain_numbers_and_percentages() -> None:
    assert parse_decimal("1,000", "x") == Decimal(1000)
    assert parse_decimal(0.1, "x") == Decimal("0.1")
    assert parse_decimal(Decimal("2"), "x") == Decimal(2)
    assert parse_decimal(3, "x") == Decimal(3)
    assert parse_percent("99.5%", "assay") == Decimal("99.5")
    assert parse_percent(Decimal("1.5"), "water") == Decimal("1.5")
    with pytest.raises(InputRefused, match="not a finite number"):
        parse_decimal(Decimal("Infinity"), "x")
    with pytest.raises(InputRefused, match="not a finite number"):
        parse_decimal("nan", "x")
    with pytest.raises(InputRefused, match="is not a number"):
        parse_decimal("four", "x")
    with pytest.raises(InputRefused, match="ambiguous"):
        parse_decimal("1,5", "x")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("3.0"), "3"),
        (Decimal("82.0"), "82"),
        (Decimal("1E+3"), "1000"),
        (Decimal("0.60"), "0.6"),
        (Decimal("-0.00"), "0"),
        (Decimal("151.5190"), "151.519"),
    ],
)
def test_decimal_str_is_exact_without_exponent_or_trailing_zeros(value: Decimal, text: str) -> None:
    assert decimal_str(value) == text
    assert Decimal(text) == value


def test_decimal_str_refuses_nan() -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        decimal_str(Decimal("NaN"))


@given(st.text(max_size=20))
def test_any_text_gives_a_mass_or_a_refusal(text: str) -> None:
    try:
        mg = parse_mass_mg(text)
    except InputRefused:
        return
    assert mg.is_finite()


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6))
def test_decimal_str_round_trips(value: Decimal) -> None:
    assert Decimal(decimal_str(value)) == value
    assert "E" not in decimal_str(value)
