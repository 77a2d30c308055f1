from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.bud import PreparationType
from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.liquid import LiquidOrder, LiquidPlan, plan_liquid
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS
from ldn_desktop.core.potency import ApiForm, DrugSource
from ldn_desktop.core.quantities import Strength
from ldn_desktop.core.titration import PhaseOrder, TitrationSchedule, schedule_phases

ONE_MG_ML = Strength(Decimal(1), "mL")
WEEKLY = schedule_phases(TitrationSchedule(Decimal("1.5"), Decimal("1.5"), 7, Decimal("4.5")))


def codes(plan: LiquidPlan) -> list[str]:
    return [f.code for f in plan.findings]


def test_domain_example_titration_30_days_is_103_5_ml() -> None:
    plan = plan_liquid(LiquidOrder(ONE_MG_ML, 30, titration=WEEKLY, preserved=True))
    assert plan.total_ml == Decimal("103.5")
    assert plan.drug_mg_total == Decimal("103.5")
    assert [p.dose_ml for p in plan.phases] == [Decimal("1.5"), Decimal(3), Decimal("4.5")]
    assert plan.dose_ml == Decimal("4.5")
    assert plan.tablets == 3
    assert plan.batch_ml == Decimal(150)
    assert plan.bud_days == 35
    assert plan.preparation is PreparationType.PRESERVED_AQUEOUS
    assert plan.findings == ()
    data = plan.to_dict()
    assert data["total_ml"] == "103.5"
    assert data["tablets"] == 3
    assert data["api_mg_to_weigh"] is None
    assert data["phases"][0]["dose_ml"] == "1.5"  # type: ignore[index]


def test_two_tablets_make_100_ml_at_1_mg_per_ml() -> None:
    plan = plan_liquid(LiquidOrder(ONE_MG_ML, 14, dose_mg=Decimal("4.5")))
    assert plan.dose_ml == Decimal("4.5")
    assert plan.drug_mg_total == Decimal(63)
    assert (plan.tablets, plan.batch_ml) == (2, Decimal(100))
    assert plan.bud_days == 14
    assert plan.findings == ()


def test_a_supply_longer_than_the_bud_is_a_warning() -> None:
    plan = plan_liquid(LiquidOrder(ONE_MG_ML, 30, dose_mg=Decimal("4.5")))
    (finding,) = plan.findings
    assert finding.code == "supply-longer-than-bud"
    assert "30-day supply is longer than the 14-day BUD" in finding.message
    assert "preserved vehicle" in finding.message
    preserved = plan_liquid(LiquidOrder(ONE_MG_ML, 40, dose_mg=Decimal(1), preserved=True))
    assert "preserved vehicle" not in preserved.findings[0].message


def test_twice_a_day_doubles_the_volume() -> None:
    plan = plan_liquid(LiquidOrder(ONE_MG_ML, 10, dose_mg=Decimal("0.01"), doses_per_day=2))
    assert plan.drug_mg_total == Decimal("0.2")
    assert any("2 doses a day" in s for s in plan.steps)


def test_a_dose_volume_a_syringe_cannot_measure_is_a_warning() -> None:
    plan = plan_liquid(LiquidOrder(Strength(Decimal(3), "mL"), 7, dose_mg=Decimal(1)))
    assert codes(plan) == ["dose-volume-not-measurable"]
    assert "about 0.33 mL" in plan.findings[0].message


def test_a_dose_volume_below_a_tenth_of_a_ml_is_a_warning() -> None:
    plan = plan_liquid(LiquidOrder(ONE_MG_ML, 7, dose_mg=Decimal("0.05")))
    assert codes(plan) == ["dose-volume-too-small"]
    assert "50 mcg (0.05 mg) is only 0.05 mL: below 0.1 mL" in plan.findings[0].message
    weaker = plan_liquid(LiquidOrder(Strength(Decimal("0.1"), "mL"), 7, dose_mg=Decimal("0.05")))
    assert weaker.findings == () and weaker.dose_ml == Decimal("0.5")


def test_a_batch_over_a_litre_is_a_warning() -> None:
    weak = Strength(Decimal("0.01"), "mL")
    plan = plan_liquid(LiquidOrder(weak, 14, dose_mg=Decimal("0.01")))
    assert (plan.tablets, plan.batch_ml) == (1, Decimal(5000))
    assert codes(plan) == ["batch-volume-large"]
    assert "5,000 mL at 0.01 mg/mL: make a stronger stock" in plan.findings[0].message


def test_api_is_weighed_for_the_batch() -> None:
    plan = plan_liquid(
        LiquidOrder(
            Strength(Decimal(1), "mL"),
            30,
            dose_mg=Decimal("4.5"),
            source=DrugSource.API,
            assay_percent=Decimal(99),
            preserved=True,
        )
    )
    assert plan.tablets is None
    assert plan.batch_ml == Decimal(135)
    assert plan.api_mg_to_weigh == Decimal(135) / Decimal("0.99")
    assert "Weigh 136.4 mg of API." in plan.steps
    assert plan.findings == ()
    assert plan.to_dict()["balance_readability_mg"] == "0.1"


