"""The wallet ID card: credit-card size (ISO/IEC 7810 ID-1, 85.6 × 54 mm), front and back.

Patients on LDN are told to carry identification saying so, to alert medical staff in an
emergency (DOMAIN.md precautions; seeds 000, 002): naltrexone blocks opioid medicines, so
opioid pain relief may not work. The front says who the patient is, the dose and whom to
call; the back says what it means in an emergency. Text shrinks to a floor size, then
wraps; if it still cannot fit, `DoesNotFit` names what did not: nothing is clipped.
Numbers become text only through ldn_desktop.core.dose_text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color, black, white
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ldn_desktop.core.dose_text import dose_text
from ldn_desktop.documents.data import IdCardData
from ldn_desktop.documents.fit import (
    ASCENT_EM,
    LEADING,
    DoesNotFit,
    Paragraph,
    sizes,
    wrap_words,
)
from ldn_desktop.documents.fonts import BOLD, REGULAR, register_fonts, text_width
from ldn_desktop.documents.wording import date_text, prescription_drug_line
from ldn_desktop.paths import resource_path

# ISO/IEC 7810 ID-1, the size of a payment card: fits every wallet's card slot.
CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm
PAD = 3.2 * mm
BAND = 10 * mm  # the red band across the top of each side
SIZE_STEP = 0.5
ALERT_RED = Color(0.72, 0.04, 0.04)
NOT_VERIFIED = "NOT VERIFIED — DO NOT ISSUE"

HEADLINE = "I take low-dose naltrexone (LDN)"
BACK_HEADLINE = "In an emergency"


def emergency_points() -> tuple[str, ...]:
    """What opioid pain relief means for someone on LDN, one point a line, with its
    sources: resources/idcard/emergency.txt (clinical text lives in resources, not code)."""
    text = resource_path("idcard", "emergency.txt").read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@dataclass(frozen=True)
class Group:
    """Paragraphs printed at one size, largest first, never below the floor; a group
    `at_bottom` sits on the card's bottom edge (the contacts), the others from the top."""

    paragraphs: tuple[Paragraph, ...]
    largest: float
    floor: float
    bullets: bool = False
    at_bottom: bool = False
    one_line_first: bool = False  # shrink (to the floor) before wrapping, as labels do


@dataclass(frozen=True)
class CardSide:
    headline: str
    groups: tuple[Group, ...]
    name: str  # "front", "back", for the error message


def card_dose_text(p: IdCardData) -> str:
    """'Dose: 4.5 mg a day'; a titration: 'Dose: 1.5 mg a day, increasing to 4.5 mg'."""
    if p.titration and p.titration[0].dose_mg != p.dose_mg:
        first = dose_text(p.titration[0].dose_mg)
        return f"Dose: {first} a day, increasing to {dose_text(p.dose_mg)}"
    return f"Dose: {dose_text(p.dose_mg)} a day"


def _contact(role: str, name: str, phone: str) -> str:
    # A phone number never breaks across lines: its spaces are non-breaking.
    return f"{role}: {name}" + (f" ·{NBSP}{phone.replace(' ', NBSP)}" if phone else "")


def sides(p: IdCardData) -> tuple[CardSide, CardSide]:
    front = CardSide(
        HEADLINE,
        (
            Group((Paragraph(p.patient.name, BOLD, "patient name"),), 13, 7),
            Group(
                (
                    Paragraph(f"Born {date_text(p.patient.dob)}", REGULAR, "date of birth"),
                    Paragraph(card_dose_text(p), BOLD, "dose"),
                    Paragraph(prescription_drug_line(p), REGULAR, "medicine"),
                ),
                9,
                6,
            ),
            Group(
                (
                    Paragraph(
                        _contact("Prescriber", p.prescriber.name, p.prescriber.phone),
                        REGULAR,
                        "prescriber",
                    ),
                    Paragraph(
                        _contact("Pharmacy", p.pharmacy.name, p.pharmacy.phone),
                        REGULAR,
                        "pharmacy",
                    ),
                ),
                7.5,
                5.5,
                at_bottom=True,
                one_line_first=True,
            ),
        ),
        "front",
    )
    back = CardSide(
        BACK_HEADLINE,
        (
            Group(
                tuple(Paragraph(t, REGULAR, "emergency text") for t in emergency_points()),
                8.5,
                6,
                bullets=True,
            ),
        ),
        "back",
    )
    return front, back


