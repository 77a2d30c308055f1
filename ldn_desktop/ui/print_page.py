"""Print: preview a batch's label (and its other documents), then print or save the PDF.

The pharmacist opens a batch by its lot number (or comes from the batch detail), chooses
the document, the label stock and, on a sheet, the position of the first free label.
The PDF is rendered in the background (a sheet of many labels shows progress and never
freezes the window) and shown in Qt's PDF viewer exactly as it will print. A final label
prints only for a verified batch and only after the three-way check agreed; otherwise it
is a proof marked "NOT VERIFIED — DO NOT DISPENSE". Every value comes from the record.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QPointF, Qt, QTemporaryDir, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.core.dose_text import count_text
from ldn_desktop.ui import dispensing, printing
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.keyboard import focus_lands_on, tab_field_to_field

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DocumentKind:
    key: str
    title: str
    uses_stock: bool  # labels go on a label stock; the others on paper


DOCUMENTS = (
    DocumentKind("label", "Prescription label", True),
    DocumentKind("leaflet", "Patient leaflet", False),
    DocumentKind("record", "Compounding record sheet", False),
    DocumentKind("idcard", "Wallet ID card", False),
)


# Where each document's render function lives (documents/), as (module, function).
RENDERERS = {
    "label": ("ldn_desktop.documents.label", "render_labels"),
    "leaflet": ("ldn_desktop.documents.leaflet", "render_leaflet"),
    "record": ("ldn_desktop.documents.record_sheet", "render_record"),
    "idcard": ("ldn_desktop.documents.idcard", "render_idcard"),
}


def _renderer(kind: str) -> Callable[..., Any] | None:
    import importlib
    import importlib.util

    module_name, function = RENDERERS[kind]
    if importlib.util.find_spec(module_name) is None:
        return None
    found = getattr(importlib.import_module(module_name), function, None)
    return found if callable(found) else None


def available_documents() -> tuple[DocumentKind, ...]:
    """The documents this installation can render (each lives in its own module)."""
    return tuple(kind for kind in DOCUMENTS if _renderer(kind.key) is not None)


@dataclass(frozen=True)
class RenderJob:
    """Everything a background render needs: plain data, no store, no widgets."""

    kind: str
    data: Any
    stock: str
    start: int
    copies: int
    out: Path
    paper: Any = None  # documents.data.Paper for the record sheet (the leaflet carries its own)


def render(job: RenderJob, progress: Progress | None = None) -> int:
    """Render the document to `job.out`; returns the number of pages. Runs off the UI thread."""
    renderer = _renderer(job.kind)
    if renderer is None:
        raise RuntimeError(f"this installation cannot render a {job.kind}")
    if job.kind == "label":
        from ldn_desktop.documents.stocks import load_stock

        return int(
            renderer(
                [job.data] * job.copies,
                load_stock(job.stock),
                str(job.out),
                start=job.start,
                progress=progress,
            )
        )
    if job.kind == "record" and job.paper is not None:
        result = renderer(job.data, str(job.out), paper=job.paper)
    else:
        result = renderer(job.data, str(job.out))
    return result if isinstance(result, int) else 1


class _ProgressRelay(QObject):
    """Carries progress from the render thread to the window's thread."""

    progressed = Signal(int, int)


