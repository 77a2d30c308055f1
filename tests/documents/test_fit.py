"""Wrapping never parts a number from its unit."""

from __future__ import annotations

import itertools

import pytest

from ldn_desktop.documents.fit import words, wrap
from ldn_desktop.documents.fonts import REGULAR, register_fonts, text_width


def test_a_number_and_its_unit_are_one_word() -> None:
    text = "Apply 1 click, 750 mcg (0.75 mg), to skin; store at 2 °C to 8 °C, 30 capsules"
    assert words(text) == [
        "Apply",
        "1 click,",
        "750 mcg",
        "(0.75 mg),",
        "to",
        "skin;",
        "store",
        "at",
        "2 °C",
        "to",
        "8 °C,",
        "30 capsules",
    ]
    assert words("Rx 12 mL") == ["Rx", "12 mL"]
    assert words("days 1 to 14: take") == ["days", "1", "to", "14:", "take"]


@pytest.mark.parametrize("width_em", [6, 7, 8, 9, 10, 12, 15])
def test_wrapped_lines_never_end_with_a_dose_without_its_unit(width_em: int) -> None:
    register_fonts()
    text = "Days 1 to 7: Apply 1 click, 750 mcg (0.75 mg), to clean, dry skin at bedtime"
    lines = wrap(text, REGULAR, 10, width_em * 10)
    assert lines is not None and " ".join(lines) == text
    units = ("mcg", "mg", "(0.75", "click")
    for before, after in itertools.pairwise(lines):
        assert not (before[-1].isdigit() and after.startswith(units)), (before, after)
    for line in lines:
        assert text_width(line, REGULAR, 10) <= width_em * 10
