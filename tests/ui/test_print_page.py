"""The print panel hands the documents the pharmacy's own settings, not the defaults."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from ldn_desktop.documents.data import Paper
from ldn_desktop.documents.wording import label_directions
from ldn_desktop.store import open_store
from ldn_desktop.store.demo import fill_demo
from ldn_desktop.store.records import BatchQuery
from ldn_desktop.ui import dispensing
from ldn_desktop.ui.context import AppContext, load_settings
from ldn_desktop.ui.print_page import PrintPanel, RenderJob, render
from tests.ui.bench_pharmacy import TEST_SCRYPT_N

POINTS_PER_MM = 72 / 25.4


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("demo") / "demo.sqlite3", scrypt_n=TEST_SCRYPT_N)
    fill_demo(store)
    yield store
    store.close()


def panel_for(qtbot, demo, rx_number: str, **calculation) -> PrintPanel:
    """A print panel on the demo batch for `rx_number`, with these settings (A4 paper)."""
    settings = load_settings(demo)
    settings = replace(
        settings,
        calculation=replace(settings.calculation, **calculation),
        app=replace(settings.app, paper_size="A4"),
    )
    context = AppContext(demo, settings, None)
    panel = PrintPanel(context)
    qtbot.addWidget(panel)
    (summary,) = demo.search_batches(BatchQuery(rx_number=rx_number)).rows
    panel.sources = dispensing.read_sources(demo, summary.id)
    return panel


def test_the_leaflet_gets_the_pharmacys_surgery_days_and_paper(qtbot, demo):
    panel = panel_for(qtbot, demo, "RX-40240", surgery_stop_days_min=3, surgery_stop_days_max=5)
    leaflet = panel._document_data("leaflet")
    assert leaflet.surgery_stop_days == (3, 5)
    assert leaflet.paper is Paper.A4


def test_a_cream_without_its_own_click_volume_uses_the_pharmacys_calibration(qtbot, demo):
    # The demo cream is 3 mg/mL for 4.5 mg: 6 clicks of 0.25 mL, 4 of a calibrated 0.375 mL.
    panel = panel_for(qtbot, demo, "RX-40251", click_ml=Decimal("0.375"))
    assert panel.sources is not None
    calculation = dict(panel.sources.batch.calculation)
    del calculation["click_ml"]
    batch = replace(panel.sources.batch, calculation_json=json.dumps(calculation))
    assert panel.sources.prescription is not None
    rx = replace(panel.sources.prescription, directions="")  # written by the app
    panel.sources = replace(panel.sources, batch=batch, prescription=rx)
    label = panel._document_data("label")
    assert label.click_volume_ml == Decimal("0.375")
    assert label_directions(label).startswith("Apply 4 clicks (4.5 mg)")
    leaflet = panel._document_data("leaflet")
    assert leaflet.prescription.click_volume_ml == Decimal("0.375")


def test_the_record_sheet_is_printed_on_the_paper_size_setting(qtbot, demo, tmp_path: Path):
    panel = panel_for(qtbot, demo, "RX-40240")
    data = panel._document_data("record")
    out = tmp_path / "record.pdf"
    render(RenderJob("record", data, "", 1, 1, out, panel._paper()))
    width, height = (float(v) for v in PdfReader(out).pages[0].mediabox[2:])
    assert (round(width / POINTS_PER_MM), round(height / POINTS_PER_MM)) == (210, 297)
