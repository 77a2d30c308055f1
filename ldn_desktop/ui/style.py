"""The window's look: calm spacing, readable sizes, and colours that follow the palette.

Colours come from the palette (`palette(...)` in the style sheet), so the same sheet reads
well in a light and a dark system theme; only the accents for findings are fixed, and
those adapt in `findings_view`.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLayout


def is_dark(palette: QPalette) -> bool:
    """A dark system theme: the window colour is darker than mid-grey."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


STYLE_SHEET = """
QLabel#screenTitle { font-size: 20pt; font-weight: 600; }
QLabel#pageTitle { font-size: 16pt; font-weight: 600; }
QLabel#sectionTitle { font-size: 11.5pt; font-weight: 600; }
QLabel#muted { color: palette(placeholder-text); }
QLabel#errorText { color: %(error)s; font-weight: 600; }
QLabel#banner {
    background: %(banner_bg)s; color: %(banner_fg)s;
    padding: 8px 14px; font-weight: 600;
}
QFrame#signInCard, QFrame#resultPanel {
    background: palette(base);
    border: 1px solid palette(mid);
    border-radius: 8px;
}
QListWidget#navigation {
    background: palette(alternate-base);
    border: none; border-right: 1px solid palette(mid);
    padding-top: 10px; font-size: 11pt;
}
QListWidget#navigation::item { padding: 9px 16px; border-radius: 4px; margin: 1px 8px; }
QListWidget#navigation::item:selected {
    background: palette(highlight); color: palette(highlighted-text);
}
QLabel#resultFigure { font-size: 15pt; font-weight: 600; }
QLabel#tableFigure { font-weight: 600; }
QLabel#resultCaption { color: palette(placeholder-text); }
QGroupBox { font-weight: 600; }
QGroupBox QLabel, QGroupBox QLineEdit, QGroupBox QComboBox, QGroupBox QSpinBox,
QGroupBox QCheckBox, QGroupBox QPlainTextEdit, QGroupBox QRadioButton { font-weight: normal; }
QPushButton { padding: 5px 14px; }
"""


def apply_style(app: QApplication) -> None:
    """A slightly larger default font (bench screens are read at arm's length) and the sheet."""
    font = QFont(app.font())
    if font.pointSizeF() > 0 and font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
    app.setStyleSheet(style_sheet(app.palette()))


def style_sheet(palette: QPalette) -> str:
    dark = is_dark(palette)
    return STYLE_SHEET % {
        "error": "#ff8a80" if dark else "#b3261e",
        "banner_bg": "#5c3b00" if dark else "#fff1c2",
        "banner_fg": "#ffe2a8" if dark else "#4a3000",
    }


def centred_row(widget: object) -> QLayout:
    """A row that centres `widget` with stretches (not an alignment flag, which would lose
    the height a word-wrapped label needs at the width it gets)."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget, 0)  # type: ignore[arg-type]
    row.addStretch(1)
    return row