@dataclass(frozen=True)
class PlacedText:
    text: str
    font: str
    size: float
    x: float
    baseline: float


@dataclass(frozen=True)
class SidePlan:
    headline: str
    headline_size: float
    lines: tuple[PlacedText, ...]


BULLET = "•"
NBSP = "\u00a0"
GROUP_GAP = 3.0  # points between groups
BULLET_GAP = 0.3  # extra space between bullet points, em


def _headline_size(text: str, width: float) -> float:
    for size in sizes(12, 7):
        if text_width(text, BOLD, size) <= width:
            return size
    raise DoesNotFit(f"the card's headline {text!r} does not fit at 7 pt")


def _set_group(group: Group, size: float, width: float) -> list[PlacedText] | str:
    """The group's lines at one size, relative to its top (baselines negative), or the
    name of a paragraph with a word wider than the card."""
    if group.one_line_first:
        size = next(
            (
                s
                for s in sizes(size, group.floor)
                if all(text_width(p.text, p.font, s) <= width for p in group.paragraphs)
            ),
            size,
        )
    indent = text_width(BULLET + " ", REGULAR, size) if group.bullets else 0.0
    placed: list[PlacedText] = []
    top = 0.0
    for n, paragraph in enumerate(group.paragraphs):
        lines = _wrap(paragraph.text, paragraph.font, size, width - indent)
        if lines is None:
            return paragraph.name
        if group.bullets:
            top -= BULLET_GAP * size if n else 0.0
            placed.append(PlacedText(BULLET, REGULAR, size, 0.0, top - ASCENT_EM * size))
        for text in lines:
            placed.append(PlacedText(text, paragraph.font, size, indent, top - ASCENT_EM * size))
            top -= size * LEADING
    return placed


def _wrap(text: str, font: str, size: float, width: float) -> list[str] | None:
    """Greedy word wrap at ordinary spaces only (fit.wrap would also break at a
    non-breaking space); None if one word is wider than the line. An empty text is one
    empty line."""
    lines = wrap_words(re.split(r"[ \t\n]+", text.strip(" \t\n")), font, size, width)
    return None if lines is None else lines or [""]


def _height(group: Group, lines: list[PlacedText]) -> float:
    size = lines[0].size  # a group is set at one size (perhaps below the step's)
    gaps = BULLET_GAP * size * (len(group.paragraphs) - 1) if group.bullets else 0.0
    bullets = len(group.paragraphs) if group.bullets else 0
    return (len(lines) - bullets) * size * LEADING + gaps


def plan_side(side: CardSide) -> SidePlan:
    """The largest sizes at which every group fits the side, all groups shrinking together
    half a point a step down to their floors; refuses (naming the longest text) if even the
    floors do not fit."""
    register_fonts()
    width = CARD_WIDTH - 2 * PAD
    height = CARD_HEIGHT - BAND - 2 * PAD
    paragraphs = [p for g in side.groups for p in g.paragraphs]
    step = 0
    while True:
        chosen = [max(g.floor, g.largest - step * SIZE_STEP) for g in side.groups]
        at_floor = chosen == [g.floor for g in side.groups]
        set_groups = [
            _set_group(g, size, width) for g, size in zip(side.groups, chosen, strict=True)
        ]
        too_wide = next((lines for lines in set_groups if isinstance(lines, str)), None)
        if too_wide is not None:
            if at_floor:
                raise DoesNotFit(f"the {too_wide} has a word too long for the wallet card")
        else:
            fitted = [lines for lines in set_groups if not isinstance(lines, str)]
            heights = [_height(g, lines) for g, lines in zip(side.groups, fitted, strict=True)]
            if sum(heights) + GROUP_GAP * (len(heights) - 1) <= height:
                return _place(side, fitted, heights, width)
            if at_floor:
                longest = max(paragraphs, key=lambda p: len(p.text)).name
                raise DoesNotFit(
                    f"the wallet card's {side.name} cannot hold its text even at the "
                    f"smallest sizes: shorten the {longest}"
                )
        step += 1


