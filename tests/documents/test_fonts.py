"""Every document names only the embedded DejaVu fonts: no standard PDF font (Helvetica is
ReportLab's default starting font and table font) that a printer would substitute."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from ldn_desktop.documents.data import (
    leaflet_from_json,
    prescription_from_json,
    record_from_json,
)
from ldn_desktop.documents.idcard import render_idcard
from ldn_desktop.documents.label import render_labels
from ldn_desktop.documents.leaflet import render_leaflet
from ldn_desktop.documents.record_sheet import render_record
from ldn_desktop.documents.stocks import load_stock, stock_names
from tests.documents.helpers import sample

needs_pdffonts = pytest.mark.skipif(
    shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) is part of the test set-up"
)


def fonts(pdf: Path) -> list[tuple[str, str]]:
    """(name, embedded 'yes'/'no') of every font pdffonts lists."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]
    return [(row[0], row[-5]) for row in rows]


def assert_only_dejavu(pdf: Path) -> None:
    found = fonts(pdf)
    assert found, "no fonts listed"
    for name, embedded in found:
        assert name.split("+")[-1] in ("DejaVuSans", "DejaVuSans-Bold"), found
        assert embedded == "yes", found


@needs_pdffonts
@pytest.mark.parametrize("stock", stock_names())
@pytest.mark.parametrize("case", ["capsules", "liquid-titration", "cream"])
def test_labels_name_only_dejavu(tmp_path: Path, stock: str, case: str) -> None:
    data = prescription_from_json(sample(case))
    out = tmp_path / "label.pdf"
    render_labels([data, data], load_stock(stock), str(out))
    assert_only_dejavu(out)


@needs_pdffonts
@pytest.mark.parametrize("case", ["capsules", "liquid-titration"])
def test_the_wallet_card_names_only_dejavu(tmp_path: Path, case: str) -> None:
    out = tmp_path / "card.pdf"
    render_idcard(prescription_from_json(sample(case)), out)
    assert_only_dejavu(out)


@needs_pdffonts
def test_the_record_sheet_names_only_dejavu(tmp_path: Path) -> None:
    out = tmp_path / "record.pdf"
    render_record(record_from_json(sample("record-capsules")), out, printed=date(2026, 11, 21))
    assert_only_dejavu(out)


@needs_pdffonts
def test_the_leaflet_names_only_dejavu(tmp_path: Path) -> None:
    out = tmp_path / "leaflet.pdf"
    render_leaflet(leaflet_from_json(sample("cream")), out)
    assert_only_dejavu(out)
