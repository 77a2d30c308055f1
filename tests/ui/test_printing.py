"""Printing a verified batch's label: to a real CUPS queue, to a file, and page by page.

The `cups` tests need the queue LDN_TEST_PDF (scripts/cups-test-queue.sh sets it up: a
cups-pdf virtual printer that writes each job as a PDF file, read back here).
"""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from ldn_desktop.documents.barcode import barcode_payload
from ldn_desktop.ui import printing
from ldn_desktop.ui.print_page import PrintPanel
from tests.ui.bench_pharmacy import (  # noqa: F401  (bench, page and dialogs are fixtures)
    PASSWORD,
    bench_fixture,
    dialogs_fixture,
    page_fixture,
    start_and_compound,
)

QUEUE = "LDN_TEST_PDF"

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


def cups_pdf_folder() -> Path:
    """Where cups-pdf writes jobs: LDN_TEST_PDF_DIR, else "Out" in cups-pdf.conf."""
    override = os.environ.get("LDN_TEST_PDF_DIR")
    if override:
        return Path(override)
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "Out":
                out = parts[1]
    return Path(out.replace("${HOME}", str(Path.home())).replace("${USER}", getpass.getuser()))


@pytest.fixture
def cups_queue() -> Path:
    """The LDN_TEST_PDF queue's output folder; missing queue: skip locally, fail in CI."""
    lpstat = shutil.which("lpstat")
    found = (
        lpstat is not None
        and subprocess.run(
            [lpstat, "-p", QUEUE], capture_output=True, text=True, check=False
        ).returncode
        == 0
    )
    if not found:
        message = f"no CUPS queue {QUEUE}: run scripts/cups-test-queue.sh"
        if os.environ.get("CI") or os.environ.get("HYPOTHESIS_PROFILE") == "ci":
            pytest.fail(message)
        pytest.skip(message)
    return cups_pdf_folder()


def verified_panel(qtbot, monkeypatch, bench, page, dialogs) -> PrintPanel:
    from ldn_desktop.ui import batch_detail

    detail = start_and_compound(qtbot, monkeypatch, bench, page, dialogs)
    monkeypatch.setattr(batch_detail, "ask_signature", lambda *a: ("phil", PASSWORD))
    detail.verify_button.click()
    panel = PrintPanel(bench.context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.rendered, timeout=20_000):
        panel.set_batch(detail.batch.id)
    assert panel.final
    return panel


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


@pytest.mark.cups
def test_a_final_label_prints_on_a_real_cups_queue(
    qtbot, monkeypatch, bench, page, dialogs, cups_queue
):
    panel = verified_panel(qtbot, monkeypatch, bench, page, dialogs)
    lot = panel.sources.batch.lot_number
    started = time.time() - 1
    choice = printing.printer_named(QUEUE)  # what the pharmacist picks in Qt's print dialog
    monkeypatch.setattr(printing, "ask_for_printer", lambda *a: choice)
    panel.print_button.click()
    assert QUEUE in panel.status.text()
    deadline = time.monotonic() + 60
    new: list[Path] = []
    while time.monotonic() < deadline and not new:
        time.sleep(0.3)
        if cups_queue.exists():
            new = [
                p
                for p in cups_queue.glob("*.pdf")
                if p.stat().st_mtime >= started and p.stat().st_size and lot in p.name
            ]
    assert new, f"cups-pdf wrote nothing to {cups_queue}"
    time.sleep(0.5)  # cups-pdf renames the finished file into place; let it finish
    text = pdf_text(new[0])
    assert "Jane Doe" in text
    assert lot in text
    assert "4.5 mg" in text
    assert bench.store.batch(panel.sources.batch.id).printed_at is not None


def test_print_to_file_copies_the_previewed_pdf_exactly(
    qtbot, monkeypatch, bench, page, dialogs, tmp_path
):
    panel = verified_panel(qtbot, monkeypatch, bench, page, dialogs)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    monkeypatch.setattr(printing, "ask_for_printer", lambda *a: printing.PrinterChoice(printer))
    panel.print_button.click()
    assert (tmp_path / "printed.pdf").read_bytes() == panel.pdf_path.read_bytes()


def test_without_cups_each_page_is_drawn_for_the_printer(
    qtbot, monkeypatch, bench, page, dialogs, tmp_path
):
    """The path Windows printers take: pages drawn through QPainter, with progress."""
    panel = verified_panel(qtbot, monkeypatch, bench, page, dialogs)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "drawn.pdf"))
    seen: list[tuple[int, int]] = []
    pages = printing._draw_pages(panel.pdf_path, printer, lambda d, t: seen.append((d, t)))
    assert pages == printing.page_count(panel.pdf_path) == 1
    assert seen == [(1, 1)]
    assert len(PdfReader(tmp_path / "drawn.pdf").pages) == 1
    # The drawn page still carries a readable code: Rx number and lot, as zbar reads it.
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", str(tmp_path / "drawn.pdf"), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", *map(str, tmp_path.glob("page*.png"))],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    lot = panel.sources.batch.lot_number
    assert barcode_payload("RX-1001", lot) in decoded


def test_a_queue_that_refuses_the_job_is_explained(qtbot, monkeypatch, tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    printer = QPrinter()
    printer.setPrinterName("NO_SUCH_QUEUE_HERE")
    fake_lp = tmp_path / "lp"
    fake_lp.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n")
    fake_lp.chmod(0o755)
    monkeypatch.setattr(printing.shutil, "which", lambda name: str(fake_lp))
    with pytest.raises(printing.PrintFailed, match="does not exist"):
        printing.send_pdf(pdf, printing.PrinterChoice(printer))


def test_an_unknown_printer_name_is_refused():
    with pytest.raises(printing.PrintFailed, match="no printer called"):
        printing.printer_named("NO_SUCH_QUEUE_HERE")
