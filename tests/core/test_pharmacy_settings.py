from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.pharmacy_settings import (
    CAPSULE_SIZES,
    DEFAULT_SETTINGS,
    CalculationSettings,
)
from ldn_desktop.core.quantities import Strength


def test_defaults_are_the_documented_figures() -> None:
    s = CalculationSettings()
    assert s.balance_readability_mg == Decimal("0.1")
    assert s.minimum_weight_mg == Decimal(82)
    assert s.click_ml == Decimal("0.25")
    assert s.liquid_strength == Strength(Decimal(1), "mL")
    assert s.tablet_mg == Decimal(50)
    assert s.weighing_tolerance_percent == Decimal(5)
    assert (s.surgery_stop_days_min, s.surgery_stop_days_max) == (2, 3)
    assert s.record_retention_years == 3
    assert set(s.capsule_fill_ml) == set(CAPSULE_SIZES)
    assert s.capsule_fill_ml["1"] == Decimal("0.50")


def test_a_one_mg_balance_cannot_weigh_below_820_mg() -> None:
    s = replace(DEFAULT_SETTINGS, balance_readability_mg=Decimal(1))
    assert s.minimum_weight_mg == Decimal(820)


def test_fill_comes_from_the_packing_statistic_when_set() -> None:
    s = replace(DEFAULT_SETTINGS, packing_mg={"1": Decimal(200)})
    assert s.fill_mg_per_capsule("1") == (Decimal(200), "packing statistic for size 1")
    mg, source = s.fill_mg_per_capsule("0")
    assert mg == Decimal("0.68") * Decimal("0.32") * 1000
    assert source == "size 0 volume × filler bulk density"


def test_an_unknown_capsule_size_is_refused() -> None:
    with pytest.raises(InputRefused, match="'6' is not a capsule size") as refused:
        DEFAULT_SETTINGS.fill_mg_per_capsule("6")
    assert refused.value.field == "size"


def test_settings_survive_a_json_round_trip() -> None:
    s = replace(
        DEFAULT_SETTINGS,
        balance_readability_mg=Decimal("0.01"),
        packing_mg={"1": Decimal("201.5")},
        cream_strength=Strength(Decimal(10), "g"),
        record_retention_years=5,
    )
    data = json.loads(json.dumps(s.to_dict()))
    assert data["balance_readability_mg"] == "0.01"
    assert data["cream_strength"] == "10mg/g"
    assert CalculationSettings.from_dict(data) == s


def test_missing_keys_keep_their_defaults() -> None:
    assert CalculationSettings.from_dict({}) == DEFAULT_SETTINGS
    s = CalculationSettings.from_dict({"click_ml": "0.13"})
    assert s.click_ml == Decimal("0.13")
    assert s.balance_readability_mg == Decimal("0.1")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"record_retention_years": "2.5"}, "record_retention_years"),
        ({"capsule_fill_ml": "0.5"}, "capsule_fill_ml"),
        ({"balance_readability_mg": "0"}, "balance_readability_mg"),
        ({"click_ml": "-0.25"}, "click_ml"),
        ({"packing_mg": {"1": "0"}}, "packing_mg[1]"),
        ({"capsule_fill_ml": {"1": "-1"}}, "capsule_fill_ml[1]"),
        ({"cream_priming_ml": "-1"}, "settings"),
        ({"weighing_tolerance_percent": "-5"}, "settings"),
        ({"usual_max_dose_mg": "60"}, "usual_max_dose_mg"),
        ({"surgery_stop_days_min": "4"}, "surgery_stop_days_min"),
        ({"surgery_stop_days_min": "0"}, "surgery_stop_days_min"),
        ({"record_retention_years": "0"}, "record_retention_years"),
        ({"liquid_strength": "1mg"}, "liquid_strength"),
        ({"tablet_mg": "abc"}, "tablet_mg"),
    ],
)
def test_unusable_settings_are_refused(data: dict[str, object], field: str) -> None:
    with pytest.raises(InputRefused) as refused:
        CalculationSettings.from_dict(data)
    assert refused.value.field == field
