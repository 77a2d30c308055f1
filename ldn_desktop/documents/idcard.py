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
    DoesNotFit,
    Line,
    Paragraph,
    block_height,
    fit_block,
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
    """Paragraphs printed at one size: largest first, never below the floor."""

    paragraphs: tuple[Paragraph, ...]
    largest: float
    floor: float


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
    return f"{role}: {name}" + (f", tel. {phone}" if phone else "")


def sides(p: IdCardData) -> tuple[CardSide, CardSide]:
    front = CardSide(
        HEADLINE,
        (
            Group((Paragraph(p.patient.name, BOLD, "patient name"),), 11, 7),
            Group(
                (
                    Paragraph(f"Born {date_text(p.patient.dob)}", REGULAR, "date of birth"),
                    Paragraph(card_dose_text(p), BOLD, "dose"),
                    Paragraph(prescription_drug_line(p), REGULAR, "medicine"),
                ),
                8,
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
                7,
                5.5,
            ),
        ),
        "front",
    )
    back = CardSide(
        BACK_HEADLINE,
        (
            Group(
                tuple(Paragraph(f"• {t}", REGULAR, "emergency text") for t in emergency_points()),
                7.5,
                6,
            ),
        ),
        "back",
    )
    return front, back


@dataclass(frozen=True)
class SidePlan:
    headline: str
    headline_size: float
    lines: tuple[tuple[Line, ...], ...]  # one tuple per group


GROUP_GAP = 2.2  # points between groups


def _headline_size(text: str, width: float) -> float:
    size = 10.0
    while text_width(text, BOLD, size) > width:
        size -= SIZE_STEP
        if size < 7:
            raise DoesNotFit(f"the card's headline {text!r} does not fit at 7 pt")
    return size


def plan_side(side: CardSide) -> SidePlan:
    """The largest sizes at which every group fits the side; shrinking all groups together."""
    register_fonts()
    width = CARD_WIDTH - 2 * PAD
    height = CARD_HEIGHT - BAND - 2 * PAD
    failed = side.name
    step = 0
    while True:
        sizes = [max(g.floor, g.largest - step * SIZE_STEP) for g in side.groups]
        fitted: list[tuple[Line, ...]] = []
        for group, size in zip(side.groups, sizes, strict=True):
            lines = fit_block(group.paragraphs, size, group.floor, width)
            if isinstance(lines, str):
                raise DoesNotFit(
                    f"the {lines} has a word too long for the wallet card ({side.name})"
                )
            fitted.append(tuple(lines))
        total = sum(block_height(lines) for lines in fitted)
        total += GROUP_GAP * (len(fitted) - 1)
        if total <= height:
            return SidePlan(side.headline, _headline_size(side.headline, width), tuple(fitted))
        if all(size == g.floor for g, size in zip(side.groups, sizes, strict=True)):
            longest = max(
                (line_count, name)
                for lines, group in zip(fitted, side.groups, strict=True)
                for name, line_count in [(group.paragraphs[0].name, len(lines))]
            )
            failed = longest[1]
            raise DoesNotFit(
                f"the wallet card's {side.name} cannot hold its text even at the smallest "
                f"sizes (the {failed} takes {longest[0]} lines): shorten the {failed}"
            )
        step += 1


def _draw_side(canvas: Canvas, plan: SidePlan, proof: bool) -> None:
    w, h = CARD_WIDTH, CARD_HEIGHT
    canvas.setFillColor(ALERT_RED)
    canvas.rect(0, h - BAND, w, BAND, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont(BOLD, plan.headline_size)
    canvas.drawString(PAD, h - BAND / 2 - 0.35 * plan.headline_size, plan.headline)
    canvas.setFillColor(black)
    top = h - BAND - PAD
    for group in plan.lines:
        for line in group:
            canvas.setFont(line.font, line.size)
            canvas.drawString(PAD, top - ASCENT_EM * line.size, line.text)
            top -= line.height
        top -= GROUP_GAP
    # A thin outline to cut along.
    canvas.setStrokeColor(Color(0.6, 0.6, 0.6))
    canvas.setLineWidth(0.4)
    canvas.roundRect(0.2, 0.2, w - 0.4, h - 0.4, 3 * mm, stroke=1, fill=0)
    if proof:
        _draw_proof_mark(canvas)


def _draw_proof_mark(canvas: Canvas) -> None:
    w, h = CARD_WIDTH, CARD_HEIGHT
    canvas.saveState()
    diagonal = math.hypot(w, h)
    size = min(12.0, 0.85 * diagonal / text_width(NOT_VERIFIED, BOLD, 1))
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
    canvas = Canvas(str(out), pagesize=(CARD_WIDTH, CARD_HEIGHT), invariant=1)
    canvas.setTitle(f"LDN wallet card: {data.patient.name}")
    canvas.setAuthor(data.pharmacy.name)
    canvas.setCreator("LDN Desktop")
    for plan in plans:
        _draw_side(canvas, plan, proof=not data.verified)
        canvas.showPage()
    canvas.save()
    return len(plans)
