from __future__ import annotations

from decimal import Decimal

import pytest

from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.potency import (
    NALTREXONE_BASE_MW,
    NALTREXONE_HCL_MW,
    ApiForm,
    api_to_weigh,
)


def test_hcl_at_full_potency_is_weighed_as_is() -> None:
    result = api_to_weigh(Decimal("148.5"))
    assert result.weigh_mg == Decimal("148.5")
    assert result.steps == ()
    assert result.findings == ()


def test_assay_and_water_correct_the_weight() -> None:
    result = api_to_weigh(Decimal("148.5"), Decimal("99.5"), Decimal("1.5"))
    assert result.weigh_mg == Decimal("148.5") / (Decimal("0.995") * Decimal("0.985"))
    assert "151.519 mg to weigh" in result.steps[0]


def test_the_base_weighs_less_by_the_molecular_weight_ratio() -> None:
    result = api_to_weigh(Decimal("4.5"), form=ApiForm.BASE)
    assert result.active_mg == Decimal("4.5") * NALTREXONE_BASE_MW / NALTREXONE_HCL_MW
    assert round(result.active_mg, 2) == Decimal("4.07")  # DOMAIN.md: 4.5 mg HCl = 4.07 mg base
    assert "base" in result.steps[0]


def test_a_low_assay_is_a_warning() -> None:
    (finding,) = api_to_weigh(Decimal(10), Decimal(85)).findings
    assert finding.code == "low-assay"


@pytest.mark.parametrize(
    ("assay", "water", "field"),
    [
        (Decimal(0), Decimal(0), "assay"),
        (Decimal(111), Decimal(0), "assay"),
        (Decimal("NaN"), Decimal(0), "assay"),
        (Decimal(99), Decimal(-1), "water"),
        (Decimal(99), Decimal(50), "water"),
        (Decimal(99), Decimal("Infinity"), "water"),
    ],
)
def test_implausible_certificates_are_refused(assay: Decimal, water: Decimal, field: str) -> None:
    with pytest.raises(InputRefused) as refused:
        api_to_weigh(Decimal(10), assay, water)
    assert refused.value.field == field
