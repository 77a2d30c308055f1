from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.trituration import (
    Weighing,
    WeighingKind,
    dilution_ratios,
    plan_trituration,
)

D = Decimal("0.1")  # the default balance's readability, mg
MIN = Decimal(82)  # 820 × 0.1 mg (USP <41>)


def test_domain_example_16_5_mg_is_one_1_in_10_stage() -> None:
    plan = plan_trituration(Decimal("16.5"), MIN, readability_mg=D)
    (stage,) = plan.stages
    assert (stage.ratio, stage.take_mg, stage.filler_mg) == (10, Decimal(165), Decimal(1485))
    assert stage.makes_mg == Decimal(1650)
    assert plan.use_mg == Decimal(165)
    assert plan.dilution_factor == 10
    assert plan.weighings == (
        Weighing("naltrexone HCl API", Decimal(165), WeighingKind.DRUG),
        Weighing("filler for trituration 1 (1:10)", Decimal(1485), WeighingKind.FILLER),
        Weighing("trituration 1 (1:10)", Decimal(165), WeighingKind.INTERMEDIATE),
    )
    assert "geometric dilution" in plan.steps[1]
    assert "weigh 165 mg of naltrexone HCl API and 1,485 mg of microcrystalline" in plan.steps[1]
    assert plan.steps[-1].startswith("Use 165 mg of trituration 1 (1:10)")


def test_domain_example_10_mcg_times_60_is_two_stages() -> None:
    plan = plan_trituration(Decimal("0.6"), MIN, readability_mg=D)
    assert [s.ratio for s in plan.stages] == [100, 10]
    assert plan.dilution_factor == 1000
    assert plan.use_mg == Decimal(600)
    first, second = plan.stages
    assert first.take_what == "naltrexone HCl API"
    assert second.take_what == "trituration 1 (1:100)"
    assert second.take_mg <= first.makes_mg
    assert all(w.mg >= MIN for w in plan.weighings)
    assert plan.to_dict()[-1] == {"use": "trituration 2 (1:1,000)", "use_mg": "600"}
    assert plan.to_dict()[1]["strength"] == "1:1000"


def test_ratios() -> None:
    assert dilution_ratios(Decimal(100), MIN) == ()
    assert dilution_ratios(Decimal("16.5"), MIN) == (10,)
    assert dilution_ratios(Decimal(1), MIN) == (100,)
    assert dilution_ratios(Decimal("0.6"), MIN) == (100, 10)
    assert dilution_ratios(Decimal("0.0001"), MIN) == (100, 100, 100)
    with pytest.raises(ValueError, match="positive"):
        dilution_ratios(Decimal(0), MIN)


def test_the_first_stage_takes_no_more_than_there_is() -> None:
    plan = plan_trituration(
        Decimal(66), MIN, "crushed tablet powder", available_mg=Decimal(200), readability_mg=D
    )
    (stage,) = plan.stages
    assert (stage.take_mg, stage.makes_mg, plan.use_mg) == (
        Decimal(200),
        Decimal(2000),
        Decimal(660),
    )
    assert "1 mg of crushed tablet powder in 10 mg" in plan.steps[1]
    assert plan.steps[-1].endswith("which contains 66 mg of crushed tablet powder.")
    ample = plan_trituration(Decimal("0.6"), MIN, available_mg=Decimal(10_000), readability_mg=D)
    assert ample.stages[0].take_mg == MIN
    with pytest.raises(ValueError, match="below the minimum weight"):
        plan_trituration(Decimal(6), MIN, available_mg=Decimal(70), readability_mg=D)


def test_a_weighable_amount_needs_no_trituration() -> None:
    with pytest.raises(ValueError, match="no trituration needed"):
        plan_trituration(Decimal(82), MIN, readability_mg=D)


def test_weighing_json_gives_exact_mg_and_the_text() -> None:
    assert Weighing("MCC", Decimal("6448.4809"), WeighingKind.FILLER).to_dict(D) == {
        "what": "MCC",
        "mg": "6448.4809",
        "text": "6,448.5 mg",
        "kind": "filler",
    }


def test_a_later_stage_takes_an_intermediate_with_no_lot_of_its_own() -> None:
    plan = plan_trituration(Decimal("0.5"), MIN, readability_mg=D)
    assert [s.ratio for s in plan.stages] == [100, 10]
    kinds = [(w.what, w.kind) for w in plan.weighings]
    assert kinds == [
        ("naltrexone HCl API", WeighingKind.DRUG),
        ("filler for trituration 1 (1:100)", WeighingKind.FILLER),
        ("trituration 1 (1:100)", WeighingKind.INTERMEDIATE),
        ("filler for trituration 2 (1:1,000)", WeighingKind.FILLER),
        ("trituration 2 (1:1,000)", WeighingKind.INTERMEDIATE),
    ]


@given(
    drug=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("81.9"), places=4),
    readability=st.sampled_from([Decimal("0.01"), Decimal("0.1"), Decimal(1)]),
)
def test_every_weighing_is_at_or_above_the_minimum(drug: Decimal, readability: Decimal) -> None:
    minimum = 820 * readability
    if drug >= minimum:
        return
    plan = plan_trituration(drug, minimum, readability_mg=readability)
    assert all(w.mg >= minimum for w in plan.weighings)
    # The amount used carries exactly the drug needed.
    assert plan.use_mg / plan.dilution_factor == drug
    # Each stage makes enough for what the next one takes, and the last for what is used.
    for before, after in zip(plan.stages, plan.stages[1:], strict=False):
        assert after.take_mg <= before.makes_mg
        assert after.strength_factor == before.strength_factor * after.ratio
    assert plan.use_mg <= plan.stages[-1].makes_mg
    # Mass balance in every stage.
    for stage in plan.stages:
        assert stage.take_mg + stage.filler_mg == stage.makes_mg
    # The smallest dilution that works: one step less would leave the amount unweighable.
    assert drug * plan.dilution_factor / 10 < minimum


def test_a_1_mg_balance_writes_whole_mg_in_every_step() -> None:
    plan = plan_trituration(Decimal("0.51234"), Decimal(820), readability_mg=Decimal(1))
    # Two 1:100 stages: 820 mg API + 81,180 mg filler, then 5,123.4 mg + 507,216.6 mg.
    assert "weigh 820 mg of naltrexone HCl API and 81,180 mg of" in plan.steps[1]
    assert "weigh 5,123 mg of trituration 1 (1:100) and 507,217 mg of" in plan.steps[2]
    assert plan.steps[-1].startswith(
        "Use 5,123 mg of trituration 2 (1:10,000): 0.512 mg × 10,000 = 5,123 mg, which"
    )
    assert (
        Weighing("MCC", Decimal("6448.5"), WeighingKind.FILLER).to_dict(Decimal(1))["text"]
        == "6,449 mg"
    )
