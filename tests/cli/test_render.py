"""`ldn-desktop render`: each document to a PDF; bad data names its field and writes nothing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ldn_desktop.cli import main
from tests.documents.helpers import DATA, flat, sample

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    return flat(out.stdout.decode())


@needs_poppler
@pytest.mark.parametrize(
    ("kind", "data", "needed"),
    [
        ("label", "liquid-titration", "Days 1 to 14: Take 1.5 mL (1.5 mg) by mouth at bedtime"),
        ("leaflet", "liquid-titration", "Łukasz Żółć"),
        ("idcard", "capsules", "I take low-dose naltrexone (LDN)"),
        ("record", "record-capsules", "L261120-02"),
    ],
)
def test_each_document_renders(
    kind: str, data: str, needed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"{kind}.pdf"
    assert main(["render", kind, "--data", str(DATA / f"{data}.json"), "-o", str(out)]) == 0
    assert needed in _text(out)
    assert capsys.readouterr().out.strip() == str(out)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


@needs_poppler
def test_a_sheet_with_a_start_position(tmp_path: Path) -> None:
    data = tmp_path / "many.json"
    data.write_text(json.dumps({"labels": [sample("capsules")] * 12}), encoding="utf-8")
    out = tmp_path / "sheet.pdf"
    args = ["render", "label", "--data", str(data), "--stock", "avery-5163", "--start", "9"]
    assert main([*args, "-o", str(out)]) == 0
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, check=True).stdout
    # 2 labels on the first sheet (positions 9 and 10), 10 on the second.
    assert re.search(rb"^Pages:\s+2$", pages, re.MULTILINE)


def _refused(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return code, err


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"dose": "4.5"}, "refused: dose: '4.5' has no unit"),
        ({"verified": "yes"}, "refused: verified: must be true or false"),
        ({"patient": {"name": "A B"}}, "refused: patient.dob: is missing"),
        ({"titration": [{"from_day": 2, "to_day": 9, "dose": "1mg"}]}, "titration[0].from_day"),
    ],
)
def test_bad_data_names_the_field_and_writes_nothing(
    change: dict, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "bad.json"
    data.write_text(json.dumps(sample("liquid-titration") | change), encoding="utf-8")
    out = tmp_path / "out.pdf"
    code, err = _refused(["render", "label", "--data", str(data), "-o", str(out)], capsys)
    assert code == 2 and words in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_a_label_that_cannot_fit_fails_and_keeps_the_old_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "long.json"
    long = sample("capsules") | {"directions": "Take 1 capsule (4.5 mg) by mouth at bedtime. " * 9}
    data.write_text(json.dumps(long), encoding="utf-8")
    out = tmp_path / "label.pdf"
    out.write_bytes(b"the previous print")
    args = ["render", "label", "--data", str(data), "--stock", "roll-3x2", "-o", str(out)]
    code, err = _refused(args, capsys)
    assert code == 1 and "does not fit on the roll-3x2 stock" in err
    assert out.read_bytes() == b"the previous print"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["label.pdf", "long.json"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["label", "--stock", "avery-9999"], "no label stock 'avery-9999'"),
        (["label", "--stock", "avery-5163", "--start", "11"], "start position 11"),
        (["leaflet", "--start", "3"], "--stock and --start apply to labels only"),
    ],
)
def test_bad_options_fail_with_one_line(
    args: list[str], words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    data = str(DATA / "capsules.json")
    code, err = _refused(["render", *args, "--data", data, "-o", str(out)], capsys)
    assert code != 0 and words in err
    assert not out.exists()


def test_unreadable_data_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "x.pdf")
    code, err = _refused(
        ["render", "label", "--data", str(tmp_path / "none.json"), "-o", out], capsys
    )
    assert code == 1 and "no such data file" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"patient": ', encoding="utf-8")
    code, err = _refused(["render", "label", "--data", str(broken), "-o", out], capsys)
    assert code == 1 and "is not valid JSON (line 1" in err
    code, err = _refused(
        [
            "render",
            "label",
            "--data",
            str(DATA / "capsules.json"),
            "-o",
            str(tmp_path / "no" / "x.pdf"),
        ],
        capsys,
    )
    assert code == 1 and "no such folder" in err
