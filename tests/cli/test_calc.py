from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    code, out, err = run(capsys, *argv, "--json")
    assert (code, err) == (0, "")
    data: dict[str, object] = json.loads(out)
    return data


DOMAIN_CAPSULE = (
    "calc", "capsule", "--dose", "4.5mg", "--quantity", "30", "--size", "1",
    "--overage", "10%", "--fill-mg", "200", "--assay", "99.5", "--water", "1.5",
)  # fmt: skip


def test_capsule_json_has_the_issue_keys_and_the_domain_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = run_json(capsys, *DOMAIN_CAPSULE)
    assert data["units_to_make"] == 33
    assert data["drug_mg_total"] == "148.5"
    assert data["drug_mg_to_weigh"] == "151.5190164018059842359003138"
    assert data["fill_mg_per_unit"] == "200"
    assert data["fill_mg_total"] == "6600"
    assert data["filler_mg_total"] == "6448.480983598194015764099686"
    assert data["weighings"] == [
        {
            "what": "naltrexone HCl API",
            "mg": "151.5190164018059842359003138",
            "text": "151.5 mg",
            "kind": "drug",
        },
        {
            "what": "microcrystalline cellulose",
            "mg": "6448.480983598194015764099686",
            "text": "6,448.5 mg",
            "kind": "filler",
        },
    ]
    assert data["trituration"] == []
    assert data["findings"] == []
    assert isinstance(data["steps"], list) and data["steps"]


def test_capsule_report_for_a_person(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *DOMAIN_CAPSULE)
    assert code == 0 and err == ""
    assert "Capsules: 4.5 mg × 30 capsules, size 1" in out
    assert "Units to make     33 capsules" in out
    assert "naltrexone HCl API          151.5 mg" in out
    assert "microcrystalline cellulose  6,448.5 mg" in out
    assert "Findings: none." in out


def test_capsule_trituration_and_a_finer_balance(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("calc", "capsule", "--dose", "500mcg", "--quantity", "30", "--overage", "10%")
    data = run_json(capsys, *args)
    assert data["trituration"][0]["take_mg"] == "165"  # type: ignore[index]
    assert data["trituration"][0]["filler_mg"] == "1485"  # type: ignore[index]
    assert data["trituration"][-1]["use_mg"] == "165"  # type: ignore[index]
    fine = run_json(capsys, *args, "--balance", "0.01mg")
    assert fine["trituration"] == [] and fine["minimum_weight_mg"] == "8.2"


def test_capsule_from_tablets(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys, "calc", "capsule", "--dose", "4.5mg", "--quantity", "30", "--overage", "10%",
        "--source", "tablets", "--tablets", "3", "--tablet-powder", "600mg",
    )  # fmt: skip
    assert data["drug_mg_to_weigh"] == "594"
    assert data["drug_material"] == "crushed tablet powder"


def test_a_stop_finding_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "calc", "capsule", "--dose", "45mg", "--quantity", "2", "--fill-mg", "40"
    )
    assert code == 3
    assert "STOP: The drug (90 mg) does not fit" in out
    assert "WARNING: 45 mg is above the usual LDN range" in out


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        ("calc capsule --dose 4.5 --quantity 30", "--dose: '4.5' has no unit"),
        ("calc capsule --quantity 30", "--dose: is required"),
        ("calc capsule --dose 4.5mg", "--quantity: is required"),
        ("calc capsule --dose 4.5mg --quantity ten", "--quantity: 'ten' is not"),
        ("calc capsule --dose 4.5mg --quantity 2.5", "--quantity: '2.5' is not"),
        ("calc capsule --dose 4.5mg --quantity 0", "--quantity: 0 capsules"),
        ("calc capsule --dose 4.5mg --quantity 3 --size 9", "--size: '9'"),
        ("calc capsule --dose 60mg --quantity 3", "--dose: 60 mg is above 50"),
        ("calc capsule --dose 4.5mg --quantity 3 --api-form salt", "--api-form"),
        ("calc capsule --dose 4.5mg --quantity 3 --source x", "--source"),
        ("calc capsule --dose 4.5mg --quantity 3 --overage 5", "--overage"),
        ("calc capsule --dose 4.5mg --quantity 3 --tablets 1", "--tablet-powder: is required"),
        (
            "calc capsule --dose 4.5mg --quantity 3 --source tablets",
            "--tablet-powder: crush at least 1 tablet",
        ),
        ("calc capsule --dose 4.5mg --quantity 3 --balance 0mg", "--balance"),
        ("calc capsule --dose 4.5mg --quantity 3 --assay x", "--assay: 'x' is not a number"),
        ("calc", "say what to calculate"),
        ("calc capsule --phase 1mg:7 --phase 2mg --days 20 --size 9", "--size: '9'"),
        ("calc liquid --days 14", "--dose: give either a dose or a titration"),
        ("calc liquid --dose 4.5mg", "--days: is required"),
        ("calc liquid --dose 4.5mg --days 14 --strength 1mg/tsp", "--strength"),
        ("calc liquid --dose 4.5mg --days 14 --strength 10mg/g", "--strength: an oral liquid"),
        ("calc liquid --start 1.5mg --days 14", "--step: is required"),
        ("calc liquid --phase 1mg:7 --start 1mg --days 14", "--phase: give explicit"),
        ("calc liquid --phase 0.1mg:7 --phase 1mg --days 14", "--phase: phase 2"),
        (
            "calc liquid --start 3mg --step 1mg --every 7 --target 1mg --days 9",
            "--target: the target is below",
        ),
        ("calc cream --dose 4.5mg --days 30 --strength 10mg/g", "--specific-gravity"),
        ("calc cream --dose 4.5mg --days 30 --click-ml 0", "--click-ml"),
        ("calc cream --dose 4.5mg --days 30 --type x", "--type"),
        ("calc titration --days 30", "--start: give"),
        ("calc titration --phase 1mg:0 --phase 2mg --days 30", "--phase: 0 days"),
    ],
)
def test_refusals_are_one_line_naming_the_option(
    capsys: pytest.CaptureFixture[str], argv: str, line: str
) -> None:
    code, out, err = run(capsys, *argv.split())
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("ldn-desktop: refused: ")
    assert line in err


