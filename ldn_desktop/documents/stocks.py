"""Label stocks as data: resources/label_stocks/<name>.json (docs/printing.md).

A stock says where labels sit on the page and how large the text may be; it never says
what is printed (that always comes from the record).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ldn_desktop.core.findings import InputRefused
from ldn_desktop.paths import resource_path, resources_dir

_POINTS_PER = {"in": 72.0, "mm": 72.0 / 25.4}


@dataclass(frozen=True)
class LabelStock:
    """All lengths in points (1/72 in). A roll has one label per page, the label's size."""

    name: str
    title: str
    kind: str  # "roll" or "sheet"
    label_width: float
    label_height: float
    page_width: float
    page_height: float
    columns: int
    rows: int
    left_margin: float
    top_margin: float
    column_pitch: float
    row_pitch: float
    padding: float
    primary_pt: float
    primary_floor_pt: float
    secondary_pt: float
    secondary_floor_pt: float
    barcode_size: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def cell_origin(self, position: int) -> tuple[float, float]:
        """Bottom-left corner of label `position` (1-based, across then down)."""
        row, column = divmod(position - 1, self.columns)
        x = self.left_margin + column * self.column_pitch
        y = self.page_height - self.top_margin - row * self.row_pitch - self.label_height
        return x, y


def stock_names() -> list[str]:
    return sorted(p.stem for p in (resources_dir() / "label_stocks").glob("*.json"))


def _number(raw: dict[str, Any], key: str, name: str) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise InputRefused("stock", f"label stock {name!r}: {key} must be a positive number")
    return float(value)


def load_stock(name: str) -> LabelStock:
    """A stock by name, e.g. 'thermal-4x2'; refused with the list of known stocks."""
    if name not in stock_names():
        raise InputRefused("stock", f"no label stock {name!r} (known: {', '.join(stock_names())})")
    raw = json.loads(resource_path("label_stocks", f"{name}.json").read_text(encoding="utf-8"))
    unit = _POINTS_PER.get(raw.get("unit", ""))
    if unit is None:
        raise InputRefused("stock", f"label stock {name!r}: unit must be 'in' or 'mm'")
    kind = raw.get("kind")
    width = _number(raw, "label_width", name) * unit
    height = _number(raw, "label_height", name) * unit
    if kind == "roll":
        sheet = {
            "page_width": width,
            "page_height": height,
            "columns": 1,
            "rows": 1,
            "left_margin": 0.0,
            "top_margin": 0.0,
            "column_pitch": width,
            "row_pitch": height,
        }
    elif kind == "sheet":
        sheet = {
            "page_width": _number(raw, "page_width", name) * unit,
            "page_height": _number(raw, "page_height", name) * unit,
            "columns": int(_number(raw, "columns", name)),
            "rows": int(_number(raw, "rows", name)),
            "left_margin": _number(raw, "left_margin", name) * unit,
            "top_margin": _number(raw, "top_margin", name) * unit,
            "column_pitch": _number(raw, "column_pitch", name) * unit,
            "row_pitch": _number(raw, "row_pitch", name) * unit,
        }
    else:
        raise InputRefused("stock", f"label stock {name!r}: kind must be 'roll' or 'sheet'")
    return LabelStock(
        name=name,
        title=str(raw.get("title", name)),
        kind=kind,
        label_width=width,
        label_height=height,
        padding=_number(raw, "padding", name) * unit,
        primary_pt=_number(raw, "primary_pt", name),
        primary_floor_pt=_number(raw, "primary_floor_pt", name),
        secondary_pt=_number(raw, "secondary_pt", name),
        secondary_floor_pt=_number(raw, "secondary_floor_pt", name),
        barcode_size=_number(raw, "barcode_size", name) * unit,
        **sheet,
    )
