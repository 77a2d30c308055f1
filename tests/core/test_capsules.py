from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.capsules import (
    CapsuleOrder,
    CapsulePlan,
    Overage,
    TabletPowder,
    plan_capsules,
    titration_capsule_orders,
)
from ldn_desktop.core.dose_text import mass_text
from ldn_desktop.core.findings import InputRefused, Severity
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS
from ldn_desktop.core.potency import ApiForm, DrugSource
from ldn_desktop.core.quantities import decimal_str
from ldn_desktop.core.titration import TitrationSchedule, plan_titration
from ldn_desktop.core.trituration import Weighing, WeighingKind

TEN_PERCENT = Overage(Decimal(10), percent=True)

DOMAIN_ORDER = CapsuleOrder(
    dose_mg=Decimal("4.5"),
    quantity=30,
    size="1",
    overage=TEN_PERCENT,
    fill_mg=Decimal(200),
    assay_percent=Decimal("99.5"),
    water_percent=Decimal("1.5"),
)


def codes(plan: CapsulePlan) -> list[str]:
    return [f.code for f in plan.findings]


def test_domain_worked_example() -> None:
    plan = plan_capsules(DOMAIN_ORDER)
    assert plan.units_to_make == 33
    assert plan.drug_mg_total == Decimal("148.5")
    # 148.5 ÷ (0.995 × 0.985) = 148.5 ÷ 0.980075
    assert plan.drug_mg_to_weigh == Decimal("151.5190164018059842359003138")
    assert mass_text(plan.drug_mg_to_weigh) == "151.5 mg"
    assert plan.fill_mg_total == Decimal(6600)
    assert plan.filler_mg_total == Decimal(6600) - plan.drug_mg_to_weigh
    assert mass_text(plan.filler_mg_total) == "6,448.5 mg"
    assert plan.trituration is None
    assert [w.what for w in plan.weighings] == ["naltrexone HCl API", "microcrystalline cellulose"]
    assert plan.findings == ()
    assert plan.steps[0] == (
        "Units to make: 30 capsules + 10 % overage (3 capsules, rounded up) = 33 capsules."
    )
    data = plan.to_dict()
    assert data["units_to_make"] == 33
    assert data["drug_mg_total"] == "148.5"
    assert data["fill_mg_per_unit"] == "200"
    assert data["weighings"][0]["text"] == "151.5 mg"  # type: ignore[index]
    assert data["trituration"] == []


def test_thirty_at_ten_percent_is_33_not_34() -> None:
    assert TEN_PERCENT.extra_units(30) == 3
    assert TEN_PERCENT.extra_units(31) == 4  # 3.1 rounded up
    assert Overage(Decimal(3)).extra_units(30) == 3


def test_overage_is_read_as_a_count_or_a_percentage() -> None:
    assert Overage.parse("10%") == TEN_PERCENT
    assert Overage.parse(" 3 ") == Overage(Decimal(3), False)
    assert Overage.parse("10 %").text() == "10 %"
    assert Overage.parse("1").text() == "1 capsule"


@pytest.mark.parametrize(
    ("overage", "says"),
    [
        (Overage(Decimal(-1)), "not possible"),
        (Overage(Decimal("NaN")), "not possible"),
        (Overage(Decimal(150), True), "more than 100 %"),
        (Overage(Decimal("2.5")), "not a whole number"),
        (Overage(Decimal(31)), "more extra capsules"),
    ],
)
def test_unusable_overage_is_refused(overage: Overage, says: str) -> None:
    with pytest.raises(InputRefused, match=says):
        overage.extra_units(30)


def test_domain_trituration_example_in_a_capsule_batch() -> None:
    plan = plan_capsules(CapsuleOrder(Decimal("0.5"), 30, "1", TEN_PERCENT, fill_mg=Decimal(200)))
    assert plan.drug_mg_total == Decimal("16.5")
    assert plan.trituration is not None
    stage = plan.trituration.stages[0]
    assert (stage.take_mg, stage.filler_mg, plan.trituration.use_mg) == (
        Decimal(165),
        Decimal(1485),
        Decimal(165),
    )
    assert plan.filler_mg_total == Decimal(6600 - 165)
    assert plan.weighings[-1] == Weighing(
        "microcrystalline cellulose", Decimal(6435), WeighingKind.FILLER
    )
    assert all(w.mg >= 82 for w in plan.weighings)
    assert plan.to_dict()["trituration"][0]["take_mg"] == "165"  # type: ignore[index]


