"""The label's QR code (Rx number and lot), drawn as one filled path.

ReportLab's barcode widgets make every module a shape (~100 ms a label, PLATFORM.md);
segno builds the matrix and each row's dark runs become rectangles of a single path.
zbarimg reads it back from a 300 dpi render (tests/documents/test_label.py).
"""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.pdfgen.canvas import Canvas

QUIET_MODULES = 2  # zbar reads a 2-module quiet zone reliably; the label padding adds more


def barcode_payload(rx_number: str, lot: str) -> str:
    return f"RX:{rx_number};LOT:{lot}"


@lru_cache(maxsize=256)
def _runs(payload: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(modules per side, (row, first column, length) of every dark run)."""
    qr = segno.make_qr(payload, error="m")
    matrix = qr.matrix
    runs = []
    for r, row in enumerate(matrix):
        c = 0
        n = len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return len(matrix), tuple(runs)


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """A QR code with its quiet zone inside the `size` square whose bottom-left is (x, y)."""
    modules, runs = _runs(payload)
    module = size / (modules + 2 * QUIET_MODULES)
    left = x + QUIET_MODULES * module
    top = y + size - QUIET_MODULES * module
    path = canvas.beginPath()
    for row, column, length in runs:
        path.rect(left + column * module, top - (row + 1) * module, length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)
