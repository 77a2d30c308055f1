"""The embedded TrueType font every document prints with (DejaVu Sans, regular and bold).

The 14 standard PDF fonts are not embedded and have no glyphs beyond Latin-1: a patient
called "Łukasz Żółć" would print with holes in the name. DejaVu Sans (Bitstream Vera
licence, resources/fonts/LICENSE-DejaVu.txt) covers Latin, Greek and Cyrillic.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ldn_desktop.paths import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


def register_fonts() -> None:
    """Register the fonts once per process (ReportLab keeps a global registry)."""
    registered = pdfmetrics.getRegisteredFontNames()
    if REGULAR not in registered:
        pdfmetrics.registerFont(TTFont(REGULAR, str(resource_path("fonts", "DejaVuSans.ttf"))))
    if BOLD not in registered:
        pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )


def text_width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))
