"""Fitting text into a fixed box: shrink to a floor size, then wrap, else refuse.

Nothing printed for a patient is ever silently clipped. A paragraph first keeps to one line
by shrinking (down to the floor size); if it cannot, it wraps at the size it was given; a
word that cannot fit a line even at the floor size, or a block that runs out of height,
raises `DoesNotFit` with a message saying what did not fit and where.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ldn_desktop.documents.fonts import text_width

LEADING = 1.18  # line height as a multiple of the font size
ASCENT_EM = 0.93  # DejaVu Sans ascent: the baseline sits this far below a line's top
SIZE_STEP = 0.5


class DoesNotFit(ValueError):
    """The document cannot hold its text at any allowed size: one clear line, no clipping."""


@dataclass(frozen=True)
class Paragraph:
    text: str
    font: str
    name: str  # what it is, for the error message ("patient name", "directions")


@dataclass(frozen=True)
class Line:
    text: str
    font: str
    size: float
    width: float

    @property
    def height(self) -> float:
        return self.size * LEADING


def sizes(largest: float, floor: float) -> list[float]:
    """largest, largest − 0.5, ..., floor (always including both ends)."""
    out = []
    size = largest
    while size > floor:
        out.append(size)
        size -= SIZE_STEP
    out.append(floor)
    return out


# A number and the unit after it stay on one line: "0.75" at a line's end and "mg)" at the
# next line's start can be misread (ISMP: the unit belongs with its number).
_UNIT = re.compile(r"^\(?(mg|mcg|mL|g|kg|°C|°F|clicks?|capsules?|days?|tablets?)\b")


def words(text: str) -> list[str]:
    """The text's words for wrapping, a number joined with the unit that follows it."""
    out: list[str] = []
    for word in text.split():
        if out and out[-1][-1:].isdigit() and _UNIT.match(word):
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


def wrap(text: str, font: str, size: float, width: float) -> list[str] | None:
    """Greedy word wrap, never between a number and its unit; None if a single word (or
    number with its unit) is wider than the line."""
    return wrap_words(words(text), font, size, width)


def wrap_words(tokens: Iterable[str], font: str, size: float, width: float) -> list[str] | None:
    """Greedy wrap of words already split; None if one of them is wider than the line."""
    lines: list[str] = []
    current = ""
    for word in tokens:
        if text_width(word, font, size) > width:
            return None
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font, size) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def fit_paragraph(
    paragraph: Paragraph, size: float, floor: float, width: float
) -> list[Line] | None:
    """One line at the largest size in [floor, size] that fits; else wrapped at `size`
    (or at a smaller size if a word is too wide); None if no size down to the floor works."""
    text = " ".join(paragraph.text.split())
    for candidate in sizes(size, floor):
        if text_width(text, paragraph.font, candidate) <= width:
            return [Line(text, paragraph.font, candidate, width)]
    for candidate in sizes(size, floor):
        wrapped = wrap(text, paragraph.font, candidate, width)
        if wrapped is not None:
            return [Line(t, paragraph.font, candidate, width) for t in wrapped]
    return None


def fit_block(
    paragraphs: Sequence[Paragraph], size: float, floor: float, width: float
) -> list[Line] | str:
    """All paragraphs' lines, or the name of the first paragraph that cannot fit the width."""
    lines: list[Line] = []
    for paragraph in paragraphs:
        fitted = fit_paragraph(paragraph, size, floor, width)
        if fitted is None:
            return paragraph.name
        lines.extend(fitted)
    return lines


def block_height(lines: Sequence[Line]) -> float:
    return sum(line.height for line in lines)
