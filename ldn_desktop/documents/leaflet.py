"""The patient leaflet (Letter or A4): plain-words text from resources/leaflet/ plus this
patient's own dose calendar (real dates, dose and, for liquids mL, for creams clicks).

The clinical wording is a plain text file (resources/leaflet/en.txt), not code: lines
starting "# " are headings, "- " bullets, **text** bold, {name} a value from the
prescription, and [[schedule]] where the calendar goes.
"""

from __future__ import annotations

import re
import string
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from ldn_desktop.core.directions import DosePhase
from ldn_desktop.core.dose_text import count_text
from ldn_desktop.documents.data import LeafletData, Paper, Prescription
from ldn_desktop.documents.fit import DoesNotFit
from ldn_desktop.documents.fonts import BOLD, REGULAR, register_fonts
from ldn_desktop.documents.wording import (
    date_text,
    label_directions,
    measure_for,
    prescription_drug_line,
)
from ldn_desktop.paths import resource_path

PAGE = {Paper.LETTER: LETTER, Paper.A4: A4}
INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#1f4e79")
SHADE = colors.HexColor("#e8eef5")

BODY = ParagraphStyle(
    "body", fontName=REGULAR, fontSize=11, leading=15, textColor=INK, spaceAfter=3
)
HEADING = ParagraphStyle(
    "heading",
    parent=BODY,
    fontName=BOLD,
    fontSize=13.5,
    leading=17,
    textColor=ACCENT,
    spaceBefore=9,
    spaceAfter=3,
    keepWithNext=1,
)
TITLE = ParagraphStyle("title", parent=HEADING, fontSize=18, leading=22, spaceBefore=0)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=10.5, leading=13, spaceAfter=0)
CELL_BOLD = ParagraphStyle("cellb", parent=CELL, fontName=BOLD)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10, textColor=colors.grey)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def leaflet_values(data: LeafletData) -> dict[str, str]:
    p = data.prescription
    low, high = data.surgery_stop_days
    stop = count_text(high, "day") if low == high else f"{low} to {count_text(high, 'day')}"
    how = resource_path("leaflet", f"how-to-take-{p.form.value}.txt").read_text(encoding="utf-8")
    return {
        "patient_name": p.patient.name,
        "drug": prescription_drug_line(p),
        "prescriber": p.prescriber.name,
        "how_to_take": how.strip(),
        "surgery_stop": stop,
        "storage": p.storage.rstrip("."),
        "bud": date_text(p.bud),
        "pharmacy_name": p.pharmacy.name,
        "pharmacy_address": p.pharmacy.address,
        "pharmacy_phone": p.pharmacy.phone,
    }


def _markup(text: str, values: dict[str, str]) -> str:
    """Escape, fill the placeholders (escaped too), and turn **x** into bold."""
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    unknown = names - values.keys()
    if unknown:
        raise DoesNotFit(f"leaflet text uses an unknown placeholder {{{sorted(unknown)[0]}}}")
    out = _PLACEHOLDER.sub(lambda m: escape(values[m.group(1)]), escape(text))
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)


def schedule_rows(p: Prescription) -> list[tuple[str, str, str, str]]:
    """(dates, days, dose, how much) for each phase; one row from the start without one."""
    phases = p.titration or (DosePhase(1, 1, p.dose_mg),)
    rows = []
    for index, phase in enumerate(phases):
        first, last = p.phase_dates(phase)
        measure = measure_for(p, phase.dose_mg, field=f"titration[{index}].dose")
        if not p.titration or index == len(phases) - 1:
            dates = f"From {date_text(first)}"
            days = f"Day {phase.from_day} on"
        else:
            dates = f"{date_text(first)} to {date_text(last)}"
            days = f"Days {phase.from_day} to {phase.to_day}"
        rows.append((dates, days, measure.amount_text, measure.dose_text))
    return rows


def _schedule(p: Prescription, width: float) -> Flowable:
    header = [
        "Dates",
        "Days",
        "Each bedtime take" if p.form.value != "cream" else "Each bedtime apply",
        "Dose",
    ]
    data = [[Paragraph(h, CELL_BOLD) for h in header]]
    for dates, days, amount, dose in schedule_rows(p):
        data.append(
            [
                Paragraph(escape(dates), CELL),
                Paragraph(days, CELL),
                Paragraph(escape(amount), CELL_BOLD),
                Paragraph(escape(dose), CELL),
            ]
        )
    table = Table(data, colWidths=[0.36 * width, 0.2 * width, 0.24 * width, 0.2 * width])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9db3cc")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return KeepTogether(
        [
            Paragraph("Your dose schedule", HEADING),
            Paragraph(
                f"Starting on <b>{escape(date_text(p.start_date))}</b>. "
                f"Label directions: {escape(label_directions(p))}.",
                BODY,
            ),
            Spacer(1, 4),
            table,
        ]
    )


def leaflet_story(data: LeafletData, width: float) -> list[Flowable]:
    values = leaflet_values(data)
    text = resource_path("leaflet", "en.txt").read_text(encoding="utf-8")
    story: list[Flowable] = []
    bullets: list[str] = []

    def flush() -> None:
        if bullets:
            story.append(
                ListFlowable(
                    [ListItem(Paragraph(b, BODY), leftIndent=14) for b in bullets],
                    bulletType="bullet",
                    start="•",
                    leftIndent=14,
                    bulletFontName=REGULAR,
                )
            )
            bullets.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("- "):
            bullets.append(_markup(line[2:], values))
            continue
        flush()
        if not line:
            continue
        if line == "[[schedule]]":
            story.append(_schedule(data.prescription, width))
        elif line.startswith("# "):
            style = TITLE if not story else HEADING
            story.append(Paragraph(_markup(line[2:], values), style))
        else:
            story.append(Paragraph(_markup(line, values), BODY))
    flush()
    return story


def render_leaflet(data: LeafletData, out: str | BinaryIO) -> None:
    register_fonts()
    p = data.prescription
    page = PAGE[data.paper]
    margin = 18 * mm

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(
            margin,
            10 * mm,
            f"{p.patient.name} · Rx {p.rx_number} · {p.pharmacy.name} · {p.pharmacy.phone}",
        )
        canvas.drawRightString(page[0] - margin, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"LDN leaflet: {p.patient.name}",
        author=p.pharmacy.name,
        creator="LDN Desktop",
        invariant=1,
    )
    doc.build(leaflet_story(data, page[0] - 2 * margin), onFirstPage=footer, onLaterPages=footer)