def test_ten_mcg_times_60_needs_two_stages() -> None:
    plan = plan_capsules(CapsuleOrder(Decimal("0.01"), 60, "1"))
    assert plan.trituration is not None
    assert [s.ratio for s in plan.trituration.stages] == [100, 10]
    assert all(w.mg >= plan.minimum_weight_mg for w in plan.weighings)
    assert plan.fill_mg_per_unit == Decimal("0.50") * Decimal("0.32") * 1000


def test_a_finer_balance_needs_no_trituration() -> None:
    fine = replace(DEFAULT_SETTINGS, balance_readability_mg=Decimal("0.01"))
    plan = plan_capsules(CapsuleOrder(Decimal("0.5"), 30, overage=TEN_PERCENT), fine)
    assert plan.minimum_weight_mg == Decimal("8.2")
    assert plan.trituration is None


def test_the_packing_statistic_is_used_when_no_fill_is_given() -> None:
    settings = replace(DEFAULT_SETTINGS, packing_mg={"0": Decimal(300)})
    plan = plan_capsules(CapsuleOrder(Decimal("4.5"), 10, "0"), settings)
    assert plan.fill_mg_per_unit == Decimal(300)
    assert "packing statistic for size 0" in plan.steps[2]
    assert plan.steps[0] == "Units to make: 10 capsules (no overage)."


def test_the_density_ratio_scales_the_drug_displacement() -> None:
    settings = replace(DEFAULT_SETTINGS, filler_to_drug_density_ratio=Decimal("0.8"))
    plan = plan_capsules(
        replace(DOMAIN_ORDER, assay_percent=Decimal(100), water_percent=Decimal(0)), settings
    )
    assert plan.filler_mg_total == Decimal(6600) - Decimal("148.5") * Decimal("0.8")
    assert "density ratio 0.8" in plan.steps[-1]


def test_base_api_is_weighed_as_base() -> None:
    plan = plan_capsules(CapsuleOrder(Decimal("4.5"), 30, api_form=ApiForm.BASE))
    assert plan.drug_material == "naltrexone base API"
    assert plan.drug_mg_to_weigh == Decimal(135) * Decimal("341.4") / Decimal("377.86")


def test_crushed_tablets_give_the_powder_to_use() -> None:
    order = CapsuleOrder(
        Decimal("4.5"),
        30,
        overage=TEN_PERCENT,
        fill_mg=Decimal(200),
        source=DrugSource.TABLETS,
        tablet_powder=TabletPowder(3, Decimal(600)),
    )
    plan = plan_capsules(order)
    # 600 mg of powder from 3 × 50 mg = 4 mg of powder per mg; 148.5 mg × 4 = 594 mg.
    assert plan.drug_mg_to_weigh == Decimal(594)
    assert plan.drug_material == "crushed tablet powder"
    assert plan.filler_mg_total == Decimal(6600 - 594)
    assert "4 mg of powder per mg of drug" in plan.steps[2]


