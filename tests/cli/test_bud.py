from __future__ import annotations

import json

import pytest

from ldn_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_bud_json_for_an_unpreserved_liquid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "bud", "--type", "unpreserved-aqueous", "--compounded", "2026-11-22", "--json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["bud"] == "2026-12-06"
    assert data["days"] == 14
    assert "refrigerator" in data["storage"]
    assert data["limited_by"] is None


def test_the_earliest_component_limits_the_bud_and_is_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys, "bud", "--type", "capsule", "--compounded", "2026-11-22",
        "--component-expiry", "2027-03-01", "naltrexone HCl:N3=2027-01-15",
        "--component-expiry", "MCC=2027-02-01", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["bud"] == "2027-01-15"
    assert data["limited_by"] == {"name": "naltrexone HCl", "lot": "N3", "expiry": "2027-01-15"}


def test_bud_report_for_a_person(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "bud", "--type", "preserved-aqueous", "--compounded", "2026-11-22",
        "--component-expiry", "2026-12-01",
    )  # fmt: skip
    assert code == 0
    assert "BUD         2026-12-01" in out
    assert "Limited by  component 1" in out
    assert "WARNING: BUD shortened to 2026-12-01 by component 1" in out
    code, out, _ = run(capsys, "bud", "--type", "capsule", "--compounded", "2026-11-22")
    assert "Limited by  no component" in out


def test_stability_data_allows_a_longer_bud(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "bud", "--type", "unpreserved-aqueous", "--compounded", "2026-11-22",
        "--stability-days", "60", "--stability-reference", "LDN liquid study", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["days"] == 60


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        ("bud --compounded 2026-11-22", "--type: is required"),
        ("bud --type tablet --compounded 2026-11-22", "--type: 'tablet' is not"),
        ("bud --type capsule", "--compounded: is required"),
        ("bud --type capsule --compounded 22/11/2026", "--compounded: '22/11/2026'"),
        (
            "bud --type capsule --compounded 2026-11-22 --component-expiry soon",
            "--component-expiry: 'soon' is not a date",
        ),
        (
            "bud --type capsule --compounded 2026-11-22 --component-expiry 2026-01-01",
            "--component-expiry: component 1 expired on 2026-01-01",
        ),
        (
            "bud --type capsule --compounded 2026-11-22 --stability-days 60",
            "--stability-reference: is required",
        ),
        (
            "bud --type capsule --compounded 2026-11-22 --stability-days 0 --stability-reference x",
            "--stability-days: 0 days",
        ),
    ],
)
def test_bud_refusals_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: str, line: str
) -> None:
    code, out, err = run(capsys, *argv.split())
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert line in err
