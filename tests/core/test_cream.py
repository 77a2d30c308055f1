from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.bud import PreparationType
from ldn_desktop.core.cream import CreamOrder, CreamPlan, plan_cream
from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS
from ldn_desktop.core.quantities import Strength
from ldn_desktop.core.titration import TitrationSchedule, schedule_phases

THREE_MG_ML = Strength(Decimal(3), "mL")


def close(a: Decimal, b: Decimal) -> bool:
    """Equal to Decimal's 28 significant digits (a division that does not terminate)."""
    return abs(a - b) <= Decimal("1e-20") * max(Decimal(1), abs(b))


def codes(plan: CreamPlan) -> list[str]:
    return [f.code for f in plan.findings]


def test_domain_example_3_mg_per_ml() -> None:
    plan = plan_cream(CreamOrder(THREE_MG_ML, 30, dose_mg=Decimal("4.5"), priming_ml=Decimal(2)))
    assert plan.mg_per_click == Decimal("0.75")
    assert plan.clicks_per_dose == Decimal(6)
    assert plan.dose_ml == Decimal("1.5")
    assert plan.total_ml == Decimal(45) + Decimal(2)
    assert plan.drug_mg_total == Decimal(47) * 3
    assert plan.bud_days == 35
    assert plan.findings == ()
    assert "4.5 mg ÷ 0.75 mg a click = 6 clicks = 1.5 mL." in plan.steps
    data = plan.to_dict()
    assert (data["mg_per_click"], data["clicks_per_dose"], data["dose_ml"]) == ("0.75", "6", "1.5")
    assert data["total_ml"] == "47"
    assert data["total_g"] is None
    assert data["phases"][0]["clicks"] == "6"  # type: ignore[index]


def test_click_and_priming_default_to_the_settings() -> None:
    settings = replace(DEFAULT_SETTINGS, click_ml=Decimal("0.125"), cream_priming_ml=Decimal(3))
    plan = plan_cream(CreamOrder(THREE_MG_ML, 10, dose_mg=Decimal("1.5")), settings)
    assert plan.click_ml == Decimal("0.125")
    assert plan.clicks_per_dose == Decimal(4)
    assert plan.total_ml == Decimal(5) + Decimal(3)


def test_mg_per_g_uses_the_specific_gravity() -> None:
    plan = plan_cream(
        CreamOrder(
            Strength(Decimal(10), "g"), 30, dose_mg=Decimal("2.5"), specific_gravity=Decimal(1)
        )
    )
    assert plan.mg_per_ml == Decimal(10)
    assert plan.mg_per_click == Decimal("2.5")
    assert plan.total_g == plan.total_ml
    assert plan.steps[0].startswith("Strength: 10 mg/g × specific gravity 1 g/mL")


def test_mg_per_g_without_specific_gravity_is_refused() -> None:
    with pytest.raises(InputRefused, match="specific gravity") as refused:
        plan_cream(CreamOrder(Strength(Decimal(10), "g"), 30, dose_mg=Decimal(1)))
    assert refused.value.field == "specific_gravity"


def test_not_a_whole_number_of_clicks_is_a_warning() -> None:
    plan = plan_cream(CreamOrder(THREE_MG_ML, 30, dose_mg=Decimal(1)))
    assert codes(plan) == ["clicks-not-whole", "drug-below-minimum-weight"]
    assert "1.333 clicks" in plan.findings[0].message
    assert "1 click would give 750 mcg (0.75 mg)" in plan.findings[0].message
    tiny = plan_cream(CreamOrder(THREE_MG_ML, 30, dose_mg=Decimal("0.1")))
    assert "1 click would give" in tiny.findings[0].message  # never 0 clicks


def test_a_batch_whose_drug_cannot_be_weighed_is_a_warning() -> None:
    plan = plan_cream(CreamOrder(THREE_MG_ML, 7, dose_mg=Decimal("1.5"), priming_ml=Decimal(0)))
    assert plan.drug_mg_total == Decimal("10.5")
    (finding,) = plan.findings
    assert finding.code == "drug-below-minimum-weight"
    assert "(10.5 mg) is below the balance's minimum weight of 82 mg" in finding.message