def test_a_tablet_trituration_uses_the_powder_there_is() -> None:
    order = CapsuleOrder(
        Decimal("0.5"), 30, overage=TEN_PERCENT, source=DrugSource.TABLETS,
        tablet_powder=TabletPowder(1, Decimal(200)),
    )  # fmt: skip
    plan = plan_capsules(order)
    assert plan.drug_mg_to_weigh == Decimal(66)
    assert plan.trituration is not None
    assert plan.trituration.stages[0].take_mg == Decimal(200)  # all of it, not 660 mg
    assert plan.trituration.use_mg == Decimal(660)
    assert all(w.mg >= 82 for w in plan.weighings)
    too_little = replace(order, tablet_powder=TabletPowder(1, Decimal(70)))
    with pytest.raises(InputRefused, match="crush at least 2 tablets for the trituration"):
        plan_capsules(too_little)


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"tablet_powder": None}, "tablet_powder", "crush at least 3 tablets"),
        ({"tablet_powder": TabletPowder(2, Decimal(400))}, "tablets", "crush at least 3"),
        ({"tablet_powder": TabletPowder(3, Decimal(100))}, "tablet_powder", "less than"),
        ({"tablet_powder": TabletPowder(3.5, Decimal(700))}, "tablets", "whole number"),  # type: ignore[arg-type]
        ({"assay_percent": Decimal(99)}, "assay", "not to tablets"),
        ({"api_form": ApiForm.BASE}, "api_form", "naltrexone HCl"),
    ],
)
def test_tablet_input_that_cannot_work_is_refused(
    changes: dict[str, object], field: str, says: str
) -> None:
    order = CapsuleOrder(
        Decimal("4.5"),
        30,
        overage=TEN_PERCENT,
        source=DrugSource.TABLETS,
        tablet_powder=TabletPowder(3, Decimal(600)),
    )
    with pytest.raises(InputRefused, match=says) as refused:
        plan_capsules(replace(order, **changes))  # type: ignore[arg-type]
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10_001}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"quantity": 2.0}, "quantity"),
        ({"fill_mg": Decimal(0)}, "fill_mg"),
        ({"fill_mg": Decimal("NaN")}, "fill_mg"),
        ({"size": "6"}, "size"),
        ({"dose_mg": Decimal("4.5000001")}, "dose"),
    ],
)
def test_unusable_orders_are_refused(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InputRefused) as refused:
        plan_capsules(replace(DOMAIN_ORDER, **changes))  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_drug_that_does_not_fit_the_capsule_is_a_stop() -> None:
    plan = plan_capsules(CapsuleOrder(Decimal(45), 2, fill_mg=Decimal(40)))
    assert "drug-exceeds-fill" in codes(plan)
    assert any(f.severity is Severity.STOP for f in plan.findings)
    assert plan.weighings == (Weighing("naltrexone HCl API", Decimal(90), WeighingKind.DRUG),)


def test_a_trituration_that_does_not_fit_is_a_stop() -> None:
    plan = plan_capsules(CapsuleOrder(Decimal("4.5"), 1, fill_mg=Decimal(100)))
    assert plan.trituration is not None and plan.trituration.use_mg == Decimal(450)
    assert "drug-exceeds-fill" in codes(plan)


def test_filler_below_the_minimum_weight_is_a_warning() -> None:
    plan = plan_capsules(CapsuleOrder(Decimal(45), 2, fill_mg=Decimal(85)))
    assert plan.filler_mg_total == Decimal(80)
    assert codes(plan) == ["dose-above-usual-range", "filler-below-minimum-weight"]


def test_no_filler_left_means_no_filler_weighing() -> None:
    plan = plan_capsules(CapsuleOrder(Decimal(45), 2, fill_mg=Decimal(45)))
    assert plan.filler_mg_total == 0
    assert [w.what for w in plan.weighings] == ["naltrexone HCl API"]


def test_low_assay_warning_reaches_the_plan() -> None:
    plan = plan_capsules(replace(DOMAIN_ORDER, assay_percent=Decimal(85)))
    assert "low-assay" in codes(plan)


def test_a_titration_is_one_capsule_batch_per_phase() -> None:
    weekly = plan_titration(
        TitrationSchedule(Decimal("1.5"), Decimal("1.5"), 7, Decimal("4.5")), 30
    )
    orders = titration_capsule_orders(weekly, CapsuleOrder(Decimal(1), 1, "3", TEN_PERCENT))
    assert [(o.dose_mg, o.quantity, o.size) for o in orders] == [
        (Decimal("1.5"), 7, "3"),
        (Decimal(3), 7, "3"),
        (Decimal("4.5"), 16, "3"),
    ]
    assert sum(o.dose_mg * o.quantity for o in orders) == Decimal("103.5")
    assert [plan_capsules(o).units_to_make for o in orders] == [8, 8, 18]
    assert plan_capsules(replace(orders[0], overage=Overage(Decimal(2)))).steps[0] == (
        "Units to make: 7 capsules + 2 capsules overage = 9 capsules."
    )
    twice = titration_capsule_orders(weekly, CapsuleOrder(Decimal(1), 1), doses_per_day=2)
    assert [o.quantity for o in twice] == [14, 14, 32]
    with pytest.raises(InputRefused, match="doses a day"):
        titration_capsule_orders(weekly, CapsuleOrder(Decimal(1), 1), doses_per_day=0)