class PrintPanel(QWidget):
    """The preview and the print controls for one batch."""

    printed = Signal(int)  # batch id, after a final label went to a printer or a file
    rendered = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.sources: dispensing.BatchSources | None = None
        self.job: RenderJob | None = None
        self.pdf_path: Path | None = None
        self.final = False
        self._generation = 0
        self._tmp = QTemporaryDir()
        self._relay = _ProgressRelay(self)
        self._relay.progressed.connect(self._progress)

        self.lot_field = QLineEdit()
        self.lot_field.setAccessibleName("Batch lot number")
        self.lot_field.setPlaceholderText("Scan or type the batch lot number, then Enter")
        self.lot_field.returnPressed.connect(self.open_lot)
        self.document = QComboBox()
        self.document.setAccessibleName("Document")
        for kind in available_documents():
            self.document.addItem(kind.title, kind.key)
        self.stock = QComboBox()
        self.stock.setAccessibleName("Label stock")
        self._stocks: dict[str, Any] = {}
        self._load_stocks()
        self.start = QSpinBox()
        self.start.setAccessibleName("First free label on the sheet")
        self.start.setRange(1, 1)
        self.copies = QSpinBox()
        self.copies.setAccessibleName("Number of labels")
        self.copies.setRange(1, 1000)
        self.copies.setGroupSeparatorShown(True)

        form = QFormLayout()
        form.addRow("&Batch lot:", self.lot_field)
        form.addRow("&Document:", self.document)
        form.addRow("Label &stock:", self.stock)
        form.addRow("Start at p&osition:", self.start)
        form.addRow("&Labels:", self.copies)

        self.batch_summary = QLabel("No batch chosen.")
        self.batch_summary.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("printStatus")
        self.status.hide()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Rendering progress")
        self.progress.setFormat("%v of %m")
        self.progress.hide()
        self.print_button = QPushButton("&Print…")
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton("Sa&ve PDF…")
        self.save_button.clicked.connect(self.save_pdf)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)

        controls = QWidget()
        controls.setFixedWidth(400)
        controls_layout = QVBoxLayout(controls)
        controls_layout.setContentsMargins(0, 0, 0, 0)
        controls_layout.addLayout(form)
        controls_layout.addWidget(self.batch_summary)
        controls_layout.addWidget(self.status)
        controls_layout.addWidget(self.progress)
        controls_layout.addLayout(buttons)
        controls_layout.addStretch(1)

        self.pdf = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setAccessibleName("Print preview")
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setFrameShape(QFrame.Shape.StyledPanel)
        self.view.setMinimumWidth(360)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(controls)
        layout.addWidget(self.view, 1)

        for signal in (
            self.document.currentIndexChanged,
            self.stock.currentIndexChanged,
            self.start.valueChanged,
            self.copies.valueChanged,
        ):
            signal.connect(lambda *_a: self.refresh())
        self._apply_settings()
        context.settings_changed.connect(lambda _s: self._apply_settings())
        self.setFocusProxy(self.lot_field)
        tab_field_to_field(self)
        self._update_controls()

    # -- choices -------------------------------------------------------------------------
    def _load_stocks(self) -> None:
        from ldn_desktop.documents.stocks import load_stock, stock_names

        for name in stock_names():
            try:
                stock = load_stock(name)
            except Exception:  # a broken stock file is left out, not fatal
                continue
            self._stocks[name] = stock
            kind = "sheet" if stock.kind == "sheet" else "roll"
            self.stock.addItem(stock.title, name)
            self.stock.setItemData(
                self.stock.count() - 1,
                f"{stock.title}: {count_text(stock.per_page, 'label')} a {kind}",
                Qt.ItemDataRole.ToolTipRole,
            )

    def _apply_settings(self) -> None:
        settings = self.context.settings
        preferred = getattr(getattr(settings, "app", None), "label_stock", "")
        if preferred:
            index = self.stock.findData(preferred)
            if index >= 0:
                self.stock.setCurrentIndex(index)
        if self.sources is not None:
            self.refresh()  # the paper size, click volume or surgery days may have changed

    def _update_controls(self) -> None:
        kind = self.document.currentData()
        uses_stock = kind == "label"
        stock = self._stocks.get(self.stock.currentData())
        per_page = stock.per_page if stock is not None else 1
        self.stock.setEnabled(uses_stock)
        self.copies.setEnabled(uses_stock)
        self.start.setEnabled(uses_stock and per_page > 1)
        self.start.setMaximum(per_page)
        ready = self.pdf_path is not None
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    # -- the batch -------------------------------------------------------------------------
    def open_lot(self) -> None:
        number = self.lot_field.text().strip()
        if not number:
            return
        try:
            batch = self.context.store.batch_by_lot(number)
        except Exception as exc:
            show_error(self, "Batch not found", exc)
            return
        self.set_batch(batch.id)

    def set_batch(self, batch_id: int) -> None:
        try:
            self.sources = dispensing.read_sources(self.context.store, batch_id)
        except Exception as exc:
            show_error(self, "Batch not opened", exc)
            return
        batch = self.sources.batch
        self.lot_field.setText(batch.lot_number)
        who = f"{batch.patient_name} · Rx {batch.rx_number}" if batch.prescription_id else "Stock"
        self.batch_summary.setText(
            f"<b>{batch.formula_name}</b><br>{who}<br>State: {batch.state.value}"
        )
        self.refresh()

    # -- rendering -----------------------------------------------------------------------
    def _document_data(self, kind: str) -> Any:
        """The documents' data for the batch; for a final label, only after the check agrees."""
        assert self.sources is not None
        if kind == "record":
            return dispensing.record_sheet_data(self.sources)
        calculation = self.context.settings.calculation
        # The pharmacy's calibrated mL per click, for a cream whose calculation lacks its own.
        label = dispensing.label_data(self.sources, click_volume_ml=calculation.click_ml)
        if kind == "leaflet":
            from ldn_desktop.documents.data import LeafletData

            stop_days = (calculation.surgery_stop_days_min, calculation.surgery_stop_days_max)
            return LeafletData(label, self._paper(), surgery_stop_days=stop_days)
        return label

    def _paper(self) -> Any:
        """The paper size setting (Settings → Paper size) as the documents name it."""
        from ldn_desktop.documents.data import Paper

        paper = self.context.settings.app.paper_size.strip().lower()
        return Paper.A4 if paper == "a4" else Paper.LETTER

    def refresh(self) -> None:
        """Render the preview again for the current choices (in the background)."""
        self._update_controls()
        self._generation += 1
        self.pdf_path = None
        self.pdf.close()
        self._update_controls()
        if self.sources is None:
            return
        kind = self.document.currentData()
        self.final = self.sources.verified and kind != "record"
        try:
            data = self._document_data(kind)
            if kind == "label" and self.sources.verified:
                check = dispensing.final_label_check(self.sources, data)
                if not check.agrees:
                    self._stopped(check)
                    return
        except dispensing.NotPrintable as reason:
            self._show_status(str(reason), error=True)
            return
        except Exception as exc:
            show_error(self, "Cannot prepare the document", exc)
            return
        if kind == "label":
            state = (
                "Final label: the batch is verified and the prescription, the batch and the "
                "label agree."
                if self.final
                else "PROOF ONLY: the batch is not verified. It prints marked "
                "“NOT VERIFIED — DO NOT DISPENSE”."
            )
            self._show_status(state, error=not self.final)
        else:
            self.status.hide()
        generation = self._generation
        out = Path(self._tmp.path()) / f"preview-{generation}.pdf"
        stock = self.stock.currentData() or ""
        self.job = RenderJob(
            kind, data, stock, self.start.value(), self.copies.value(), out, self._paper()
        )
        job = self.job
        self.progress.setRange(0, job.copies if kind == "label" else 0)
        self.progress.setValue(0)
        self.progress.show()
        relay = self._relay

        def work() -> int:
            return render(job, lambda done, total: relay.progressed.emit(done, total))

        self.context.run_in_background(
            work,
            lambda pages: self._rendered(generation, out, pages),
            lambda exc: self._render_failed(generation, exc),
        )

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _rendered(self, generation: int, out: Path, _pages: int) -> None:
        if generation != self._generation:
            return  # the choices changed meanwhile; a newer render is on its way
        self.progress.hide()
        self.pdf_path = out
        self.pdf.load(str(out))
        self.view.pageNavigator().jump(0, QPointF(), self.view.zoomFactor())
        self._update_controls()
        self.rendered.emit()

    def _render_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.progress.hide()
        from ldn_desktop.documents.fit import DoesNotFit

        if isinstance(exc, DoesNotFit):
            self._show_status(f"This does not fit on the chosen stock: {exc}", error=True)
            return
        show_error(self, "The document could not be made", exc)

    def _stopped(self, check: Any) -> None:
        lines = "\n".join(f"• {f.message}" for f in check.findings)
        self._show_status("STOPPED: the label does not agree with the record.", error=True)
        QMessageBox.critical(
            self,
            "Label not printed",
            "The three-way check found a disagreement, so this label will not print:\n\n"
            f"{lines}\n\nCheck the prescription and the batch record with the pharmacist.",
        )

    def _show_status(self, text: str, *, error: bool) -> None:
        """A coloured band: green when a final label may print, red for a proof or a stop."""
        dark = self.palette().window().color().lightness() < 128
        if error:
            colours = ("#5c1d1a", "#ffd7d3") if dark else ("#fde7e5", "#8c1d18")
        else:
            colours = ("#163d22", "#c8f0d2") if dark else ("#e3f4e7", "#1b5e2b")
        self.status.setStyleSheet(
            f"QLabel {{ background: {colours[0]}; color: {colours[1]}; padding: 8px 12px;"
            " border-radius: 4px; font-weight: 600; }"
        )
        self.status.setText(text)
        self.status.show()

    # -- output --------------------------------------------------------------------------
    def print_document(self) -> None:
        if self.pdf_path is None:
            return
        choice = printing.ask_for_printer(self, f"Print {self._what()}")
        if choice is None:
            return
        self._send(choice)

    def _send(self, choice: printing.PrinterChoice) -> None:
        assert self.pdf_path is not None
        if not choice.printer.docName():
            choice.printer.setDocName(self._what())  # the print queue's job title
        self.progress.show()
        try:
            message = printing.send_pdf(self.pdf_path, choice, self._progress)
        except (printing.PrintFailed, OSError) as exc:
            self.progress.hide()
            QMessageBox.warning(self, "Not printed", str(exc))
            return
        self.progress.hide()
        self._after_output(message)

    def save_pdf(self) -> None:
        if self.pdf_path is None or self.sources is None:
            return
        suggested = f"{self.sources.batch.lot_number}-{self.document.currentData()}.pdf"
        target, _filter = QFileDialog.getSaveFileName(
            self, "Save PDF", suggested, "PDF documents (*.pdf)"
        )
        if not target:
            return
        try:
            shutil.copyfile(self.pdf_path, target)
        except OSError as exc:
            show_error(self, "PDF not saved", exc)
            return
        self._after_output(f"Saved to {target}")

    def _after_output(self, message: str) -> None:
        self._show_status(message, error=False)
        if self.final and self.sources is not None and self.document.currentData() == "label":
            batch = self.sources.batch
            try:
                self.context.store.mark_printed(batch.id, by=self.context.user)
            except Exception as exc:
                show_error(self, "Printing not recorded", exc)
                return
            self.context.notify_data_changed()
            self.printed.emit(batch.id)

    def _what(self) -> str:
        lot = self.sources.batch.lot_number if self.sources else ""
        return f"{self.document.currentText().lower()} {lot}".strip()


class PrintPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Print")
        title.setObjectName("pageTitle")
        self.panel = PrintPanel(context)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(self.panel, 1)
        focus_lands_on(self, self.panel)


class PrintDialog(QDialog):
    """The print panel for one batch, opened from the batch detail."""

    def __init__(self, context: AppContext, batch_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print")
        self.resize(1000, 640)
        self.panel = PrintPanel(context)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.panel.set_batch(batch_id)
