"""Label stocks are data files; a broken one is refused with its name and the bad key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ldn_desktop.core.findings import InputRefused
from ldn_desktop.documents import stocks
from ldn_desktop.documents.stocks import load_stock, stock_names

GOOD_ROLL = {
    "name": "tiny",
    "kind": "roll",
    "unit": "mm",
    "label_width": 50,
    "label_height": 25,
    "padding": 1,
    "primary_pt": 10,
    "primary_floor_pt": 8,
    "secondary_pt": 6,
    "secondary_floor_pt": 5,
    "barcode_size": 10,
}


@pytest.fixture
def stock_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "label_stocks").mkdir()
    monkeypatch.setattr(stocks, "resources_dir", lambda: tmp_path)
    monkeypatch.setattr(stocks, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    return tmp_path / "label_stocks"


def _write(folder: Path, **changes: object) -> None:
    (folder / "tiny.json").write_text(json.dumps(GOOD_ROLL | changes), encoding="utf-8")


def test_a_new_stock_file_is_offered_by_name_in_points(stock_folder: Path) -> None:
    _write(stock_folder)
    assert stock_names() == ["tiny"]
    tiny = load_stock("tiny")
    assert tiny.label_width == pytest.approx(50 / 25.4 * 72)
    assert (tiny.page_width, tiny.per_page, tiny.cell_origin(1)) == (tiny.label_width, 1, (0, 0))


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"unit": "cm"}, "unit must be 'in' or 'mm'"),
        ({"kind": "fanfold"}, "kind must be 'roll' or 'sheet'"),
        ({"padding": -1}, "padding must be a positive number"),
        ({"barcode_size": True}, "barcode_size must be a positive number"),
        ({"kind": "sheet"}, "page_width must be a positive number"),
    ],
)
def test_a_broken_stock_file_is_refused(stock_folder: Path, changes: dict, words: str) -> None:
    _write(stock_folder, **changes)
    with pytest.raises(InputRefused, match=words) as refused:
        load_stock("tiny")
    assert refused.value.field == "stock" and "'tiny'" in refused.value.message


def test_an_unknown_stock_lists_the_known_ones() -> None:
    with pytest.raises(InputRefused, match=r"no label stock 'x' \(known: avery-5163, "):
        load_stock("x")
