"""Every sentence a plan writes (steps and findings) follows the ISMP dose-writing rules."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.capsules import CapsuleOrder, Overage, plan_capsules
from ldn_desktop.core.cream import CreamOrder, plan_cream
from ldn_desktop.core.liquid import LiquidOrder, plan_liquid
from ldn_desktop.core.quantities import Strength

TRAILING_ZERO = re.compile(r"\d\.\d*0(?=\s?(mg|mcg|mL|g|%)\b)")
NO_LEADING_ZERO = re.compile(r"(?<![\d.])\.\d")
NO_SPACE_BEFORE_UNIT = re.compile(r"\d(mg|mcg|mL)\b")
BANNED = ("µg", "μg", " cc", " QD", " HS", "-0 ")


def assert_ismp(sentences: tuple[str, ...]) -> None:
    for text in sentences:
        assert TRAILING_ZERO.search(text) is None, text
        assert NO_LEADING_ZERO.search(text) is None, text
        assert NO_SPACE_BEFORE_UNIT.search(text) is None, text
        assert not any(word in text for word in BANNED), text


doses = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(50), places=4)


@given(
    dose=doses,
    quantity=st.integers(1, 500),
    overage=st.decimals(min_value=Decimal(0), max_value=Decimal(20), places=1),
    assay=st.decimals(min_value=Decimal(90), max_value=Decimal(102), places=2),
    water=st.decimals(min_value=Decimal(0), max_value=Decimal(5), places=2),
)
def test_capsule_plan_text(
    dose: Decimal, quantity: int, overage: Decimal, assay: Decimal, water: Decimal
) -> None:
    plan = plan_capsules(
        CapsuleOrder(dose, quantity, "0", Overage(overage, True), None, assay, water)
    )
    assert_ismp(plan.steps + tuple(f.message for f in plan.findings))


@given(
    dose=doses,
    mg_ml=st.decimals(min_value=Decimal("0.1"), max_value=Decimal(10), places=2),
    days=st.integers(1, 90),
)
def test_liquid_plan_text(dose: Decimal, mg_ml: Decimal, days: int) -> None:
    plan = plan_liquid(LiquidOrder(Strength(mg_ml, "mL"), days, dose_mg=dose))
    assert_ismp(plan.steps + tuple(f.message for f in plan.findings))


@given(
    dose=doses,
    mg_g=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(20), places=1),
    sg=st.decimals(min_value=Decimal("0.8"), max_value=Decimal("1.3"), places=2),
    days=st.integers(1, 90),
)
def test_cream_plan_text(dose: Decimal, mg_g: Decimal, sg: Decimal, days: int) -> None:
    plan = plan_cream(CreamOrder(Strength(mg_g, "g"), days, dose_mg=dose, specific_gravity=sg))
    assert_ismp(plan.steps + tuple(f.message for f in plan.findings))


def test_the_checker_itself_catches_each_bad_form() -> None:
    for bad in ("3.0 mg", ".5 mg", "4.5mg", "250 µg", "5 cc", "2.50 mL", "take 1 QD"):
        try:
            assert_ismp((bad,))
        except AssertionError:
            continue
        raise AssertionError(f"{bad!r} was not caught")
    assert_ismp(("4.5 mg", "0.5 mg", "1,485 mg", "10 mcg (0.01 mg)", "0.25 mL", "30 %"))
