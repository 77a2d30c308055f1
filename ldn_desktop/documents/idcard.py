"""The wallet ID card, 85.6 × 54 mm (ID-1): front and back as two pages.

Front: "I take low-dose naltrexone (LDN)", the patient, the dose, and what it means for
opioid pain relief in an emergency (text: resources/leaflet/card-emergency.txt).
Back: prescriber and pharmacy with their phone numbers.
"""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ldn_desktop.core.dose_text import dose_text
from ldn_desktop.documents.data import IdCardData
from ldn_desktop.documents.fit import ASCENT_EM, DoesNotFit, Paragraph, block_height, fit_block
from ldn_desktop.documents.fonts import BOLD, REGULAR, register_fonts
from ldn_desktop.documents.wording import FORM_WORDS, date_text
from ldn_desktop.paths import resource_path

CARD = (85.6 * mm, 54 * mm)  # ISO/IEC 7810 ID-1
PAD = 3.2 * mm
BAND = 11 * mm
ACCENT = colors.HexColor("#b3261e")
HEADLINE = "I take low-dose naltrexone (LDN)"


def _draw_block(
    canvas: Canvas,
    paragraphs: list[Paragraph],
    top: float,
    bottom: float,
    size: float,
    floor: float,
    what: str,
) -> None:
    width = CARD[0] - 2 * PAD
    lines = fit_block(paragraphs, size, floor, width)
    if isinstance(lines, str) or block_height(lines) > top - bottom:
        name = lines if isinstance(lines, str) else what
        raise DoesNotFit(f"the {name} does not fit on the wallet card even at {floor:g} pt")
    y = top
    for line in lines:
        canvas.setFont(line.font, line.size)
        canvas.drawString(PAD, y - ASCENT_EM * line.size, line.text)
        y -= line.height


def _band(canvas: Canvas, text: str) -> None:
    w, h = CARD
    canvas.setFillColor(ACCENT)
    canvas.rect(0, h - BAND, w, BAND, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(BOLD, 10.5)
    canvas.drawCentredString(w / 2, h - BAND / 2 - 3.6, text)
    canvas.setFillColor(colors.black)
    canvas.setStrokeColor(colors.lightgrey)  # the cutting line
    canvas.setLineWidth(0.5)
    canvas.roundRect(0.25, 0.25, w - 0.5, h - 0.5, 3 * mm, stroke=1, fill=0)


def render_idcard(card: IdCardData, out: str | BinaryIO) -> None:
    register_fonts()
    p = card
    h = CARD[1]
    canvas = Canvas(out, pagesize=CARD, invariant=1)
    canvas.setTitle(f"LDN wallet card: {p.patient.name}")
    canvas.setAuthor(p.pharmacy.name)
    canvas.setCreator("LDN Desktop")
    dose = dose_text(p.dose_mg)
    dose_line = (
        f"Dose: up to {dose} at bedtime ({FORM_WORDS[p.form]})"
        if p.titration
        else f"Dose: {dose} at bedtime ({FORM_WORDS[p.form]})"
    )
    emergency = resource_path("leaflet", "card-emergency.txt").read_text(encoding="utf-8")
    _band(canvas, HEADLINE)
    _draw_block(
        canvas,
        [
            Paragraph(f"Name: {p.patient.name}", BOLD, "patient name"),
            Paragraph(f"Date of birth: {date_text(p.patient.dob)}", REGULAR, "date of birth"),
            Paragraph(dose_line, BOLD, "dose"),
            Paragraph(emergency, REGULAR, "emergency text"),
        ],
        h - BAND - 2.2 * mm,
        PAD,
        8.5,
        5.5,
        "front of the card",
    )
    canvas.showPage()
    _band(canvas, "Low-dose naltrexone (LDN)")
    prescriber = p.prescriber.name + (f" · {p.prescriber.phone}" if p.prescriber.phone else "")
    _draw_block(
        canvas,
        [
            Paragraph("Prescriber", BOLD, "prescriber"),
            Paragraph(prescriber, REGULAR, "prescriber"),
            Paragraph("Pharmacy", BOLD, "pharmacy"),
            Paragraph(f"{p.pharmacy.name} · {p.pharmacy.phone}", REGULAR, "pharmacy"),
            Paragraph(p.pharmacy.address, REGULAR, "pharmacy address"),
            Paragraph(f"Rx {p.rx_number}", REGULAR, "Rx number"),
        ],
        h - BAND - 2.2 * mm,
        PAD,
        8.5,
        5.5,
        "back of the card",
    )
    canvas.showPage()
    canvas.save()
