"""The patient leaflet: what LDN is, how to take it, this patient's dose calendar, precautions.

The clinical words live in resources/leaflet/en.txt (written from the seed documents and
DOMAIN.md's precautions), never in code. This module only lays them out and fills in the
patient's own facts: names, dates, doses (through ldn_desktop.core.dose_text) and what to
measure for each dose (through ldn_desktop.core.directions).

Template format (one file, read top to bottom):
- `# Heading` starts a section; a blank line ends a paragraph;
- `- text` is a bullet; `**text**` is bold;
- `{name}` is one of the facts in `leaflet_facts`; an unknown name is refused;
- a line may start (after `- `) with conditions such as `[titration]`, `[no-titration]`,
  `[capsule]`, `[oral-liquid]`, `[cream]`, `[oral]` (capsule or liquid): it prints only
  when every one holds;
- `{how_to_take}` is the form's own file, resources/leaflet/how-to-take-<form>.txt.
- `[[schedule]]` alone on a line is where the dose calendar goes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ldn_desktop.core.dose_text import count_text, dose_text, format_number
from ldn_desktop.documents.data import Form, LeafletData, Paper, Prescription
from ldn_desktop.documents.fit import DoesNotFit
from ldn_desktop.documents.fonts import BOLD, REGULAR, register_fonts, text_width
from ldn_desktop.documents.wording import (
    date_text,
    label_directions,
    measure_for,
    prescription_drug_line,
    quantity_text,
)
from ldn_desktop.paths import resource_path

SCHEDULE_MARK = "[[schedule]]"
PAGE_SIZES = {Paper.LETTER: LETTER, Paper.A4: A4}
NOT_VERIFIED = "NOT VERIFIED — DO NOT DISPENSE"  # the label's proof wording

# Colours: dark text on white, one calm accent for headings and the calendar's header.
INK = colors.Color(0.1, 0.1, 0.12)
ACCENT = colors.Color(0.05, 0.33, 0.42)
SHADE = colors.Color(0.91, 0.95, 0.96)
RULE_GREY = colors.Color(0.75, 0.78, 0.8)
PROOF_RED = colors.Color(0.8, 0.05, 0.05)

BODY_SIZE = 11.5  # 11 to 12 pt body text (issue 4)
MARGIN = 18 * mm
RUNNING_SIZE = 9.5  # the header and footer on every page
RUNNING_FLOOR = 7.0
FRAME_PADDING = 6  # ReportLab's frame inset: text starts this far inside the margin

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CONDITIONS = re.compile(r"^((?:\[[a-z-]+\]\s*)+)")
_KNOWN_CONDITIONS = {"titration", "no-titration", "oral", *(form.value for form in Form)}


class LeafletTextError(DoesNotFit):
    """The leaflet text file asks for something the leaflet does not know.

    A DoesNotFit, so the command line and the window report it like any document that
    cannot be printed, and nothing is written.
    """


# ---------------------------------------------------------------- the patient's facts


@dataclass(frozen=True)
class CalendarRow:
    """One line of the dose calendar, already in words."""

    days: str
    dates: str
    dose: str
    amount: str


# Not strftime('%a'): QApplication sets the C locale from the system on Unix, so a German
# desktop would print "Fr" on an English leaflet.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _day_text(day: date) -> str:
    """'Fri 20 Nov 2026': the weekday helps a patient find today."""
    return f"{WEEKDAYS[day.weekday()]} {date_text(day)}"


def calendar_rows(p: Prescription) -> tuple[CalendarRow, ...]:
    """The dose calendar: one row a phase (start date + day − 1), or one row without titration.

    The last phase carries on after its last day (as the core's `phase_on_day` reads it),
    so it is written "onwards".
    """
    if not p.titration:
        measure = measure_for(p, p.dose_mg)
        return (
            CalendarRow(
                "Every day",
                f"From {_day_text(p.start_date)}",
                dose_text(p.dose_mg),
                measure.amount_text,
            ),
        )
    rows = []
    last = len(p.titration) - 1
    for i, phase in enumerate(p.titration):
        first_day, last_day = p.phase_dates(phase)
        measure = measure_for(p, phase.dose_mg, f"titration[{i}].dose")
        start = format_number(Decimal(phase.from_day), 0)
        end = format_number(Decimal(phase.to_day), 0)
        if i == last:
            days, dates = f"Day {start} onwards", f"From {_day_text(first_day)}"
        elif phase.from_day == phase.to_day:
            days, dates = f"Day {start}", _day_text(first_day)
        else:
            days = f"Days {start} to {end}"
            dates = f"{_day_text(first_day)}\nto {_day_text(last_day)}"
        rows.append(CalendarRow(days, dates, dose_text(phase.dose_mg), measure.amount_text))
    return tuple(rows)


def _directions(p: Prescription) -> str:
    """The label's own directions, so the leaflet and the label say the same."""
    return f"{label_directions(p).rstrip('.')}."


def _surgery_days(low: int, high: int) -> str:
    if low == high:
        return count_text(low, "day")
    return f"{format_number(Decimal(low), 0)} to {count_text(high, 'day')}"


def leaflet_facts(data: LeafletData) -> dict[str, str]:
    """Every `{name}` the text file may use, as plain text."""
    p = data.prescription
    return {
        "patient_name": p.patient.name,
        "drug": prescription_drug_line(p),
        "prescriber": p.prescriber.name,
        "directions": _directions(p),
        "how_to_take": read_text(f"how-to-take-{p.form.value}.txt").strip(),
        "start_date": _day_text(p.start_date),
        "surgery_stop": _surgery_days(*data.surgery_stop_days),
        "storage": p.storage.rstrip("."),
        "bud": date_text(p.bud),
        "pharmacy_name": p.pharmacy.name,
        "pharmacy_address": p.pharmacy.address,
        "pharmacy_phone": p.pharmacy.phone,
    }


# ---------------------------------------------------------------- reading the text file


@dataclass(frozen=True)
class Block:
    """One piece of the leaflet: a heading, a paragraph, a bullet or the calendar."""

    kind: str  # "heading" | "paragraph" | "bullet" | "schedule"
    markup: str = ""


def _conditions_hold(text: str, p: Prescription) -> tuple[bool, str]:
    match = _CONDITIONS.match(text)
    if not match:
        return True, text
    names = re.findall(r"\[([a-z-]+)\]", match.group(1))
    unknown = [name for name in names if name not in _KNOWN_CONDITIONS]
    if unknown:
        raise LeafletTextError(f"unknown condition [{unknown[0]}] in the leaflet text")
    holds = {
        "titration": bool(p.titration),
        "no-titration": not p.titration,
        "oral": p.form is not Form.CREAM,
        **{form.value: p.form is form for form in Form},
    }
    return all(holds[name] for name in names), text[match.end() :]


def _markup(text: str, facts: Mapping[str, str]) -> str:
    """Template text to ReportLab markup: escape, bold, then the facts (escaped too)."""
    marked = _BOLD.sub(r"<b>\1</b>", escape(text))

    def fact(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in facts:
            raise LeafletTextError(f"unknown fact {{{name}}} in the leaflet text")
        return escape(facts[name])

    return _PLACEHOLDER.sub(fact, marked)


def leaflet_blocks(template: str, data: LeafletData) -> tuple[Block, ...]:
    """The text file read for this prescription: conditions applied, facts filled in."""
    p = data.prescription
    facts = leaflet_facts(data)
    blocks: list[Block] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(Block("paragraph", _markup(" ".join(paragraph), facts)))
            paragraph.clear()

    for raw in template.splitlines():
        line = raw.strip()
        if not line:
            end_paragraph()
            continue
        if line == SCHEDULE_MARK:
            end_paragraph()
            blocks.append(Block("schedule"))
            continue
        if line.startswith("#"):
            end_paragraph()
            blocks.append(Block("heading", _markup(line.lstrip("#").strip(), facts)))
            continue
        bullet = line.startswith("- ")
        holds, text = _conditions_hold(line[2:] if bullet else line, p)
        if not holds:
            continue
        if bullet:
            end_paragraph()
            blocks.append(Block("bullet", _markup(text.strip(), facts)))
        else:
            paragraph.append(text.strip())
    end_paragraph()
    return tuple(blocks)


def read_text(name: str) -> str:
    """One of the leaflet's text files (resources/leaflet/)."""
    return resource_path("leaflet", name).read_text(encoding="utf-8")


# ---------------------------------------------------------------- layout


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=BODY_SIZE,
        leading=BODY_SIZE * 1.35,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=5,
    )
    return {
        "title": ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=19, leading=24, textColor=ACCENT
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=13, leading=18),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=14,
            leading=18,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "body": body,
        "bullet": ParagraphStyle(
            "bullet",
            parent=body,
            leftIndent=16,
            bulletIndent=4,
            bulletFontName=REGULAR,
            spaceAfter=3,
        ),
        "cell": ParagraphStyle("cell", parent=body, spaceAfter=0, leading=BODY_SIZE * 1.3),
        "cell_head": ParagraphStyle(
            "cell_head",
            parent=body,
            fontName=BOLD,
            textColor=colors.white,
            spaceAfter=0,
            leading=BODY_SIZE * 1.3,
        ),
        "fact_label": ParagraphStyle(
            "fact_label", parent=body, fontSize=10, leading=13, textColor=ACCENT, spaceAfter=0
        ),
        "fact": ParagraphStyle("fact", parent=body, fontName=BOLD, spaceAfter=0),
        "proof": ParagraphStyle(
            "proof", parent=body, fontName=BOLD, fontSize=13, textColor=PROOF_RED
        ),
    }


