"""Render resources/icons/ldn-desktop.svg into the PNG, ICO and ICNS files the installers use.

Run after editing the SVG (the generated files are committed, so a build needs no SVG
renderer):  .venv/bin/python scripts/make-icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "ldn-desktop.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # what Windows Explorer and the taskbar ask for
ICNS_SIZES = (16, 32, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage/QPainter need an application
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"cannot read {SOURCE}", file=sys.stderr)
        return 1
    for size in PNG_SIZES:
        render(renderer, size).save(str(ICONS / f"ldn-desktop-{size}.png"))
    largest = Image.open(ICONS / "ldn-desktop-512.png")
    largest.save(ICONS / "ldn-desktop.ico", sizes=[(s, s) for s in ICO_SIZES])
    largest.save(ICONS / "ldn-desktop.icns", sizes=[(s, s) for s in ICNS_SIZES])
    print(f"icons written to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