def _place(
    side: CardSide, set_groups: list[list[PlacedText]], heights: list[float], width: float
) -> SidePlan:
    top = CARD_HEIGHT - BAND - PAD
    bottom = PAD
    placed: list[PlacedText] = []
    for group, lines, h in zip(side.groups, set_groups, heights, strict=True):
        origin = bottom + h if group.at_bottom else top
        placed += [
            PlacedText(t.text, t.font, t.size, PAD + t.x, origin + t.baseline) for t in lines
        ]
        if group.at_bottom:
            bottom += h + GROUP_GAP
        else:
            top -= h + GROUP_GAP
    return SidePlan(side.headline, _headline_size(side.headline, width), tuple(placed))


def _draw_side(canvas: Canvas, plan: SidePlan, proof: bool) -> None:
    w, h = CARD_WIDTH, CARD_HEIGHT
    canvas.setFillColor(ALERT_RED)
    canvas.rect(0, h - BAND, w, BAND, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont(BOLD, plan.headline_size)
    canvas.drawString(PAD, h - BAND / 2 - 0.35 * plan.headline_size, plan.headline)
    canvas.setFillColor(black)
    for line in plan.lines:
        canvas.setFont(line.font, line.size)
        canvas.drawString(line.x, line.baseline, line.text)
    # A thin outline to cut along.
    canvas.setStrokeColor(Color(0.6, 0.6, 0.6))
    canvas.setLineWidth(0.4)
    canvas.roundRect(0.2, 0.2, w - 0.4, h - 0.4, 3 * mm, stroke=1, fill=0)
    if proof:
        _draw_proof_mark(canvas)


def _draw_proof_mark(canvas: Canvas) -> None:
    """Diagonal across the white part under the band (red on the red band would vanish)."""
    w, h = CARD_WIDTH, CARD_HEIGHT - BAND
    canvas.saveState()
    diagonal = math.hypot(w, h)
    # The text's band must clear the corners: leave about a text height per unit of slope
    # (as on the label's proof mark).
    slope = w / h
    size = min(12.0, 0.9 * diagonal / (text_width(NOT_VERIFIED, BOLD, 1) + 1.2 * slope))
    canvas.translate(w / 2, h / 2)
    canvas.rotate(math.degrees(math.atan2(h, w)))
    canvas.setFillColor(ALERT_RED)
    canvas.setFillAlpha(0.55)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(0, -0.35 * size, NOT_VERIFIED)
    canvas.restoreState()


def render_idcard(data: IdCardData, out: str | Path) -> int:
    """Write the card (front, then back: two pages of 85.6 × 54 mm); returns 2.

    Both sides are planned before anything is written, so a card that does not fit leaves
    no file behind. A prescription not yet verified prints as a marked proof only.
    """
    plans: Sequence[SidePlan] = [plan_side(side) for side in sides(data)]
    # initialFontName: else every page names Helvetica (not embedded) as its starting font.
    canvas = Canvas(
        str(out), pagesize=(CARD_WIDTH, CARD_HEIGHT), invariant=1, initialFontName=REGULAR
    )
    canvas.setTitle(f"LDN wallet card: {data.patient.name}")
    canvas.setAuthor(data.pharmacy.name)
    canvas.setCreator("LDN Desktop")
    for plan in plans:
        _draw_side(canvas, plan, proof=not data.verified)
        canvas.showPage()
    canvas.save()
    return len(plans)
