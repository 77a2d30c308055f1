"""The compounding record sheet for the batch binder and inspectors (Letter).

Formula and version, the calculation's worked steps, every component with lot, expiry
and weight, trituration steps, units made, lot, BUD, quality checks, signatures (who,
meaning, time) and deviations (DOMAIN.md, "Records"). Unverified batches say so on
every page.
"""

from __future__ import annotations

from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ldn_desktop.core.dose_text import mass_text
from ldn_desktop.documents.data import RecordSheetData
from ldn_desktop.documents.fonts import BOLD, REGULAR, register_fonts
from ldn_desktop.documents.label import NOT_VERIFIED, PROOF_RED
from ldn_desktop.documents.wording import date_text, quantity_text, record_drug_line, time_text

BODY = ParagraphStyle("rbody", fontName=REGULAR, fontSize=9.5, leading=12.5)
BOLD_BODY = ParagraphStyle("rbold", parent=BODY, fontName=BOLD)
HEAD = ParagraphStyle(
    "rhead",
    parent=BODY,
    fontName=BOLD,
    fontSize=11.5,
    leading=14,
    spaceBefore=8,
    spaceAfter=3,
    keepWithNext=1,
)
TITLE = ParagraphStyle("rtitle", parent=HEAD, fontSize=16, leading=20, spaceBefore=0)
GRID = colors.HexColor("#8a8a8a")
SHADE = colors.HexColor("#ececec")
NONE = "None recorded."


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    data = [[_p(h, BOLD_BODY) for h in header]] + [[_p(c) for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _numbered(items: tuple[str, ...]) -> list[Flowable]:
    if not items:
        return [_p(NONE)]
    return [_p(f"{i}. {text}") for i, text in enumerate(items, start=1)]


def record_story(r: RecordSheetData, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        _p(f"Compounding record — lot {r.lot}", TITLE),
        _p(f"{r.pharmacy.name} · {r.pharmacy.address} · {r.pharmacy.phone}"),
        Spacer(1, 4),
    ]
    facts = [
        ["Preparation", record_drug_line(r)],
        ["Formula (MFR)", f"{r.formula_name}, version {r.formula_version}"],
        ["Lot number", r.lot],
        ["Compounded", date_text(r.compounded)],
        ["Units made", quantity_text(r.form, r.units_made)],
        ["Beyond-use date", date_text(r.bud) + (f" ({r.bud_basis})" if r.bud_basis else "")],
        ["Storage", r.storage],
        ["Status", "Verified" if r.verified else NOT_VERIFIED],
    ]
    story.append(_table(["Batch", ""], facts, [0.25 * width, 0.75 * width]))
    story.append(_p("Calculation (worked steps)", HEAD))
    story.extend(_numbered(r.steps))
    story.append(_p("Components", HEAD))
    if r.components:
        rows = [
            [c.name, c.supplier or "—", c.lot, date_text(c.expiry), mass_text(c.weighed_mg)]
            for c in r.components
        ]
        story.append(
            _table(
                ["Component", "Supplier", "Lot", "Expiry", "Weighed"],
                rows,
                [0.32 * width, 0.2 * width, 0.18 * width, 0.15 * width, 0.15 * width],
            )
        )
    else:
        story.append(_p(NONE))
    story.append(_p("Trituration", HEAD))
    story.extend(_numbered(r.trituration) if r.trituration else [_p("Not needed.")])
    story.append(_p("Quality checks", HEAD))
    if r.quality_checks:
        rows = [
            [q.check, q.expected, q.result, "Pass" if q.passed else "FAIL"]
            for q in r.quality_checks
        ]
        story.append(
            _table(
                ["Check", "Expected", "Result", "Outcome"],
                rows,
                [0.3 * width, 0.3 * width, 0.28 * width, 0.12 * width],
            )
        )
    else:
        story.append(_p(NONE))
    story.append(_p("Signatures", HEAD))
    if r.signatures:
        rows = [[s.who, s.meaning, time_text(s.at)] for s in r.signatures]
        story.append(
            _table(["Who", "Meaning", "Time"], rows, [0.4 * width, 0.3 * width, 0.3 * width])
        )
    else:
        story.append(_p(NONE))
    story.append(_p("Deviations", HEAD))
    story.extend(_numbered(r.deviations) if r.deviations else [_p("None.")])
    return story


def render_record(r: RecordSheetData, out: str | BinaryIO) -> None:
    register_fonts()
    margin = 16 * mm
    page = LETTER

    def frame(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(margin, 9 * mm, f"Lot {r.lot} · {r.formula_name} v{r.formula_version}")
        canvas.drawRightString(page[0] - margin, 9 * mm, f"Page {doc.page}")
        if not r.verified:
            canvas.setFillColor(PROOF_RED)
            canvas.setFont(BOLD, 10)
            canvas.drawCentredString(page[0] / 2, page[1] - 9 * mm, NOT_VERIFIED)
        canvas.restoreState()

    doc = SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=15 * mm,
        bottomMargin=16 * mm,
        title=f"Compounding record: lot {r.lot}",
        author=r.pharmacy.name,
        creator="LDN Desktop",
        invariant=1,
    )
    doc.build(record_story(r, page[0] - 2 * margin), onFirstPage=frame, onLaterPages=frame)
