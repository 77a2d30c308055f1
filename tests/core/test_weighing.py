from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.findings import InputRefused, Severity, has_stop
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS
from ldn_desktop.core.weighing import check_weighing


def test_a_weight_within_tolerance_passes() -> None:
    check = check_weighing("naltrexone HCl API", Decimal("151.5"), Decimal("152.1"))
    assert check.within_tolerance
    assert check.findings == ()
    assert check.deviation_mg == Decimal("0.6")
    assert check.to_dict()["within_tolerance"] is True
    assert check.to_dict()["deviation_mg"] == "0.6"


def test_exactly_at_the_tolerance_passes() -> None:
    assert check_weighing("MCC", Decimal(100), Decimal(105)).findings == ()
    assert check_weighing("MCC", Decimal(100), Decimal(95)).findings == ()


def test_a_weight_outside_tolerance_is_a_stop() -> None:
    check = check_weighing("naltrexone HCl API", Decimal(150), Decimal(165))
    (finding,) = check.findings
    assert finding.severity is Severity.STOP
    assert finding.code == "weight-out-of-tolerance"
    assert "165 mg weighed, 150 mg planned (10 % more, tolerance ± 5 %)" in finding.message
    low = check_weighing("MCC", Decimal(1000), Decimal(900))
    assert "10 % less" in low.findings[0].message
    assert not low.within_tolerance


def test_the_weights_in_a_finding_are_written_to_the_balance_places() -> None:
    fine = replace(DEFAULT_SETTINGS, balance_readability_mg=Decimal("0.01"))
    check = check_weighing("API", Decimal("15.30495"), Decimal("16.876"), fine)
    assert "API: 16.88 mg weighed, 15.3 mg planned" in check.findings[0].message
    whole = replace(DEFAULT_SETTINGS, balance_readability_mg=Decimal(1))
    low = check_weighing("API", Decimal("151.5"), Decimal("140.4"), whole)
    assert "API: 140 mg weighed, 152 mg planned" in low.findings[0].message
    assert "API: 140 mg is below the balance's minimum weight of 820 mg" in low.findings[1].message


def test_the_tolerance_is_a_setting_and_can_be_given() -> None:
    strict = replace(DEFAULT_SETTINGS, weighing_tolerance_percent=Decimal(1))
    assert check_weighing("MCC", Decimal(100), Decimal(102), strict).findings
    assert not check_weighing(
        "MCC", Decimal(100), Decimal(102), tolerance_percent=Decimal(3)
    ).findings


def test_a_weight_below_the_balance_minimum_is_a_warning() -> None:
    check = check_weighing("API", Decimal(50), Decimal(50))
    assert [f.code for f in check.findings] == ["weight-below-minimum"]


@pytest.mark.parametrize(
    ("planned", "actual", "tolerance", "field"),
    [
        (Decimal(0), Decimal(1), None, "planned_mg"),
        (Decimal(1), Decimal(-1), None, "actual_mg"),
        (Decimal(1), Decimal("NaN"), None, "actual_mg"),
        (Decimal(1), Decimal(1), Decimal(-1), "tolerance"),
    ],
)
def test_impossible_weights_are_refused(
    planned: Decimal, actual: Decimal, tolerance: Decimal | None, field: str
) -> None:
    with pytest.raises(InputRefused) as refused:
        check_weighing("API", planned, actual, tolerance_percent=tolerance)
    assert refused.value.field == field


@given(
    planned=st.decimals(min_value=Decimal(82), max_value=Decimal(10_000), places=1),
    factor=st.decimals(min_value=Decimal("0.8"), max_value=Decimal("1.2"), places=3),
)
def test_the_stop_matches_the_tolerance(planned: Decimal, factor: Decimal) -> None:
    actual = planned * factor
    check = check_weighing("API", planned, actual)
    assert check.within_tolerance == (abs(factor - 1) <= Decimal("0.05"))
    assert has_stop(check.findings) != check.within_tolerance
