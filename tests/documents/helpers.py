"""Shared helpers for the document tests: sample data, PDF text, ISMP checks, renders."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent / "data"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) is part of the test set-up",
)


def sample(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def pdf_text(pdf: bytes | Path, *, raw: bool = False) -> str:
    """The text pdftotext reads; `raw`: in drawing order (a label's two columns of details
    each read whole rather than interleaved line by line)."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    order = ["-raw"] if raw else []
    out = subprocess.run(
        ["pdftotext", *order, "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace collapsed, so a wrapped line reads as one."""
    return " ".join(text.split())


def render_to_bytes(render, *args, **kwargs) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    render(*args, buffer, **kwargs)
    return buffer.getvalue()


# ISMP / Joint Commission "Do Not Use" (DOMAIN.md, "Labels and dose writing").
_ISMP = {
    "naked decimal": re.compile(r"(?<![\d.])\.\d"),
    "trailing zero": re.compile(r"\d\.\d*0\s*(mg|mcg|mL|g)\b"),
    "µg": re.compile(r"[µμ]g"),
    "cc": re.compile(r"\d\s*cc\b"),
    "QD": re.compile(r"\bQD\b|\bq\.d\.", re.IGNORECASE),
    "HS": re.compile(r"\bHS\b|\bh\.s\."),
    "no space before unit": re.compile(r"\d(mg|mcg|mL)\b"),
    "no thousands separator": re.compile(r"(?<![\d,.\-])\d{4,}(\.\d+)?\s*(mg|mcg|mL)\b"),
}


def ismp_violations(text: str) -> list[str]:
    return [f"{name}: {m.group(0)!r}" for name, rx in _ISMP.items() for m in rx.finditer(text)]
