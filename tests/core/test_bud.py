from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.bud import (
    ComponentExpiry,
    PreparationType,
    StabilityReference,
    beyond_use_date,
)
from ldn_desktop.core.findings import InputRefused, Severity

DAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("kind", "days"),
    [
        (PreparationType.UNPRESERVED_AQUEOUS, 14),
        (PreparationType.PRESERVED_AQUEOUS, 35),
        (PreparationType.NONAQUEOUS_LIQUID, 90),
        (PreparationType.CAPSULE, 180),
    ],
)
def test_usp_795_days_by_category(kind: PreparationType, days: int) -> None:
    result = beyond_use_date(kind, DAY)
    assert result.days == days
    assert result.bud == DAY + timedelta(days=days)
    assert result.limited_by is None
    assert result.findings == ()


def test_unpreserved_liquid_is_kept_in_the_fridge() -> None:
    result = beyond_use_date(PreparationType.UNPRESERVED_AQUEOUS, DAY)
    assert "refrigerator" in result.storage
    assert result.to_dict()["bud"] == "2026-12-06"


def test_the_earliest_component_expiry_caps_the_bud_and_is_named() -> None:
    mcc = ComponentExpiry("microcrystalline cellulose", "M7", date(2027, 1, 1))
    api = ComponentExpiry("naltrexone HCl", "N3", date(2026, 12, 31))
    result = beyond_use_date(PreparationType.CAPSULE, DAY, [mcc, api])
    assert result.bud == date(2026, 12, 31)
    assert result.limited_by == api
    assert result.days == 39
    assert result.findings[0].code == "bud-limited-by-component"
    assert "naltrexone HCl lot N3" in result.findings[0].message
    assert result.to_dict()["limited_by"] == {
        "name": "naltrexone HCl",
        "lot": "N3",
        "expiry": "2026-12-31",
    }


def test_a_component_without_a_lot_is_named_by_itself() -> None:
    result = beyond_use_date(
        PreparationType.CAPSULE, DAY, [ComponentExpiry("component 1", "", date(2027, 1, 1))]
    )
    assert "by component 1 (expires" in result.findings[0].message


def test_components_expiring_later_do_not_change_the_bud() -> None:
    later = ComponentExpiry("MCC", "M7", date(2030, 1, 1))
    result = beyond_use_date(PreparationType.UNPRESERVED_AQUEOUS, DAY, [later])
    assert result.bud == DAY + timedelta(days=14)
    assert result.limited_by is None
    assert "No component expires before that date." in result.steps


def test_an_expired_component_is_refused() -> None:
    old = ComponentExpiry("MCC", "M1", date(2026, 11, 21))
    with pytest.raises(InputRefused, match="expired on 2026-11-21") as refused:
        beyond_use_date(PreparationType.CAPSULE, DAY, [old])
    assert refused.value.field == "component_expiry"


def test_a_longer_bud_needs_stability_data_and_says_so() -> None:
    study = StabilityReference(60, "LDN oral liquid study, refrigerated", "refrigerator")
    result = beyond_use_date(PreparationType.UNPRESERVED_AQUEOUS, DAY, stability=study)
    assert result.days == 60
    assert result.storage == "refrigerator"
    assert result.findings[0].code == "bud-extended-by-stability-data"
    assert result.findings[0].severity is Severity.INFO
    assert "LDN oral liquid study" in result.basis


def test_stability_data_for_a_shorter_bud_gives_no_finding_and_keeps_storage() -> None:
    study = StabilityReference(10, "in-house study", "")
    result = beyond_use_date(PreparationType.UNPRESERVED_AQUEOUS, DAY, stability=study)
    assert result.days == 10
    assert "refrigerator" in result.storage
    assert result.findings == ()


@pytest.mark.parametrize(
    ("study", "says"),
    [
        (StabilityReference(60, "  ", ""), "needs its reference"),
        (StabilityReference(0, "study", ""), "not a plausible BUD"),
        (StabilityReference(4000, "study", ""), "not a plausible BUD"),
    ],
)
def test_unusable_stability_data_is_refused(study: StabilityReference, says: str) -> None:
    with pytest.raises(InputRefused, match=says):
        beyond_use_date(PreparationType.CAPSULE, DAY, stability=study)


@given(
    kind=st.sampled_from(list(PreparationType)),
    compounded=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)),
    expiries=st.lists(st.integers(min_value=0, max_value=400), max_size=4),
)
def test_the_bud_never_passes_a_component_expiry(
    kind: PreparationType, compounded: date, expiries: list[int]
) -> None:
    components = [
        ComponentExpiry(f"c{i}", "L", compounded + timedelta(days=d))
        for i, d in enumerate(expiries)
    ]
    result = beyond_use_date(kind, compounded, components)
    assert compounded <= result.bud <= compounded + timedelta(days=180)
    assert all(result.bud <= c.expiry for c in components)
    assert result.days == (result.bud - compounded).days