# ---- properties -----------------------------------------------------------------------

capsule_doses = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("4.5"), places=3)
quantities = st.integers(min_value=1, max_value=400)
percents = st.decimals(min_value=Decimal(0), max_value=Decimal(25), places=1)
sizes = st.sampled_from(["000", "00", "0", "1", "2", "3", "4", "5"])


@given(dose=capsule_doses, quantity=quantities, percent=percents, size=sizes)
def test_capsule_plan_properties(dose: Decimal, quantity: int, percent: Decimal, size: str) -> None:
    plan = plan_capsules(CapsuleOrder(dose, quantity, size, Overage(percent, True)))
    extra = (quantity * percent / 100).to_integral_value(rounding=ROUND_CEILING)
    assert plan.units_to_make == quantity + extra
    assert plan.drug_mg_total == dose * plan.units_to_make
    assert plan.fill_mg_total == plan.fill_mg_per_unit * plan.units_to_make
    # Mass balance: what goes in (drug or trituration aliquot, plus filler) is the fill.
    used = plan.trituration.use_mg if plan.trituration else plan.drug_mg_to_weigh
    assert used + plan.filler_mg_total == plan.fill_mg_total
    # Every weighing is weighable, or the plan says why not.
    below = [w for w in plan.weighings if w.mg < plan.minimum_weight_mg]
    if below:
        assert {"filler-below-minimum-weight"} <= set(codes(plan))
    if plan.filler_mg_total < 0:
        assert "drug-exceeds-fill" in codes(plan)
    for text in plan.steps:
        assert " .5" not in text and ".0 mg" not in text and "µg" not in text


@given(dose=capsule_doses, quantity=st.integers(min_value=1, max_value=200))
def test_drug_and_fill_are_proportional_to_the_quantity(dose: Decimal, quantity: int) -> None:
    one = plan_capsules(CapsuleOrder(dose, quantity))
    two = plan_capsules(CapsuleOrder(dose, quantity * 2))
    assert two.drug_mg_total == one.drug_mg_total * 2
    assert two.drug_mg_to_weigh == one.drug_mg_to_weigh * 2
    assert two.fill_mg_total == one.fill_mg_total * 2


@given(
    low=capsule_doses,
    high=capsule_doses,
    assay=st.decimals(min_value=Decimal(90), max_value=Decimal(101), places=1),
)
def test_more_drug_or_lower_potency_means_more_to_weigh(
    low: Decimal, high: Decimal, assay: Decimal
) -> None:
    low, high = min(low, high), max(low, high)
    a = plan_capsules(CapsuleOrder(low, 30, assay_percent=assay))
    b = plan_capsules(CapsuleOrder(high, 30, assay_percent=assay))
    assert a.drug_mg_to_weigh <= b.drug_mg_to_weigh
    c = plan_capsules(CapsuleOrder(low, 30, assay_percent=assay - Decimal(1)))
    assert c.drug_mg_to_weigh > a.drug_mg_to_weigh


@given(
    dose=st.decimals(allow_nan=True, allow_infinity=True),
    quantity=st.integers(min_value=-5, max_value=20_000),
    overage=st.text(max_size=6),
    size=st.text(max_size=3),
    fill=st.one_of(st.none(), st.decimals(allow_nan=True, allow_infinity=True)),
    assay=st.decimals(allow_nan=True, allow_infinity=True),
    water=st.decimals(allow_nan=True, allow_infinity=True),
)
def test_any_input_gives_a_plan_or_a_refusal(
    dose: Decimal,
    quantity: int,
    overage: str,
    size: str,
    fill: Decimal | None,
    assay: Decimal,
    water: Decimal,
) -> None:
    try:
        order = CapsuleOrder(dose, quantity, size, Overage.parse(overage), fill, assay, water)
        plan = plan_capsules(order)
    except InputRefused:
        return
    assert plan.units_to_make >= quantity


