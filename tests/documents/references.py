"""Reference renders: a document's pages at low resolution, compared with stored PNGs.

A test renders a PDF and calls `assert_matches_reference(name, pdf)`; the pages are drawn by
pdftoppm at REFERENCE_DPI in grey and compared pixel by pixel with
tests/documents/reference/<name>-<page>.png. A few pixels may differ (anti-aliasing between
poppler versions); a moved line, a changed word or a lost glyph does not pass.

After an intended change of a document's look, regenerate the references and LOOK at them:
    .venv/bin/python scripts/regenerate-document-references.py
Documents register their reference cases in a tests/documents/*_cases.py module exposing
`reference_renders() -> dict[str, Callable[[Path], object]]` (name -> render a PDF to a path).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
REFERENCE_DPI = 50
# A pixel "differs" when its grey level moves by more than this (of 255)...
PIXEL_TOLERANCE = 40
# ...and a page matches while at most this share of its pixels differ: about 5 pixels of a
# Letter page at 50 dpi. The same poppler draws the same PDF to identical pixels; one changed
# character of body text moves about 10 of them (measured), so it does not pass. A different
# poppler or FreeType may shift anti-aliasing: then regenerate and look.
MAX_DIFFERING_SHARE = 0.00002

HAVE_PDFTOPPM = shutil.which("pdftoppm") is not None


def render_pages(pdf: Path, dpi: int = REFERENCE_DPI) -> list[Image.Image]:
    """Every page of `pdf` as a grey image, in page order."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "page"
        subprocess.run(
            ["pdftoppm", "-gray", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True
        )
        # pdftoppm numbers pages with as many digits as the last page number needs.
        files = sorted(Path(folder).glob("page-*.png"), key=lambda f: int(f.stem.split("-")[-1]))
        return [Image.open(f).convert("L") for f in files]


def reference_files(name: str) -> list[Path]:
    return sorted(REFERENCE_DIR.glob(f"{name}-*.png"), key=lambda f: int(f.stem.rsplit("-", 1)[-1]))


def write_reference(name: str, pdf: Path) -> list[Path]:
    """Replace the stored pages of `name` with this PDF's pages."""
    REFERENCE_DIR.mkdir(exist_ok=True)
    for old in reference_files(name):
        old.unlink()
    written = []
    for number, page in enumerate(render_pages(pdf), start=1):
        target = REFERENCE_DIR / f"{name}-{number}.png"
        page.save(target, optimize=True)
        written.append(target)
    return written


def differing_share(page: Image.Image, reference: Image.Image) -> float:
    """The share of pixels whose grey level differs by more than PIXEL_TOLERANCE."""
    if page.size != reference.size:
        return 1.0
    diff = ImageChops.difference(page, reference).point(
        lambda level: 255 if level > PIXEL_TOLERANCE else 0
    )
    histogram = diff.histogram()
    return histogram[255] / (page.size[0] * page.size[1])


def assert_matches_reference(name: str, pdf: Path) -> None:
    expected = reference_files(name)
    assert expected, (
        f"no reference render for {name!r}: run scripts/regenerate-document-references.py"
    )
    pages = render_pages(pdf)
    assert len(pages) == len(expected), f"{name}: {len(pages)} pages, reference has {len(expected)}"
    for number, (page, reference_file) in enumerate(zip(pages, expected, strict=True), start=1):
        with Image.open(reference_file) as reference:
            share = differing_share(page, reference.convert("L"))
        assert share <= MAX_DIFFERING_SHARE, (
            f"{name} page {number} differs from {reference_file.name} in {share:.4%} of its "
            "pixels; if the change is intended, regenerate the references and look at them"
        )