def test_a_titrated_cream_and_twice_a_day() -> None:
    phases = schedule_phases(TitrationSchedule(Decimal("1.5"), Decimal("1.5"), 7, Decimal("4.5")))
    plan = plan_cream(
        CreamOrder(THREE_MG_ML, 30, titration=phases, priming_ml=Decimal(0), doses_per_day=2)
    )
    assert [p.dose_ml for p in plan.phases] == [Decimal("0.5"), Decimal(1), Decimal("1.5")]
    assert plan.total_ml == Decimal("103.5") * 2 / 3
    assert any("2 doses a day" in s for s in plan.steps)


def test_a_supply_longer_than_the_bud_is_a_warning() -> None:
    plan = plan_cream(CreamOrder(THREE_MG_ML, 60, dose_mg=Decimal("4.5")))
    assert codes(plan) == ["supply-longer-than-bud"]
    anhydrous = plan_cream(
        CreamOrder(THREE_MG_ML, 60, dose_mg=Decimal("4.5"), preparation=PreparationType.CAPSULE)
    )
    assert anhydrous.bud_days == 180 and anhydrous.findings == ()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"strength": Strength(Decimal(0), "mL")}, "strength"),
        ({"strength": Strength(Decimal(200), "mL")}, "strength"),
        ({"specific_gravity": Decimal(5)}, "specific_gravity"),
        ({"click_ml": Decimal(0)}, "click_ml"),
        ({"click_ml": Decimal("NaN")}, "click_ml"),
        ({"priming_ml": Decimal(-1)}, "priming_ml"),
        ({"doses_per_day": 9}, "doses_per_day"),
        ({"days": 0}, "days"),
        ({"dose_mg": Decimal(51)}, "dose"),
    ],
)
def test_unusable_cream_orders_are_refused(changes: dict[str, object], field: str) -> None:
    order = CreamOrder(THREE_MG_ML, 30, dose_mg=Decimal("4.5"))
    with pytest.raises(InputRefused) as refused:
        plan_cream(replace(order, **changes))  # type: ignore[arg-type]
    assert refused.value.field == field


@given(
    dose=st.decimals(min_value=Decimal("0.1"), max_value=Decimal("4.5"), places=2),
    mg_ml=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(20), places=1),
    click=st.sampled_from([Decimal("0.1"), Decimal("0.125"), Decimal("0.25")]),
    days=st.integers(1, 90),
    priming=st.decimals(min_value=Decimal(0), max_value=Decimal(5), places=1),
)
def test_cream_properties(
    dose: Decimal, mg_ml: Decimal, click: Decimal, days: int, priming: Decimal
) -> None:
    order = CreamOrder(
        Strength(mg_ml, "mL"), days, dose_mg=dose, click_ml=click, priming_ml=priming
    )
    plan = plan_cream(order)
    assert plan.mg_per_click == mg_ml * click
    assert plan.dose_ml == dose / mg_ml
    assert close(plan.total_ml, dose * days / mg_ml + priming)
    assert plan.drug_mg_total == plan.total_ml * mg_ml
    whole = plan.clicks_per_dose == plan.clicks_per_dose.to_integral_value()
    assert whole != ("clicks-not-whole" in codes(plan))
    longer = plan_cream(replace(order, days=days + 1))
    assert longer.total_ml > plan.total_ml


@given(
    dose=st.one_of(st.none(), st.decimals()),
    mg=st.decimals(),
    per=st.sampled_from(["mL", "g"]),
    sg=st.one_of(st.none(), st.decimals()),
    click=st.one_of(st.none(), st.decimals()),
    priming=st.one_of(st.none(), st.decimals()),
    days=st.integers(-1, 4000),
)
def test_any_cream_input_gives_a_plan_or_a_refusal(
    dose: Decimal | None,
    mg: Decimal,
    per: str,
    sg: Decimal | None,
    click: Decimal | None,
    priming: Decimal | None,
    days: int,
) -> None:
    try:
        plan = plan_cream(CreamOrder(Strength(mg, per), days, dose, (), sg, click, priming))
    except InputRefused:
        return
    assert plan.total_ml > 0
