"""Sending a finished PDF (a label sheet, a leaflet, a record) to a printer or a file.

The documents layer renders every page as a PDF; this module only moves that PDF to where
the pharmacist chose in Qt's print dialog:

- "Print to File" (Qt's PDF output): the PDF is copied as it is, so the file is exactly
  what was previewed, text and barcodes still vector;
- a CUPS queue (Linux, macOS): the PDF goes to the queue with `lp`, as vector data, with
  the copies chosen in the dialog; CUPS turns it into the printer's language;
- any other printer (Windows): each page is drawn at the printer's resolution through
  QPainter, with a progress callback, so a sheet of many labels still prints.

A QPrinter must outlive its QPrintDialog (PLATFORM.md: a temporary one segfaults), so
`PrinterChoice` keeps both.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QWidget

MAX_RENDER_DPI = 300

#: Called with (pages done, pages in all) while pages are drawn for a printer.
Progress = Callable[[int, int], None]


class PrintFailed(RuntimeError):
    """The printer or the print system refused the job; the message says what to do."""


@dataclass
class PrinterChoice:
    """The printer the pharmacist chose, kept alive as long as it is used."""

    printer: QPrinter

    @property
    def name(self) -> str:
        if self.printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            return self.printer.outputFileName()
        return self.printer.printerName()


def ask_for_printer(parent: QWidget | None, title: str) -> PrinterChoice | None:
    """Qt's print dialog; None when the pharmacist cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return PrinterChoice(printer)


def printer_named(name: str) -> PrinterChoice:
    """A system printer by its queue name (for scripts and tests)."""
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        raise PrintFailed(f"There is no printer called {name!r} on this computer.")
    return PrinterChoice(QPrinter(info, QPrinter.PrinterMode.HighResolution))


def page_count(pdf: Path) -> int:
    document = QPdfDocument()
    if document.load(str(pdf)) != QPdfDocument.Error.None_:
        raise PrintFailed(f"The document {pdf.name} could not be read back for printing.")
    return document.pageCount()


def send_pdf(pdf: Path, choice: PrinterChoice, progress: Progress | None = None) -> str:
    """Send `pdf` to the chosen printer or file; returns what happened, in one line."""
    printer = choice.printer
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        target = Path(printer.outputFileName())
        if not printer.outputFileName():
            raise PrintFailed("No file name was given to print to.")
        shutil.copyfile(pdf, target)
        return f"Saved to {target}"
    lp = shutil.which("lp")
    if lp is not None:
        return _send_to_cups(lp, pdf, printer)
    pages = _draw_pages(pdf, printer, progress)
    return f"Sent {pages} page(s) to {printer.printerName()}"


def _send_to_cups(lp: str, pdf: Path, printer: QPrinter) -> str:
    command = [
        lp,
        "-d",
        printer.printerName(),
        "-n",
        str(max(1, printer.copyCount())),
        "-t",
        printer.docName() or pdf.stem,
    ]
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        command += ["-P", f"{printer.fromPage()}-{printer.toPage()}"]
    command += ["--", str(pdf)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintFailed(f"The print system did not answer: {exc}") from exc
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise PrintFailed(
            f"The printer {printer.printerName()} refused the job: "
            f"{reason[-1] if reason else 'no reason given'}"
        )
    return f"Sent to {printer.printerName()} ({done.stdout.strip()})"


def _draw_pages(pdf: Path, printer: QPrinter, progress: Progress | None) -> int:
    """Draw each page as an image at the printer's resolution (printers without CUPS)."""
    document = QPdfDocument()
    if document.load(str(pdf)) != QPdfDocument.Error.None_:
        raise PrintFailed(f"The document {pdf.name} could not be read back for printing.")
    total = document.pageCount()
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(f"The printer {printer.printerName()} could not be opened.")
    try:
        dpi = printer.resolution()
        # An A4 page at a 1,200 dpi printer's resolution would be a 550 MB image: pages are
        # drawn at most at 300 dpi (crisp for text and the label's 2D code) and scaled.
        render_dpi = min(dpi, MAX_RENDER_DPI)
        for index in range(total):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            size = QSize(
                round(points.width() / 72 * render_dpi), round(points.height() / 72 * render_dpi)
            )
            image = document.render(index, size)
            on_paper = points * (dpi / 72)
            area = printer.pageLayout().paintRectPixels(dpi)
            scale = min(area.width() / on_paper.width(), area.height() / on_paper.height(), 1.0)
            painter.drawImage(QRectF(QPointF(0, 0), on_paper * scale), image)
            if progress is not None:
                progress(index + 1, total)
    finally:
        painter.end()
    return total