@given(
    dose=capsule_doses,
    quantity=quantities,
    per_tablet=st.decimals(min_value=Decimal(51), max_value=Decimal(300), places=1),
    spare=st.integers(min_value=0, max_value=2),
)
def test_tablet_plans_never_use_more_powder_than_was_crushed(
    dose: Decimal, quantity: int, per_tablet: Decimal, spare: int
) -> None:
    needed = int((dose * quantity / 50).to_integral_value(rounding=ROUND_CEILING))
    tablets = needed + spare
    powder = TabletPowder(tablets, per_tablet * tablets)
    order = CapsuleOrder(dose, quantity, source=DrugSource.TABLETS, tablet_powder=powder)
    try:
        plan = plan_capsules(order)
    except InputRefused as refused:
        assert refused.field == "tablets"
        assert powder.powder_mg < 82
        return
    assert plan.drug_mg_to_weigh <= powder.powder_mg
    if plan.trituration is not None:
        assert plan.trituration.stages[0].take_mg <= powder.powder_mg
        assert plan.trituration.use_mg / plan.trituration.dilution_factor == plan.drug_mg_to_weigh
    assert all(w.mg >= 82 for w in plan.weighings if w.what != "microcrystalline cellulose")


def test_weighings_are_written_to_a_001_mg_balance() -> None:
    fine = replace(DEFAULT_SETTINGS, balance_readability_mg=Decimal("0.01"))
    order = CapsuleOrder(
        Decimal("0.5"), 31, "1", assay_percent=Decimal("99.5"), water_percent=Decimal("1.5")
    )
    plan = plan_capsules(order, fine)
    # 15.5 ÷ 0.980075 = 15.81511... mg of API; 4,960 − that = 4,944.18489... mg of filler.
    data = plan.to_dict()
    assert data["balance_readability_mg"] == "0.01"
    assert [w["text"] for w in data["weighings"]] == ["15.82 mg", "4,944.18 mg"]  # type: ignore[attr-defined]
    assert data["weighings"][0]["mg"] == decimal_str(plan.drug_mg_to_weigh)  # type: ignore[index]
    assert plan.steps[-1] == (
        "Filler: 4,960 mg − 15.82 mg of naltrexone HCl API = 4,944.18 mg of "
        "microcrystalline cellulose."
    )
    # On the default 0.1 mg balance (minimum 82 mg) it is triturated, weighed to one place.
    coarse = plan_capsules(order).to_dict()
    assert coarse["weighings"][0]["text"] == "158.2 mg"  # type: ignore[index]


def test_a_1_mg_balance_writes_whole_mg() -> None:
    whole = replace(DEFAULT_SETTINGS, balance_readability_mg=Decimal(1))
    plan = plan_capsules(DOMAIN_ORDER, whole)
    assert plan.trituration is not None  # 151.5 mg is below 820 mg
    texts = [w["text"] for w in plan.to_dict()["weighings"]]  # type: ignore[attr-defined]
    # 151.519 × 10 = 1,515.19 mg of API and 13,636.71 mg of filler make the 1:10 trituration.
    assert texts == ["1,515 mg", "13,637 mg", "1,515 mg", "5,085 mg"]
    assert any(
        "weigh 1,515 mg of naltrexone HCl API and 13,637 mg of microcrystalline" in s
        for s in plan.steps
    )
    assert plan.steps[-1].startswith("Use 1,515 mg of trituration 1 (1:10)") or any(
        s.startswith("Use 1,515 mg of trituration 1 (1:10)") for s in plan.steps
    )


def test_the_domain_example_is_unchanged_on_the_default_balance() -> None:
    data = plan_capsules(DOMAIN_ORDER).to_dict()
    assert data["balance_readability_mg"] == "0.1"
    assert [w["text"] for w in data["weighings"]] == ["151.5 mg", "6,448.5 mg"]  # type: ignore[attr-defined]
    assert data["steps"][-1] == (  # type: ignore[index]
        "Filler: 6,600 mg − 151.5 mg of naltrexone HCl API = 6,448.5 mg of "
        "microcrystalline cellulose."
    )