def test_the_api_is_written_to_the_balance_places() -> None:
    order = LiquidOrder(
        Strength(Decimal(1), "mL"), 30, dose_mg=Decimal("4.5"), source=DrugSource.API,
        assay_percent=Decimal(99), preserved=True,
    )  # fmt: skip
    # 135 ÷ 0.99 = 136.3636... mg of API.
    fine = plan_liquid(order, replace(DEFAULT_SETTINGS, balance_readability_mg=Decimal("0.01")))
    assert "Weigh 136.36 mg of API." in fine.steps
    assert fine.to_dict()["balance_readability_mg"] == "0.01"
    whole = plan_liquid(order, replace(DEFAULT_SETTINGS, balance_readability_mg=Decimal(1)))
    # Below the 820 mg minimum the batch grows to 812 mL: 812 ÷ 0.99 = 820.202 mg of API.
    assert "Weigh 820 mg of API." in whole.steps


def test_too_little_api_to_weigh_makes_a_larger_batch() -> None:
    plan = plan_liquid(
        LiquidOrder(
            ONE_MG_ML, 14, dose_mg=Decimal("0.3"), source=DrugSource.API, api_form=ApiForm.BASE
        )
    )
    assert plan.total_ml == Decimal("4.2")
    assert plan.batch_ml == Decimal(91)  # the smallest whole mL whose base weighs ≥ 82 mg
    assert plan.api_mg_to_weigh is not None and plan.api_mg_to_weigh >= 82
    assert codes(plan) == ["batch-enlarged-to-weigh"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"strength": Strength(Decimal(10), "g")}, "strength"),
        ({"strength": Strength(Decimal(0), "mL")}, "strength"),
        ({"strength": Strength(Decimal("NaN"), "mL")}, "strength"),
        ({"strength": Strength(Decimal(150), "mL")}, "strength"),
        ({"doses_per_day": 0}, "doses_per_day"),
        ({"doses_per_day": 1.5}, "doses_per_day"),
        ({"days": 0}, "days"),
        ({"dose_mg": None}, "dose"),
        ({"dose_mg": Decimal(-1)}, "dose"),
        ({"assay_percent": Decimal(98)}, "assay"),
        ({"api_form": ApiForm.BASE}, "api_form"),
    ],
)
def test_unusable_liquid_orders_are_refused(changes: dict[str, object], field: str) -> None:
    order = LiquidOrder(ONE_MG_ML, 14, dose_mg=Decimal("4.5"))
    with pytest.raises(InputRefused) as refused:
        plan_liquid(replace(order, **changes))  # type: ignore[arg-type]
    assert refused.value.field == field


strengths = st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(2), Decimal(5)])
liquid_doses = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("4.5"), places=1)


@given(dose=liquid_doses, mg_ml=strengths, days=st.integers(1, 120), api=st.booleans())
def test_liquid_properties(dose: Decimal, mg_ml: Decimal, days: int, api: bool) -> None:
    source = DrugSource.API if api else DrugSource.TABLETS
    plan = plan_liquid(LiquidOrder(Strength(mg_ml, "mL"), days, dose_mg=dose, source=source))
    assert plan.dose_ml * mg_ml == dose
    assert plan.total_ml == plan.dose_ml * days
    assert plan.drug_mg_total == dose * days
    # The batch always holds at least the supply, and the drug in it matches its volume.
    assert plan.batch_ml >= plan.total_ml
    assert plan.batch_drug_mg == plan.batch_ml * mg_ml
    if plan.tablets is not None:
        whole = (plan.drug_mg_total / 50).to_integral_value(rounding=ROUND_CEILING)
        assert plan.tablets == whole
        assert plan.batch_drug_mg == plan.tablets * 50
    else:
        assert plan.api_mg_to_weigh is not None and plan.api_mg_to_weigh >= 82
    assert ("supply-longer-than-bud" in codes(plan)) == (days > 14)


@given(dose=liquid_doses, days=st.integers(1, 60))
def test_a_longer_supply_never_needs_less(dose: Decimal, days: int) -> None:
    short = plan_liquid(LiquidOrder(ONE_MG_ML, days, dose_mg=dose))
    long = plan_liquid(LiquidOrder(ONE_MG_ML, days + 1, dose_mg=dose))
    assert long.total_ml > short.total_ml
    assert long.tablets is not None and short.tablets is not None
    assert long.tablets >= short.tablets


@given(
    dose=st.one_of(st.none(), st.decimals(allow_nan=True, allow_infinity=True)),
    mg=st.decimals(allow_nan=True, allow_infinity=True),
    per=st.sampled_from(["mL", "g"]),
    days=st.integers(-5, 5000),
    per_day=st.integers(-1, 6),
    phases=st.lists(
        st.builds(PhaseOrder, st.decimals(allow_nan=False, places=2), st.integers(-2, 40)),
        max_size=4,
    ),
)
def test_any_liquid_input_gives_a_plan_or_a_refusal(
    dose: Decimal | None, mg: Decimal, per: str, days: int, per_day: int, phases: list[PhaseOrder]
) -> None:
    try:
        plan = plan_liquid(LiquidOrder(Strength(mg, per), days, dose, tuple(phases), per_day))
    except InputRefused:
        return
    assert plan.total_ml > 0
