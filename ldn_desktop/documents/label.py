"""Prescription labels (USP <17>): roll labels one a page, sheets many a page.

Top and largest: patient name, drug and strength, directions (bold, 12 pt or more where
the stock allows). Then quantity, Rx number, prescriber, date filled, lot, BUD, storage,
"Compounded medication", with a QR code of the Rx number and lot beside them; auxiliary
warnings; the pharmacy's details smallest. Text shrinks to the stock's floor sizes, then
wraps; if it still cannot fit, `DoesNotFit` names what did not fit: never clipped.
A batch not yet verified prints only as a proof marked "NOT VERIFIED — DO NOT DISPENSE".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.colors import Color, black
from reportlab.pdfgen.canvas import Canvas

from ldn_desktop.documents.barcode import barcode_payload, draw_qr
from ldn_desktop.documents.data import Prescription
from ldn_desktop.documents.fit import (
    ASCENT_EM,
    DoesNotFit,
    Line,
    Paragraph,
    block_height,
    fit_block,
    fit_paragraph,
    sizes,
)
from ldn_desktop.documents.fonts import BOLD, REGULAR, register_fonts, text_width
from ldn_desktop.documents.stocks import LabelStock
from ldn_desktop.documents.wording import (
    COMPOUNDED,
    auxiliary_warnings,
    date_text,
    label_directions,
    prescription_drug_line,
    quantity_text,
)

NOT_VERIFIED = "NOT VERIFIED — DO NOT DISPENSE"
PROOF_RED = Color(0.8, 0.05, 0.05)
CRITICAL_PT = 12.0  # USP <17>: critical text at least 12 pt (DOMAIN.md, labels)
GAP = 3.0  # points between the blocks and beside the QR code
# Details below 6 pt are hard to read; the primary text gives way first, to its floor.
READABLE_DETAIL_PT = 6.0
COLUMN_GAP = 8.0
WHOLE_COLUMN_SHARE = 0.6  # points between two columns of details
RULE = 0.6

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PlacedLine:
    text: str
    font: str
    size: float
    x: float
    baseline: float  # both relative to the label's bottom-left corner


@dataclass(frozen=True)
class LabelPlan:
    lines: tuple[PlacedLine, ...]
    rule_y: float
    barcode: tuple[float, float, float]  # x, y, size
    payload: str
    proof: bool
    primary_size: float
    secondary_size: float
    directions: slice  # which of `lines` are the directions (the last of the primary block)


def _paragraphs(p: Prescription) -> tuple[list[Paragraph], list[Paragraph], list[Paragraph]]:
    primary = [
        Paragraph(p.patient.name, BOLD, "patient name"),
        Paragraph(prescription_drug_line(p), BOLD, "drug and strength"),
        Paragraph(label_directions(p), BOLD, "directions"),
    ]
    middle = [
        Paragraph(
            f"Qty: {quantity_text(p.form, p.quantity)} · Rx: {p.rx_number}", REGULAR, "Rx number"
        ),
        Paragraph(f"Filled: {date_text(p.date_filled)} · Lot: {p.lot}", REGULAR, "lot number"),
        Paragraph(f"Use by (BUD): {date_text(p.bud)}", BOLD, "BUD"),
        Paragraph(f"Prescriber: {p.prescriber.name}", REGULAR, "prescriber"),
        Paragraph(p.storage, REGULAR, "storage"),
        Paragraph(COMPOUNDED, BOLD, "compounded statement"),
    ]
    bottom = [
        Paragraph(" ".join(auxiliary_warnings(p.form, p.storage)), BOLD, "warnings"),
        Paragraph(
            f"{p.pharmacy.name} · {p.pharmacy.address} · {p.pharmacy.phone}",
            REGULAR,
            "pharmacy details",
        ),
    ]
    return primary, middle, bottom


def _place(lines: Sequence[Line], x: float, top: float) -> tuple[list[PlacedLine], float]:
    placed = []
    for line in lines:
        placed.append(PlacedLine(line.text, line.font, line.size, x, top - ASCENT_EM * line.size))
        top -= line.height
    return placed, top


# A row of the details: one paragraph at the block's width, or two side by side.
Row = tuple[Paragraph, ...]


def _flow(
    items: Sequence[tuple[Row, float, float]],
    top: float,
    qr_bottom: float,
    full_width: float,
    narrow_width: float,
    floor: float,
    left: float = 0.0,
) -> tuple[list[tuple[Line, float, float]], float] | str:
    """Secondary text flowing down beside the QR code, then under it at full width.

    Each item is (row, size, space before); a row of two paragraphs is two columns at
    that size, the first `left` wide, the second COLUMN_GAP after it to the end of the
    line, the row as tall as the taller. A row that starts beside the
    code keeps the narrow width all the way down. Returns (line, x offset, top) triples
    and the bottom, or the name of a paragraph that cannot fit its width.
    """
    y = top
    out: list[tuple[Line, float, float]] = []
    for row, size, space_before in items:
        y -= space_before
        width = narrow_width if y > qr_bottom else full_width
        columns = [(0.0, width)] if len(row) == 1 else [(0.0, left)]
        if len(row) == 2:
            columns.append((left + COLUMN_GAP, width - left - COLUMN_GAP))
        bottom = y
        # Side by side, every paragraph keeps the row's size (wrapping if it must): a
        # neighbour shrunk to stay on one line would look like a different kind of text.
        # Alone on its line, a paragraph shrinks to stay on one line, but not below 6 pt
        # (then it wraps): a readable line is worth more than a line saved.
        row_floor = min(size, max(floor, READABLE_DETAIL_PT)) if len(row) == 1 else size
        for paragraph, (x, column) in zip(row, columns, strict=True):
            lines = fit_paragraph(paragraph, size, row_floor, column)
            if lines is None:
                return paragraph.name
            line_top = y
            for line in lines:
                out.append((line, x, line_top))
                line_top -= line.height
            bottom = min(bottom, line_top)
        y = bottom
    return out, y


def _fit_primary(
    primary: Sequence[Paragraph], size: float, floor: float, width: float
) -> tuple[list[Line], int] | str:
    """Name, drug and directions, the directions never smaller than the lines above them
    (USP <17>: the directions are the most prominent text)."""
    *heading, directions = primary
    # Shrinking to stay on one line stops at 12 pt: below that, wrapping at the larger
    # size reads better. Only when the block cannot fit does the size itself come down.
    shrink_floor = max(floor, min(size, CRITICAL_PT))
    direction_lines = fit_paragraph(directions, size, shrink_floor, width)
    if direction_lines is None:
        return directions.name
    largest = min(line.size for line in direction_lines)
    lines = fit_block(heading, largest, max(floor, min(largest, CRITICAL_PT)), width)
    if isinstance(lines, str):
        return lines
    return lines + direction_lines, len(lines)


def _arrangements(middle: Sequence[Paragraph]) -> tuple[list[Row], list[Row]]:
    """The details one a line; or two a line, read across then down (each is short:
    side by side they take half the height, so they need not shrink to unreadable)."""
    single = [(paragraph,) for paragraph in middle]
    paired = [tuple(middle[i : i + 2]) for i in range(0, len(middle), 2)]
    return single, paired


def _left_column(rows: Sequence[Row], size: float, width: float) -> float:
    """Where two columns of details split a line `width` wide: the first as wide as its
    widest entry when both then fit whole; else the narrower column keeps its entries
    whole (so "Lot:" stays with its number) if that leaves the other 40 % of the line,
    and the other wraps; else halves."""
    pairs = [row for row in rows if len(row) == 2]
    if not pairs:
        return 0.0
    room = width - COLUMN_GAP

    def widest(column: int) -> float:
        return max(
            text_width(" ".join(r[column].text.split()), r[column].font, size) for r in pairs
        )

    first, second = widest(0), widest(1)
    if first + second <= room:
        return first
    if min(first, second) <= room * WHOLE_COLUMN_SHARE:
        return room - second if second < first else first
    return room / 2


def _details(
    rows: Sequence[Row],
    bottom: Sequence[Paragraph],
    size: float,
    floor: float,
    heights: tuple[float, float, float],
    width: float,
    qr: float,
) -> list[tuple[Line, float, float]] | str | None:
    """The details, warnings and pharmacy under the rule, as (line, x offset, top), if
    they end above the bottom padding. Else the name of a paragraph too wide for its
    line, or None when they are only too tall."""
    top, qr_bottom, pad = heights
    items = [(row, size, 0.0) for row in rows]
    items.append(((bottom[0],), size, GAP / 2))
    items.append(((bottom[1],), max(floor, size - 1), 0.0))
    narrow = width - qr - GAP
    left = _left_column(rows, size, narrow)
    flowed = _flow(items, top, qr_bottom, width, narrow, floor, left)
    if isinstance(flowed, str):
        return flowed
    return flowed[0] if flowed[1] >= pad else None


def _layouts(
    stock: LabelStock, single: list[Row], paired: list[Row]
) -> Iterator[tuple[list[Row], float, float]]:
    """(details' rows, primary size, secondary size) in order of preference.

    The sizes in `_candidates` order, but first only those with readable details (6 pt
    or more): one column of details, then two, with the primary text at 12 pt or more;
    then the same below 12 pt; then anything down to the floors, one column, then two.
    """
    critical = min(CRITICAL_PT, stock.primary_pt)
    candidates = _candidates(stock)
    for rows in (single, paired):  # 12 pt or more: one column, if it can be readable
        for size_p, size_s in candidates:
            if size_s >= READABLE_DETAIL_PT and size_p >= critical:
                yield rows, size_p, size_s
    for size_p, size_s in candidates:  # below: the primary as large as either allows
        if size_s >= READABLE_DETAIL_PT and size_p < critical:
            yield single, size_p, size_s
            yield paired, size_p, size_s
    for rows in (single, paired):
        for size_p, size_s in candidates:
            if size_s < READABLE_DETAIL_PT:
                yield rows, size_p, size_s


def _candidates(stock: LabelStock) -> list[tuple[float, float]]:
    """(primary, secondary) sizes in order of preference.

    First every pair whose primary text is at least 12 pt (or the stock's largest, if
    smaller), the secondary text as large as possible, then the primary; then the pairs
    below 12 pt whose details are still readable (6 pt or more), the primary as large as
    possible; then the rest, the primary as large as possible. A 4 x 2 in label so prints
    its directions at 12 pt with readable details rather than at 14 pt with tiny ones,
    and a small label its directions at 10 pt with 6 pt details rather than 11 pt with 5.
    """
    critical = min(CRITICAL_PT, stock.primary_pt)
    primaries = sizes(stock.primary_pt, stock.primary_floor_pt)
    secondaries = sizes(stock.secondary_pt, stock.secondary_floor_pt)
    large = [(p, s) for s in secondaries for p in primaries if p >= critical]
    small = [(p, s) for p in primaries if p < critical for s in secondaries]
    readable = [(p, s) for p, s in small if s >= READABLE_DETAIL_PT]
    return large + readable + [pair for pair in small if pair not in readable]


def plan_label(p: Prescription, stock: LabelStock) -> LabelPlan:
    """Where every line goes on this stock, at the largest sizes that fit."""
    register_fonts()
    primary, middle, bottom = _paragraphs(p)
    pad = stock.padding
    inner_w = stock.label_width - 2 * pad
    q = stock.barcode_size
    floor_p, floor_s = stock.primary_floor_pt, stock.secondary_floor_pt
    failed = "the label"
    tops: dict[float, tuple[list[Line], int] | str] = {}
    for rows, size_p, size_s in _layouts(stock, *_arrangements(middle)):
        if size_p not in tops:
            tops[size_p] = _fit_primary(primary, size_p, floor_p, inner_w)
        fitted = tops[size_p]
        if isinstance(fitted, str):
            failed = fitted
            continue
        top_lines, heading_count = fitted
        rule_y = stock.label_height - pad - block_height(top_lines) - GAP
        qr_bottom = rule_y - GAP - q
        failed = (
            f"the label (patient name, drug and directions take {len(top_lines)} lines "
            f"at {size_p:g} pt)"
        )
        if qr_bottom < pad:
            continue
        heights = (rule_y - GAP, qr_bottom, pad)
        flowed = _details(rows, bottom, size_s, floor_s, heights, inner_w, q)
        if isinstance(flowed, str):
            failed = flowed
            continue
        if flowed is None:
            continue
        placed, _ = _place(top_lines, pad, stock.label_height - pad)
        placed += [
            PlacedLine(ln.text, ln.font, ln.size, pad + dx, y - ASCENT_EM * ln.size)
            for ln, dx, y in flowed
        ]
        return LabelPlan(
            lines=tuple(placed),
            rule_y=rule_y,
            barcode=(stock.label_width - pad - q, qr_bottom, q),
            payload=barcode_payload(p.rx_number, p.lot),
            proof=not p.verified,
            primary_size=size_p,
            secondary_size=size_s,
            directions=slice(heading_count, len(top_lines)),
        )
    raise DoesNotFit(
        f"{failed} does not fit on the {stock.name} stock even at the smallest allowed "
        f"sizes ({floor_p:g} pt and {floor_s:g} pt): choose a larger label stock"
    )


def draw_label(canvas: Canvas, plan: LabelPlan, stock: LabelStock, x0: float, y0: float) -> None:
    """Draw a planned label with its bottom-left corner at (x0, y0)."""
    canvas.saveState()
    canvas.translate(x0, y0)
    canvas.setFillColor(black)
    for line in plan.lines:
        canvas.setFont(line.font, line.size)
        canvas.drawString(line.x, line.baseline, line.text)
    canvas.setLineWidth(RULE)
    canvas.line(stock.padding, plan.rule_y, stock.label_width - stock.padding, plan.rule_y)
    draw_qr(canvas, plan.payload, *plan.barcode)
    if plan.proof:
        _draw_proof_mark(canvas, stock)
    canvas.restoreState()


def _draw_proof_mark(canvas: Canvas, stock: LabelStock) -> None:
    w, h = stock.label_width, stock.label_height
    canvas.setStrokeColor(PROOF_RED)
    canvas.setLineWidth(3)
    canvas.rect(1.5, 1.5, w - 3, h - 3, stroke=1, fill=0)
    # Diagonal and see-through, so the proof can still be checked line by line.
    diagonal = math.hypot(w, h)
    # The text's band must clear the corners: leave about a text height per unit of slope.
    slope = max(w / h, h / w)
    size = min(20.0, 0.95 * diagonal / (text_width(NOT_VERIFIED, BOLD, 1) + 1.2 * slope))
    canvas.translate(w / 2, h / 2)
    canvas.rotate(math.degrees(math.atan2(h, w)))
    canvas.setFillColor(PROOF_RED)
    canvas.setFillAlpha(0.6)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(0, -0.35 * size, NOT_VERIFIED)


def render_labels(
    prescriptions: Sequence[Prescription],
    stock: LabelStock,
    out: str | BinaryIO,
    *,
    start: int = 1,
    progress: Progress | None = None,
) -> int:
    """Print every prescription's label; on a sheet, from position `start` (1-based).

    Returns the number of pages. `progress(done, total)` is called after each label.
    Every label is planned before anything is drawn, so a label that does not fit stops
    the whole run before a single page exists.
    """
    if not prescriptions:
        raise DoesNotFit("there are no labels to print")
    if stock.kind == "roll" and start != 1:
        raise DoesNotFit(f"{stock.name} is a roll: it has no start position")
    if not 1 <= start <= stock.per_page:
        raise DoesNotFit(f"start position {start} is not on a {stock.per_page}-label sheet")
    plans: dict[int, LabelPlan] = {}
    order = []
    for p in prescriptions:
        key = id(p)
        if key not in plans:
            plans[key] = plan_label(p, stock)
        order.append(plans[key])
    canvas = Canvas(
        out, pagesize=(stock.page_width, stock.page_height), invariant=1, initialFontName=REGULAR
    )
    canvas.setTitle(f"Labels: {', '.join(sorted({p.rx_number for p in prescriptions}))}")
    canvas.setAuthor(prescriptions[0].pharmacy.name)
    canvas.setCreator("LDN Desktop")
    canvas.setSubject(f"Prescription labels, {stock.title}")
    position = start
    pages = 1
    total = len(order)
    for done, plan in enumerate(order, start=1):
        if position > stock.per_page:
            canvas.showPage()
            pages += 1
            position = 1
        draw_label(canvas, plan, stock, *stock.cell_origin(position))
        position += 1
        if progress is not None:
            progress(done, total)
    canvas.showPage()
    canvas.save()
    return pages
