"""Findings shown where they belong, with words and an icon, never colour alone.

A STOP reads "STOP:" with the critical icon on a red band; a WARNING reads "Check:" with
the warning icon on an amber band; INFO reads "Note:" with the information icon.
Colours adapt to light and dark palettes so the text stays readable in both.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QVBoxLayout, QWidget

from ldn_desktop.core.findings import Finding, Severity
from ldn_desktop.ui.style import is_dark

PREFIX = {Severity.STOP: "STOP", Severity.WARNING: "Check", Severity.INFO: "Note"}

_ICON = {
    Severity.STOP: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}

# (light palette, dark palette): accent colour for the band's edge and the prefix.
_ACCENT = {
    Severity.STOP: ("#b3261e", "#ff8a80"),
    Severity.WARNING: ("#8a5300", "#ffcc66"),
    Severity.INFO: ("#1f5f99", "#9ecbff"),
}
_BAND_ALPHA = 0.13

_ORDER = {Severity.STOP: 0, Severity.WARNING: 1, Severity.INFO: 2}


def accent(severity: Severity, palette: QPalette) -> str:
    light, dark = _ACCENT[severity]
    return dark if is_dark(palette) else light


class FindingBand(QFrame):
    """One finding: icon, prefix word, message."""

    def __init__(self, finding: Finding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        self.setObjectName("findingBand")
        colour = accent(finding.severity, self.palette())
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        self.setStyleSheet(
            "#findingBand {"
            f" border-left: 4px solid {colour};"
            f" background: rgba({r}, {g}, {b}, {_BAND_ALPHA});"
            " border-radius: 3px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(8)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(self.style().standardIcon(_ICON[finding.severity]).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(icon)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setText(
            f"<b style='color:{colour}'>{PREFIX[finding.severity]}:</b> {_escape(finding.message)}"
        )
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        self.setAccessibleName(f"{PREFIX[finding.severity]}: {finding.message}")

    def plain_text(self) -> str:
        return f"{PREFIX[self.finding.severity]}: {self.finding.message}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class FindingList(QWidget):
    """A short stack of findings, most serious first; hidden while empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 2, 0, 2)
        self._layout.setSpacing(4)
        self.bands: list[FindingBand] = []
        self.setVisible(False)

    def show_findings(self, findings: Iterable[Finding]) -> None:
        for band in self.bands:
            self._layout.removeWidget(band)
            band.hide()
            band.deleteLater()
        self.bands = [
            FindingBand(f, self) for f in sorted(findings, key=lambda f: _ORDER[f.severity])
        ]
        for band in self.bands:
            self._layout.addWidget(band)
        self.setVisible(bool(self.bands))

    def texts(self) -> list[str]:
        return [band.plain_text() for band in self.bands]

    def severities(self) -> list[Severity]:
        return [band.finding.severity for band in self.bands]


def with_findings(widget: QWidget) -> tuple[QWidget, FindingList]:
    """`widget` with its own findings shown beneath it, for a form row."""
    notes = FindingList()
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(3)
    box.addWidget(widget)
    box.addWidget(notes)
    return holder, notes
