from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.dose_text import (
    balance_places,
    count_text,
    dose_text,
    format_number,
    mass_text,
    mcg_text,
    mg_text,
    short_dose_text,
    strength_text,
    volume_text,
    weighing_text,
)


@pytest.mark.parametrize(
    ("mg", "text"),
    [
        (Decimal("4.5"), "4.5 mg"),
        (Decimal("3.0"), "3 mg"),
        (Decimal("1"), "1 mg"),
        (Decimal("0.5"), "500 mcg (0.5 mg)"),
        (Decimal(".25"), "250 mcg (0.25 mg)"),
        (Decimal("0.01"), "10 mcg (0.01 mg)"),
        (Decimal("0.0005"), "0.5 mcg"),
        (Decimal("1500"), "1,500 mg"),
    ],
)
def test_doses_follow_ismp(mg: Decimal, text: str) -> None:
    assert dose_text(mg) == text


def test_short_dose_text_uses_one_unit() -> None:
    assert short_dose_text(Decimal("0.25")) == "250 mcg"
    assert short_dose_text(Decimal("4.5")) == "4.5 mg"
    assert short_dose_text(Decimal(0)) == "0 mg"


def test_masses_volumes_strengths_and_counts() -> None:
    assert mass_text(Decimal("6448.4809")) == "6,448.5 mg"
    assert mass_text(Decimal("151.519"), 3) == "151.519 mg"
    assert mg_text(Decimal("0.75")) == "0.75 mg"
    assert mcg_text(Decimal("0.01")) == "10 mcg"
    assert volume_text(Decimal("103.50")) == "103.5 mL"
    assert volume_text(Decimal("0.333333")) == "0.33 mL"
    assert strength_text(Decimal("1.0"), "mL") == "1 mg/mL"
    assert strength_text(Decimal(10), "g") == "10 mg/g"
    assert count_text(1, "capsule") == "1 capsule"
    assert count_text(33, "capsule") == "33 capsules"
    assert count_text(Decimal(1000), "label") == "1,000 labels"
    assert count_text(2, "batch", "batches") == "2 batches"


def test_a_strength_is_per_ml_or_per_g_only() -> None:
    with pytest.raises(ValueError, match="per mL or per g"):
        strength_text(Decimal(1), "cc")


def test_format_number_rounds_half_up_and_never_says_minus_zero() -> None:
    assert format_number(Decimal("0.05"), 1) == "0.1"
    assert format_number(Decimal("-0.001"), 2) == "0"
    assert format_number(Decimal("2.50"), 2) == "2.5"
    with pytest.raises(ValueError, match="cannot show"):
        format_number(Decimal("NaN"), 2)


@given(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(50), places=4))
def test_dose_text_never_breaks_ismp_rules(mg: Decimal) -> None:
    text = dose_text(mg)
    for number in re.findall(r"[\d,]*\.?\d+", text):
        assert not number.startswith("."), text
        if "." in number:
            assert not number.endswith("0"), text
    assert "µg" not in text and "cc" not in text
    assert re.search(r"\d(mg|mcg)", text) is None, text  # a space before the unit
    assert text.endswith(("mg", "mcg", "mg)"))


@given(st.decimals(allow_nan=False, allow_infinity=False), st.integers(0, 4))
def test_format_number_never_fails_on_a_finite_number(value: Decimal, places: int) -> None:
    text = format_number(value, places)
    assert text and "E" not in text and not text.startswith(".")
    if "." in text:
        assert not text.endswith("0")


_MG = re.compile(r"([\d,]+(?:\.\d+)?) mg")
_MCG = re.compile(r"([\d,]+(?:\.\d+)?) mcg")


@given(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(50), places=4))
def test_every_accepted_dose_is_written_exactly_in_each_unit(mg: Decimal) -> None:
    """A dose the safety checks accept (0.1 mcg steps) is never rounded for display:
    each figure in the text reads back as exactly the dose, in mg and in mcg."""
    text = dose_text(mg)
    for figure in _MG.findall(text):
        assert Decimal(figure.replace(",", "")) == mg, text
    for figure in _MCG.findall(text):
        assert Decimal(figure.replace(",", "")) == mg * 1000, text
    assert _MG.findall(text) or _MCG.findall(text)


@pytest.mark.parametrize(
    ("mg", "text"),
    [
        ("0.9995", "999.5 mcg (0.9995 mg)"),
        ("0.0015", "1.5 mcg (0.0015 mg)"),
        ("1.0005", "1.0005 mg"),
    ],
)
def test_doses_near_a_rounding_edge_keep_every_digit(mg: str, text: str) -> None:
    assert dose_text(Decimal(mg)) == text


@pytest.mark.parametrize(
    ("readability", "places"),
    [("1", 0), ("0.1", 1), ("0.01", 2), ("0.001", 3), ("0.10", 1), ("1E+1", 0), ("0.5", 1)],
)
def test_a_balance_shows_the_places_of_its_readability(readability: str, places: int) -> None:
    assert balance_places(Decimal(readability)) == places


@pytest.mark.parametrize("readability", ["0", "-0.1", "NaN", "Infinity"])
def test_a_balance_that_cannot_exist_has_no_places(readability: str) -> None:
    with pytest.raises(ValueError, match="readability"):
        balance_places(Decimal(readability))


@pytest.mark.parametrize(
    ("mg", "readability", "text"),
    [
        ("15.30495", "0.01", "15.3 mg"),  # the balance shows 15.30: no trailing zero written
        ("15.305", "0.01", "15.31 mg"),  # half-up, not to the even 15.30
        ("15.30495", "0.1", "15.3 mg"),
        ("151.5", "1", "152 mg"),  # a 1 mg balance cannot show tenths
        ("151.5", "0.1", "151.5 mg"),  # the DOMAIN.md example on the default balance
        ("6448.5", "0.1", "6,448.5 mg"),
        ("6448.45", "0.1", "6,448.5 mg"),
        ("0.8205", "0.001", "0.821 mg"),
    ],
)
def test_a_weighing_is_written_to_the_balance_places(mg: str, readability: str, text: str) -> None:
    assert weighing_text(Decimal(mg), Decimal(readability)) == text


@given(
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal(100_000), places=8),
    st.sampled_from(["1", "0.1", "0.01", "0.001"]),
)
def test_any_weighing_reads_as_the_balance_would_show_it(mg: Decimal, readability: str) -> None:
    """The text is the weight rounded half-up to the balance's step, with no more places than
    the balance shows and no trailing zero (the app never writes one: docs/calculations.md)."""
    d = Decimal(readability)
    text = weighing_text(mg, d)
    number = text.removesuffix(" mg")
    assert number != text and " " not in number
    places = len(number.partition(".")[2])
    assert places <= balance_places(d)
    assert not number.endswith("0") or "." not in number
    assert not number.startswith(".")
    shown = Decimal(number.replace(",", ""))
    assert shown == mg.quantize(d, rounding=ROUND_HALF_UP)
    assert abs(shown - mg) <= d / 2
