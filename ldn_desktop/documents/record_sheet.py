"""The compounding record sheet: one batch on paper, for the batch binder and inspectors.

Letter or A4. Every page carries the pharmacy, the formula, the lot, "page N of M" and,
for a batch not yet verified, "NOT VERIFIED" in red. The body follows the order a batch is
made in: what it is, the calculation's numbered steps, the components weighed, the
trituration, what was made and its BUD, the quality checks, the signatures (UTC) and the
deviations. Long tables flow over pages with their header row repeated.
Numbers become text only through ldn_desktop.core.dose_text (via documents.wording).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LayoutError,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ldn_desktop.core.dose_text import dose_text, strength_text, weighing_text
from ldn_desktop.documents.data import Form, Paper, RecordSheetData
from ldn_desktop.documents.fit import DoesNotFit
from ldn_desktop.documents.fonts import BOLD, REGULAR, register_fonts
from ldn_desktop.documents.wording import (
    FORM_WORDS,
    date_text,
    quantity_text,
    record_drug_line,
    time_text,
)

TITLE = "Compounding record"
NOT_VERIFIED = "NOT VERIFIED"
NONE_RECORDED = "None recorded"
PAGE_SIZES = {Paper.LETTER: LETTER, Paper.A4: A4}
MARGIN = 18 * mm
HEADER_H = 16 * mm  # the running header above the body on every page
FOOTER_H = 10 * mm
HEADING_ROOM = 22 * mm  # a heading, a table header and two rows
RED = colors.Color(0.78, 0.05, 0.05)
GREEN = colors.Color(0.05, 0.45, 0.15)
GRID = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.9, 0.9, 0.9)

_BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=11.5)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8, leading=10)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=8.5, leading=10.5)
_CELL_BOLD = ParagraphStyle("cellbold", parent=_CELL, fontName=BOLD)
_HEAD = ParagraphStyle("head", parent=_CELL, fontName=BOLD)
_H1 = ParagraphStyle("h1", parent=_BODY, fontName=BOLD, fontSize=16, leading=20)
_H2 = ParagraphStyle(
    "h2",
    parent=_BODY,
    fontName=BOLD,
    fontSize=11,
    leading=14,
    spaceBefore=9,
    spaceAfter=3,
)
_BANNER = ParagraphStyle(
    "banner", parent=_BODY, fontName=BOLD, fontSize=12, leading=15, textColor=colors.white
)
_RIGHT = ParagraphStyle("right", parent=_SMALL, alignment=TA_RIGHT)


def _heading(text: str) -> list[Flowable]:
    """A section heading that never ends a page alone: it moves to the next page unless
    a few lines of its section fit under it (a long table still splits, header repeated)."""
    return [CondPageBreak(HEADING_ROOM), _p(text, _H2)]


def _p(text: str, style: ParagraphStyle = _CELL) -> Paragraph:
    """Plain text as a paragraph: escaped, so '<' or '&' in a name prints as typed."""
    return Paragraph(escape(text), style)


def utc_text(moment: datetime) -> str:
    """'20 Nov 2026 14:05 UTC'; a time without a zone is taken as already UTC (the store's)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{date_text(moment.date())} {time_text(moment)} UTC"


def dose_strength_text(r: RecordSheetData) -> str:
    """'4.5 mg a capsule'; '4.5 mg a dose, 1 mg/mL' for a liquid or cream."""
    if r.form is Form.CAPSULE or r.strength is None:
        return f"{dose_text(r.dose_mg)} a capsule"
    return f"{dose_text(r.dose_mg)} a dose; strength {strength_text(r.strength.mg, r.strength.per)}"


# A table sets its cells' font even around paragraphs: else it names Helvetica (not embedded).
_TABLE_FONT = ("FONT", (0, 0), (-1, -1), REGULAR, _CELL.fontSize)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
    data: list[list[Any]] = [[_p(h, _HEAD) for h in header]]
    data.extend([c if isinstance(c, Flowable) else _p(str(c)) for c in row] for row in rows)
    table = Table(data, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _numbered(title: str, steps: Sequence[str], width: float) -> list[Flowable]:
    heading = _heading(title)
    if not steps:
        return [*heading, _p(NONE_RECORDED, _BODY)]
    rows = [[f"{i}.", step] for i, step in enumerate(steps, start=1)]
    table = _table(("No.", "Step"), rows, (12 * mm, width - 12 * mm))
    # The heading stays with the first rows; the rest may flow onto the next pages.
    return [*heading, table]


def _status(r: RecordSheetData, width: float) -> Table:
    if r.verified:
        text, colour = "Verified by a pharmacist", GREEN
    else:
        text = f"{NOT_VERIFIED} — this batch has not been verified by a pharmacist"
        colour = RED
    banner = Table([[_p(text, _BANNER)]], colWidths=[width])
    banner.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("BACKGROUND", (0, 0), (-1, -1), colour),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return banner


def _summary(r: RecordSheetData, width: float) -> Table:
    label_w = 38 * mm
    half = width / 2
    left = [
        ("Formula", f"{r.formula_name} (version {r.formula_version})"),
        ("Preparation", record_drug_line(r)),
        ("Dosage form", FORM_WORDS[r.form]),
        ("Dose / strength", dose_strength_text(r)),
        ("Units made", quantity_text(r.form, r.units_made)),
    ]
    right = [
        ("Internal lot", r.lot),
        ("Compounded", date_text(r.compounded)),
        ("BUD (use by)", date_text(r.bud)),
        ("BUD basis", r.bud_basis or "Not recorded"),
        ("Storage", r.storage),
    ]
    rows = [
        [_p(a, _CELL_BOLD), _p(b), _p(c, _CELL_BOLD), _p(d)]
        for (a, b), (c, d) in zip(left, right, strict=True)
    ]
    table = Table(
        rows, colWidths=[label_w * 0.8, half - label_w * 0.8, label_w * 0.7, half - label_w * 0.7]
    )
    table.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("BACKGROUND", (2, 0), (2, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _components(r: RecordSheetData, width: float) -> list[Flowable]:
    heading = _heading("Components weighed")
    if not r.components:
        return [*heading, _p(NONE_RECORDED, _BODY)]
    widths = (0.3 * width, 0.22 * width, 0.17 * width, 0.14 * width, 0.17 * width)
    rows = [
        [
            c.name,
            c.supplier or "—",
            c.lot,
            date_text(c.expiry),
            _p(weighing_text(c.weighed_mg, r.balance_readability_mg), _RIGHT_CELL),
        ]
        for c in r.components
    ]
    return [*heading, _table(("Component", "Supplier", "Lot", "Expiry", "Weighed"), rows, widths)]


_RIGHT_CELL = ParagraphStyle("rightcell", parent=_CELL, alignment=TA_RIGHT)


def _checks(r: RecordSheetData, width: float) -> list[Flowable]:
    heading = _heading("Quality checks")
    if not r.quality_checks:
        return [*heading, _p(NONE_RECORDED, _BODY)]
    rows = [
        [
            q.check,
            q.expected,
            q.result,
            _p("PASS" if q.passed else "FAIL", _CELL_BOLD if q.passed else _FAIL),
        ]
        for q in r.quality_checks
    ]
    widths = (0.3 * width, 0.28 * width, 0.28 * width, 0.14 * width)
    return [*heading, _table(("Check", "Expected", "Result", "Pass"), rows, widths)]


_FAIL = ParagraphStyle("fail", parent=_CELL_BOLD, textColor=RED)


def _signatures(r: RecordSheetData, width: float) -> list[Flowable]:
    heading = _heading("Signatures")
    if not r.signatures:
        return [*heading, _p(NONE_RECORDED, _BODY)]
    rows = [[s.who, s.meaning, utc_text(s.at)] for s in r.signatures]
    widths = (0.4 * width, 0.3 * width, 0.3 * width)
    return [*heading, _table(("Who", "Meaning", "Time (UTC)"), rows, widths)]


def _deviations(r: RecordSheetData) -> list[Flowable]:
    heading = _heading("Deviations")
    if not r.deviations:
        return [*heading, _p(NONE_RECORDED, _BODY)]
    return [*heading, *(_p(f"{i}. {d}", _BODY) for i, d in enumerate(r.deviations, start=1))]


def story(r: RecordSheetData, width: float) -> list[Flowable]:
    """The sheet's body, top to bottom."""
    parts: list[Flowable] = [
        _p(TITLE, _H1),
        _p(f"{r.pharmacy.name} · {r.pharmacy.address} · {r.pharmacy.phone}", _SMALL),
        Spacer(1, 4),
        _status(r, width),
        Spacer(1, 6),
        _summary(r, width),
    ]
    parts += _numbered("Calculation", r.steps, width)
    parts += _components(r, width)
    parts += _numbered("Trituration", r.trituration, width)
    parts += _checks(r, width)
    parts.append(KeepTogether(_signatures(r, width)))
    parts += _deviations(r)
    return parts


class _Pages:
    """Draws the running header and footer; `total` is known from a first pass."""

    def __init__(self, r: RecordSheetData, printed: date, total: int | None) -> None:
        self.r = r
        self.printed = printed
        self.total = total
        self.count = 0

    def __call__(self, canvas: Canvas, doc: SimpleDocTemplate) -> None:
        self.count += 1
        r = self.r
        width, height = doc.pagesize
        top = height - MARGIN + 2
        canvas.saveState()
        canvas.setFont(BOLD, 9)
        canvas.drawString(MARGIN, top, f"{r.pharmacy.name} — {TITLE}")
        canvas.setFont(REGULAR, 8.5)
        canvas.drawString(
            MARGIN, top - 11, f"{r.formula_name} (version {r.formula_version}) · Lot {r.lot}"
        )
        page = f"page {doc.page} of {self.total or doc.page}"
        canvas.drawRightString(width - MARGIN, top, page)
        if not r.verified:
            canvas.setFillColor(RED)
            canvas.setFont(BOLD, 10)
            canvas.drawRightString(width - MARGIN, top - 12, NOT_VERIFIED)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, top - 17, width - MARGIN, top - 17)
        canvas.line(MARGIN, MARGIN - 2, width - MARGIN, MARGIN - 2)
        canvas.setFillColor(colors.black)
        canvas.setFont(REGULAR, 7.5)
        canvas.drawString(
            MARGIN, MARGIN - 11, f"Printed {date_text(self.printed)} · Lot {r.lot} · LDN Desktop"
        )
        canvas.drawRightString(width - MARGIN, MARGIN - 11, page)
        canvas.restoreState()


def _build(r: RecordSheetData, out: Any, paper: Paper, printed: date, total: int | None) -> int:
    size = PAGE_SIZES[paper]
    doc = SimpleDocTemplate(
        out,
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_H - 10,
        bottomMargin=MARGIN + FOOTER_H - 10,
        title=f"{TITLE}: lot {r.lot}",
        author=r.pharmacy.name,
        creator="LDN Desktop",
        invariant=1,
        # Else every page names Helvetica (not embedded) as its starting font.
        initialFontName=REGULAR,
        initialFontSize=_BODY.fontSize,
    )
    pages = _Pages(r, printed, total)
    doc.build(story(r, doc.width), onFirstPage=pages, onLaterPages=pages)
    return pages.count


def render_record(
    data: RecordSheetData,
    out: str | Path,
    *,
    paper: Paper = Paper.LETTER,
    printed: date | None = None,
) -> int:
    """Write the record sheet to `out` (a path); returns the number of pages.

    `printed` is the date in the footer (today when not given). The sheet is laid out
    twice: the first pass counts the pages so every page can say "page N of M".
    """
    register_fonts()
    day = printed or date.today()
    try:
        total = _build(data, io.BytesIO(), paper, day, None)
    except LayoutError:
        # A single table row taller than a page (a step thousands of words long) cannot
        # be split across pages; nothing has been written yet.
        raise DoesNotFit(
            "one entry of the record sheet is longer than a page: shorten it"
        ) from None
    return _build(data, str(out), paper, day, total)