def _summary(p: Prescription, styles: Mapping[str, ParagraphStyle], width: float) -> Table:
    """The facts a patient looks for first, in a shaded box."""

    def cell(label: str, value: str) -> list[Paragraph]:
        return [
            Paragraph(escape(label), styles["fact_label"]),
            Paragraph(escape(value), styles["fact"]),
        ]

    rows = [
        [cell("Patient", p.patient.name), cell("Date of birth", date_text(p.patient.dob))],
        [cell("Medicine", prescription_drug_line(p)), cell("Prescribed by", p.prescriber.name)],
        [
            cell("Rx number", p.rx_number),
            cell("Quantity", quantity_text(p.form, p.quantity)),
        ],
        [cell("Lot", p.lot), cell("Do not use after", date_text(p.bud))],
    ]
    table = Table(rows, colWidths=[width * 0.58, width * 0.42])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, BODY_SIZE),  # not Table's Helvetica
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
            ]
        )
    )
    return table


def _calendar(
    p: Prescription,
    rows_: tuple[CalendarRow, ...],
    styles: Mapping[str, ParagraphStyle],
    width: float,
) -> Table:
    amount_head = {
        Form.CAPSULE: "How many capsules",
        Form.ORAL_LIQUID: "How much to measure",
        Form.CREAM: "How many clicks",
    }[p.form]
    head = ["Days", "Dates", "Dose", amount_head]
    rows: list[list[Paragraph]] = [[Paragraph(h, styles["cell_head"]) for h in head]]
    for row in rows_:
        rows.append(
            [
                Paragraph(escape(row.days), styles["cell"]),
                Paragraph(escape(row.dates).replace("\n", "<br/>"), styles["cell"]),
                Paragraph(f"<b>{escape(row.dose)}</b>", styles["cell"]),
                Paragraph(f"<b>{escape(row.amount)}</b>", styles["cell"]),
            ]
        )
    table = Table(
        rows,
        colWidths=[width * 0.23, width * 0.35, width * 0.17, width * 0.25],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, BODY_SIZE),  # not Table's Helvetica
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE_GREY),
                ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _story(data: LeafletData, width: float) -> list[Flowable]:
    p = data.prescription
    styles = _styles()
    story: list[Flowable] = []
    if not p.verified:
        story.append(Paragraph(escape(NOT_VERIFIED), styles["proof"]))
    # The calendar first: a dose the patient cannot measure is refused naming its phase.
    calendar = calendar_rows(p)
    blocks = leaflet_blocks(read_text("en.txt"), data)
    if not any(block.kind == "schedule" for block in blocks):
        raise LeafletTextError(f"the leaflet text has no {SCHEDULE_MARK} line")
    first, *rest = blocks
    if first.kind != "heading":
        raise LeafletTextError("the leaflet text must start with a # heading")
    story.append(Paragraph(first.markup, styles["title"]))
    story.append(Spacer(1, 4))
    story.append(_summary(p, styles, width))
    story.append(Spacer(1, 8))
    for block in rest:
        if block.kind == "heading":
            story.append(Paragraph(block.markup, styles["heading"]))
        elif block.kind == "bullet":
            # A bullet is short: split across pages it would leave a stray line behind.
            story.append(KeepTogether([Paragraph(block.markup, styles["bullet"], bulletText="•")]))
        elif block.kind == "paragraph":
            story.append(Paragraph(block.markup, styles["body"]))
        else:
            story.append(
                KeepTogether(
                    [
                        Paragraph("Your dose schedule", styles["heading"]),
                        _calendar(p, calendar, styles, width),
                        Spacer(1, 6),
                    ]
                )
            )
    return story


