"""What the record-sheet and wallet-card tests read back from a PDF: text and pixels.

Flattened text and the ISMP check are the ones in helpers.py, shared with the label tests.

Reference renders live in tests/documents/reference/ as low-dpi greyscale PNGs. To accept
a deliberate change of layout, look at the new PNGs, then run the tests once with
LDN_UPDATE_REFERENCE=1 and commit the files it writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

REFERENCE = Path(__file__).resolve().parent / "reference"
REFERENCE_DPI = 40

needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is part of the test set-up"
)


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def render_pngs(pdf: Path, out_dir: Path, dpi: int = REFERENCE_DPI) -> list[Path]:
    subprocess.run(
        ["pdftoppm", "-png", "-gray", "-r", str(dpi), str(pdf), str(out_dir / "page")],
        check=True,
    )
    return sorted(out_dir.glob("page-*.png"))


def differing_fraction(a: Path, b: Path) -> float:
    """The share of pixels whose grey level differs by more than 32 of 255."""
    with Image.open(a) as left, Image.open(b) as right:
        if left.size != right.size:
            return 1.0
        diff = ImageChops.difference(left.convert("L"), right.convert("L"))
        histogram = diff.histogram()
        return sum(histogram[33:]) / (left.size[0] * left.size[1])


def assert_matches_reference(pdf: Path, name: str, work: Path, tolerance: float = 0.002) -> None:
    """Every page of `pdf` against tests/documents/reference/<name>-<n>.png."""
    work.mkdir(parents=True, exist_ok=True)
    pages = render_pngs(pdf, work)
    assert pages
    for n, page in enumerate(pages, start=1):
        reference = REFERENCE / f"{name}-{n}.png"
        if os.environ.get("LDN_UPDATE_REFERENCE") == "1":
            shutil.copyfile(page, reference)
            continue
        assert reference.exists(), f"no reference render {reference.name}: see printed.py"
        fraction = differing_fraction(page, reference)
        assert fraction <= tolerance, f"{name} page {n}: {fraction:.2%} of pixels differ"
    if os.environ.get("LDN_UPDATE_REFERENCE") != "1":
        extra = REFERENCE / f"{name}-{len(pages) + 1}.png"
        assert not extra.exists(), f"the reference has more pages than {len(pages)}"
