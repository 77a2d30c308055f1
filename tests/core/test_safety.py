from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.findings import InputRefused, Severity
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS
from ldn_desktop.core.safety import (
    check_dose,
    check_phase_doses,
    read_dose,
    read_titration_doses,
)


@pytest.mark.parametrize("mg", ["0.0001", "0.01", "0.5", "1.5", "4.5"])
def test_ldn_doses_pass_without_findings(mg: str) -> None:
    assert check_dose(Decimal(mg)) == ()


def test_above_four_and_a_half_mg_is_a_warning() -> None:
    (finding,) = check_dose(Decimal("6"))
    assert finding.code == "dose-above-usual-range"
    assert finding.severity is Severity.WARNING
    assert "6 mg is above the usual LDN range" in finding.message
    assert check_dose(Decimal(50))[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("mg", "says"),
    [
        (Decimal(0), "more than zero"),
        (Decimal("-1.5"), "more than zero"),
        (Decimal("NaN"), "is not a dose"),
        (Decimal("Infinity"), "is not a dose"),
        (Decimal("50.001"), "addiction dose"),
        (Decimal(450), "addiction dose"),
        (Decimal("0.00005"), "finer than 0.1 mcg"),
        (Decimal("1.23456"), "finer than 0.1 mcg"),
    ],
)
def test_unusable_doses_are_refused(mg: Decimal, says: str) -> None:
    with pytest.raises(InputRefused, match=says) as refused:
        check_dose(mg, "dose")
    assert refused.value.field == "dose"


def test_a_dose_that_is_not_a_decimal_is_refused() -> None:
    with pytest.raises(InputRefused, match="is not a dose"):
        check_dose(4.5)  # type: ignore[arg-type]


def test_the_limits_are_settings() -> None:
    strict = replace(
        DEFAULT_SETTINGS, usual_max_dose_mg=Decimal(3), absolute_max_dose_mg=Decimal(5)
    )
    assert check_dose(Decimal(4), settings=strict)[0].code == "dose-above-usual-range"
    with pytest.raises(InputRefused):
        check_dose(Decimal(6), settings=strict)


def test_read_dose_needs_a_unit() -> None:
    assert read_dose("250mcg") == Decimal("0.25")
    with pytest.raises(InputRefused, match="has no unit"):
        read_dose("4.5")
    with pytest.raises(InputRefused, match="addiction dose"):
        read_dose("4.5 g")


def test_a_titration_phase_ten_times_the_previous_is_refused() -> None:
    assert check_phase_doses([Decimal("0.5"), Decimal("4.5")]) == ()
    with pytest.raises(InputRefused, match="phase 2 \\(5 mg\\) is 10 times"):
        check_phase_doses([Decimal("0.5"), Decimal(5)])
    with pytest.raises(InputRefused, match="phase 3"):
        check_phase_doses([Decimal("1.5"), Decimal(3), Decimal(45)])


def test_a_warning_repeated_in_phases_is_reported_once() -> None:
    findings = check_phase_doses([Decimal(6), Decimal(6), Decimal("4.5")])
    assert [f.code for f in findings] == ["dose-above-usual-range"]


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_any_decimal_is_either_checked_or_refused(mg: Decimal) -> None:
    try:
        findings = check_dose(mg)
    except InputRefused:
        assert not mg.is_finite() or mg <= 0 or mg > 50 or mg % Decimal("0.0001") != 0
        return
    assert 0 < mg <= 50
    assert bool(findings) == (mg > Decimal("4.5"))


@pytest.mark.parametrize(
    ("text", "doses"),
    [
        ("", ()),
        ("1.5 mg for 14 days, then 3 mg", ("1.5", "3")),
        ("Days 1-7: 0.5 mg, days 8–14: 1 mg, then 1.5mg", ("0.5", "1", "1.5")),
        ("250 mcg for 7 days then 500 µg", ("0.25", "0.5")),
        ("Step 1: 1.5 mg for 2 weeks, then 3 mg (1 capsule) at bedtime", ("1.5", "3")),
    ],
)
def test_titration_doses_are_read_in_order_with_their_units(
    text: str, doses: tuple[str, ...]
) -> None:
    assert read_titration_doses(text) == tuple(Decimal(d) for d in doses)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("4.5 for 14 days, then 9 mg", "'4.5' has no unit"),
        ("1.5 mg for 14 days, then 3", "'3' has no unit"),
        ("1.5 mg then 4,5 mg", "ambiguous"),
        ("as directed", "names no dose"),
        ("0.5 mg for 7 days, then 5 mg", "10 times or more"),
        ("1.5 mg then 60 mg", "addiction dose"),
    ],
)
def test_a_titration_dose_without_its_unit_or_out_of_range_is_refused(text: str, says: str) -> None:
    with pytest.raises(InputRefused, match=says) as refused:
        read_titration_doses(text, "titration")
    assert refused.value.field == "titration"