def test_capsule_titration_is_one_batch_per_phase(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("calc", "capsule", "--start", "1.5mg", "--step", "1.5mg", "--every", "7",
            "--target", "4.5mg", "--days", "30", "--overage", "10%")  # fmt: skip
    data = run_json(capsys, *args)
    assert data["titration"]["total_mg"] == "103.5"  # type: ignore[index]
    batches = data["batches"]
    assert [(b["from_day"], b["to_day"], b["dose_mg"], b["units_to_make"]) for b in batches] == [  # type: ignore[attr-defined, index]
        (1, 7, "1.5", 8),
        (8, 14, "3", 8),
        (15, 30, "4.5", 18),
    ]
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert "Batch 3 of 3, days 15 to 30: 4.5 mg × 16 capsules, size 1" in out
    code, _, err = run(capsys, *args, "--dose", "1mg")
    assert code == 2 and "give a dose and quantity, or a titration" in err
    code, _, err = run(capsys, "calc", "capsule", "--dose", "1mg", "--quantity", "3", "--days", "9")
    assert code == 2 and "--days: is for a titration" in err


def test_liquid_domain_titration(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys, "calc", "liquid", "--start", "1.5mg", "--step", "1.5mg", "--every", "7",
        "--target", "4.5mg", "--days", "30", "--strength", "1mg/mL", "--preserved",
    )  # fmt: skip
    assert data["total_ml"] == "103.5"
    assert data["drug_mg_total"] == "103.5"
    assert data["dose_ml"] == "4.5"
    assert (data["tablets"], data["batch_ml"], data["bud_days"]) == (3, "150", 35)


def test_titrated_liquid_and_cream_reports_list_the_phases(
    capsys: pytest.CaptureFixture[str],
) -> None:
    steps = ("--start", "1.5mg", "--step", "1.5mg", "--every", "7", "--target", "4.5mg")
    code, out, _ = run(capsys, "calc", "liquid", *steps, "--days", "30")
    assert code == 0
    assert "Target dose           4.5 mL (4.5 mg)" in out
    assert "Days 8 to 14   3 mL (3 mg)" in out
    code, out, _ = run(capsys, "calc", "cream", *steps, "--days", "30", "--strength", "3mg/mL")
    assert code == 0
    assert "Clicks per target dose  6" in out
    assert "Days 1 to 7    2 clicks (1.5 mg)" in out


def test_liquid_report_warns_about_the_bud(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calc", "liquid", "--dose", "4.5mg", "--days", "30")
    assert code == 0
    assert "Dose                  4.5 mL (4.5 mg)" in out
    assert "Tablets (50 mg)       3 tablets" in out
    assert "WARNING: A 30-day supply is longer than the 14-day BUD" in out


def test_liquid_from_api_with_explicit_phases(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "calc", "liquid", "--phase", "1.5mg:14", "--phase", "3mg", "--days", "14",
        "--source", "api", "--unpreserved",
    )  # fmt: skip
    assert code == 0
    assert "API to weigh" in out and "Tablets" not in out
    assert "info: The API for" in out


def test_cream_domain_example(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys, "calc", "cream", "--dose", "4.5mg", "--strength", "3mg/mL", "--click-ml",
        "0.25mL", "--days", "30", "--priming-ml", "2",
    )  # fmt: skip
    assert (data["mg_per_click"], data["clicks_per_dose"], data["dose_ml"]) == ("0.75", "6", "1.5")
    assert (data["total_ml"], data["drug_mg_total"]) == ("47", "141")


def test_cream_report_per_g(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "calc", "cream", "--dose", "2.5mg", "--strength", "10mg/g",
        "--specific-gravity", "1", "--days", "30", "--type", "capsule",
    )  # fmt: skip
    assert code == 0
    assert "Per click        2.5 mg (0.25 mL)" in out
    assert "Clicks per dose  1" in out


def test_titration_json_and_report(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("calc", "titration", "--start", "1.5mg", "--step", "1.5mg", "--every", "7",
            "--target", "4.5mg", "--days", "30")  # fmt: skip
    data = run_json(capsys, *args)
    assert data["total_mg"] == "103.5"
    assert [(p["from_day"], p["to_day"], p["dose_mg"]) for p in data["phases"]] == [  # type: ignore[attr-defined, index]
        (1, 7, "1.5"),
        (8, 14, "3"),
        (15, 30, "4.5"),
    ]
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert "Days 15 to 30  4.5 mg a day" in out
    assert "Total  103.5 mg" in out


def test_help_and_no_traceback_from_a_real_process() -> None:
    for argv in (["calc", "--help"], ["calc", "capsule", "--help"], ["bud", "--help"]):
        done = subprocess.run(
            [sys.executable, "-m", "ldn_desktop", *argv],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "--json" in done.stdout
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "ldn_desktop",
            "calc",
            "capsule",
            "--dose",
            "nan mg",
            "--quantity",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert bad.stderr.startswith("ldn-desktop: refused: --dose")


@given(
    dose=st.text(max_size=8),
    quantity=st.text(max_size=5),
    overage=st.text(max_size=4),
    size=st.text(max_size=3),
    balance=st.text(max_size=6),
)
def test_any_capsule_options_give_a_plan_or_one_refusal_line(
    dose: str, quantity: str, overage: str, size: str, balance: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = [
        "calc", "capsule", f"--dose={dose}", f"--quantity={quantity}",
        f"--overage={overage}", f"--size={size}", f"--balance={balance}", "--json",
    ]  # fmt: skip
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code in (0, 2, 3)
    if code == 2:
        assert err.getvalue().count("\n") == 1 and out.getvalue() == ""
    else:
        assert json.loads(out.getvalue())["units_to_make"] >= 1


@given(
    dose=st.text(max_size=8),
    strength=st.text(max_size=8),
    days=st.text(max_size=4),
    kind=st.sampled_from(["liquid", "cream"]),
)
def test_any_liquid_or_cream_options_give_a_plan_or_one_refusal_line(
    dose: str, strength: str, days: str, kind: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["calc", kind, f"--dose={dose}", f"--strength={strength}", f"--days={days}"]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code in (0, 2, 3)
    if code == 2:
        assert err.getvalue().count("\n") == 1 and out.getvalue() == ""


def test_calc_uses_the_settings_saved_in_the_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from dataclasses import replace
    from decimal import Decimal

    from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS
    from ldn_desktop.store import open_store
    from ldn_desktop.store.records import PharmacyDetails

    path = tmp_path / "pharmacy.sqlite3"
    store = open_store(path, scrypt_n=2**10)
    admin = store.create_pharmacy(
        PharmacyDetails("Test Pharmacy"), "admin", "A. Admin", "correct horse"
    )
    fine = replace(DEFAULT_SETTINGS, balance_readability_mg=Decimal("0.01"))
    store.set_calculation_settings(fine.to_dict(), by=admin)
    store.close()
    args = ("calc", "capsule", "--dose", "0.5mg", "--quantity", "30", "--overage", "10%")
    saved = run_json(capsys, "--db", str(path), *args)
    assert saved["minimum_weight_mg"] == "8.2"
    assert saved["trituration"] == []
    overridden = run_json(capsys, "--db", str(path), *args, "--balance", "1mg")
    assert overridden["minimum_weight_mg"] == "820"
    default = run_json(capsys, *args)  # no database yet: the defaults, and none is created
    assert default["minimum_weight_mg"] == "82"


def test_calc_with_a_database_that_is_not_there_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--db", str(tmp_path / "none.sqlite3"), "calc", "titration",
                         "--phase", "1mg", "--days", "3")  # fmt: skip
    assert (code, out) == (1, "")
    assert err.startswith("ldn-desktop: no database at ")
    assert not (tmp_path / "none.sqlite3").exists()


BALANCE_CAPSULE = (
    "calc", "capsule", "--dose", "0.5mg", "--quantity", "31", "--size", "1",
    "--assay", "99.5", "--water", "1.5",
)  # fmt: skip


def test_weighings_are_written_to_the_balance_places(capsys: pytest.CaptureFixture[str]) -> None:
    # 15.5 mg ÷ 0.980075 = 15.81511... mg of API: the 0.01 mg balance shows 15.82.
    code, out, err = run(capsys, *BALANCE_CAPSULE, "--balance", "0.01mg")
    assert code == 0 and err == ""
    assert "naltrexone HCl API          15.82 mg" in out
    assert "microcrystalline cellulose  4,944.18 mg" in out
    assert "= 4,944.18 mg of microcrystalline cellulose." in out
    # The default 0.1 mg balance triturates it (minimum 82 mg) and weighs to one place.
    code, out, err = run(capsys, *BALANCE_CAPSULE)
    assert "= 4,801.8 mg of microcrystalline cellulose." in out
    # The brief's example: 15 ÷ 0.980075 = 15.30495... mg, which a 0.01 mg balance shows as
    # 15.30 (not 15.31: the 15.305 of the working is itself rounded).
    data = run_json(capsys, *BALANCE_CAPSULE[:5], "30", *BALANCE_CAPSULE[6:], "--balance", "0.01mg")
    assert data["weighings"][0]["text"] == "15.3 mg"  # type: ignore[index]
    assert data["weighings"][0]["mg"].startswith("15.30495")  # type: ignore[index]


def test_a_1_mg_balance_report_has_whole_mg(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *DOMAIN_CAPSULE, "--balance", "1mg")
    assert code == 0 and err == ""
    weigh = out.split("Weigh:")[1].split("Working:")[0]
    assert "1,515 mg" in weigh and "13,637 mg" in weigh and "5,085 mg" in weigh
    assert "." not in weigh.replace("(1:10)", "")


def test_liquid_api_is_written_to_the_balance_places(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("calc", "liquid", "--dose", "4.5mg", "--days", "30", "--source", "api",
            "--assay", "99", "--preserved")  # fmt: skip
    # 135 mg ÷ 0.99 = 136.3636... mg of API.
    code, out, _ = run(capsys, *args, "--balance", "0.01mg")
    assert code in (0, 1) and "API to weigh          136.36 mg" in out
    assert "Weigh 136.36 mg of API." in out
    code, out, _ = run(capsys, *args)
    assert "API to weigh          136.4 mg" in out