def _draw_running(  # type: ignore[no-untyped-def]
    canvas, text: str, font: str, x: float, baseline: float, width: float, *, align_right=False
) -> float:
    """A header or footer line: shrunk to fit down to a floor, then wrapped upwards, never
    clipped (a 120-character name still prints whole). Returns the top line's baseline."""
    size = RUNNING_SIZE
    while size > RUNNING_FLOOR and text_width(text, font, size) > width:
        size -= 0.5
    lines = simpleSplit(text, font, size, width)
    canvas.setFont(font, size)
    leading = size * 1.2
    top = baseline + leading * (len(lines) - 1)
    for i, line in enumerate(lines):  # top to bottom, so the text reads in order
        if align_right:
            canvas.drawRightString(x, top - i * leading, line)
        else:
            canvas.drawString(x, top - i * leading, line)
    return top


def _build(data: LeafletData, out: io.BytesIO, total_pages: int | None) -> int:
    p = data.prescription
    page_width, page_height = PAGE_SIZES[data.paper]
    register_fonts()
    doc = SimpleDocTemplate(
        out,
        pagesize=(page_width, page_height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6 * mm,
        bottomMargin=MARGIN,
        title=f"Patient leaflet: {p.patient.name}",
        author=p.pharmacy.name,
        creator="LDN Desktop",
        subject="Low-dose naltrexone (LDN)",
        invariant=1,
        # Else every page names Helvetica (unembedded) as its starting font.
        initialFontName=REGULAR,
        initialFontSize=BODY_SIZE,
    )

    def decorate(canvas, doc_) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        left, right = MARGIN + FRAME_PADDING, page_width - MARGIN - FRAME_PADDING
        width = right - left
        top = page_height - MARGIN + 2 * mm
        phone = f"Telephone {p.pharmacy.phone}"
        phone_room = min(text_width(phone, REGULAR, RUNNING_SIZE), width * 0.45)
        canvas.setFillColor(ACCENT)
        high = max(
            _draw_running(canvas, p.pharmacy.name, BOLD, left, top, width - phone_room - 12),
            _draw_running(canvas, phone, REGULAR, right, top, phone_room, align_right=True),
        )
        if not p.verified:  # a proof says so on every page, not only the first
            canvas.setFillColor(PROOF_RED)
            canvas.setFont(BOLD, RUNNING_SIZE)
            canvas.drawCentredString(page_width / 2, high + 3 * mm, NOT_VERIFIED)
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.6)
        canvas.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
        canvas.setFillColor(INK)
        page = format_number(Decimal(doc_.page), 0)
        of = f" of {format_number(Decimal(total_pages), 0)}" if total_pages else ""
        page_text = f"Page {page}{of}"
        bottom = MARGIN - 8 * mm
        page_room = text_width(page_text, REGULAR, RUNNING_SIZE)
        _draw_running(canvas, page_text, REGULAR, right, bottom, page_room, align_right=True)
        who = f"{p.patient.name} · Rx {p.rx_number}"
        _draw_running(canvas, who, REGULAR, left, bottom, width - page_room - 12)
        canvas.restoreState()

    doc.build(
        _story(data, page_width - 2 * (MARGIN + FRAME_PADDING)),
        onFirstPage=decorate,
        onLaterPages=decorate,
    )
    return int(doc.page)


def render_leaflet(data: LeafletData, out: str | Path | BinaryIO) -> int:
    """Write the leaflet as a PDF to `out` (a path or a binary file); return its pages.

    Laid out once to count the pages (for "Page 1 of 2"), then written. A dose the
    patient cannot measure (InputRefused from the core) stops it before anything is
    written.
    """
    pages = _build(data, io.BytesIO(), None)
    buffer = io.BytesIO()
    written = _build(data, buffer, pages)
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(buffer.getvalue())
    else:
        out.write(buffer.getvalue())
    return written
