"""Label reference renders: every stock, a liquid, capsules and a cream proof on each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ldn_desktop.documents.data import Prescription, prescription_from_json
from ldn_desktop.documents.label import render_labels
from ldn_desktop.documents.stocks import load_stock
from tests.documents.helpers import sample

STOCKS = ("thermal-4x2", "roll-3x2", "avery-5163", "avery-l7163")


def label_samples() -> list[Prescription]:
    return [prescription_from_json(sample(n)) for n in ("liquid-titration", "capsules", "cream")]


def _renderer(stock: str) -> Callable[[Path], object]:
    def render(out: Path) -> object:
        start = 2 if load_stock(stock).kind == "sheet" else 1
        return render_labels(label_samples(), load_stock(stock), str(out), start=start)

    return render


def reference_renders() -> dict[str, Callable[[Path], object]]:
    return {f"label-{stock}": _renderer(stock) for stock in STOCKS}
