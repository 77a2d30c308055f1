from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.titration import (
    Phase,
    PhaseOrder,
    TitrationSchedule,
    check_days,
    plan_phases,
    plan_titration,
    schedule_phases,
    supply_schedule,
)

WEEKLY = TitrationSchedule(Decimal("1.5"), Decimal("1.5"), 7, Decimal("4.5"))


def test_domain_example_weekly_steps_over_30_days_is_103_5_mg() -> None:
    plan = plan_titration(WEEKLY, 30)
    assert plan.phases == (
        Phase(1, 7, Decimal("1.5")),
        Phase(8, 14, Decimal(3)),
        Phase(15, 30, Decimal("4.5")),
    )
    assert plan.total_mg == Decimal("103.5")
    assert plan.steps[-1] == "Total: 10.5 mg + 21 mg + 72 mg = 103.5 mg."
    data = plan.to_dict()
    assert data["total_mg"] == "103.5"
    assert data["phases"][1] == {  # type: ignore[index]
        "from_day": 8,
        "to_day": 14,
        "dose_mg": "3",
        "days": 7,
        "total_mg": "21",
    }


def test_a_step_that_overshoots_stops_at_the_target() -> None:
    phases = schedule_phases(TitrationSchedule(Decimal("0.5"), Decimal("1.5"), 14, Decimal("4.5")))
    assert [p.dose_mg for p in phases] == [
        Decimal("0.5"),
        Decimal(2),
        Decimal("3.5"),
        Decimal("4.5"),
    ]
    assert [p.days for p in phases] == [14, 14, 14, 0]


def test_start_at_the_target_is_one_phase() -> None:
    plan = plan_titration(TitrationSchedule(Decimal("4.5"), Decimal(0), 7, Decimal("4.5")), 10)
    assert plan.phases == (Phase(1, 10, Decimal("4.5")),)
    assert plan.total_mg == Decimal(45)
    assert len(plan.steps) == 1


def test_a_short_supply_leaves_out_later_phases() -> None:
    plan = plan_titration(WEEKLY, 10)
    assert plan.phases == (Phase(1, 7, Decimal("1.5")), Phase(8, 10, Decimal(3)))
    assert plan.total_mg == Decimal("19.5")


def test_the_last_explicit_phase_runs_to_the_end() -> None:
    plan = plan_phases([PhaseOrder(Decimal(1), 5), PhaseOrder(Decimal(2), 3)], 20)
    assert plan.phases[-1] == Phase(6, 20, Decimal(2))


@pytest.mark.parametrize(
    ("schedule", "field", "says"),
    [
        (TitrationSchedule(Decimal(3), Decimal(1), 7, Decimal(2)), "target", "below the starting"),
        (TitrationSchedule(Decimal("0.5"), Decimal(0), 7, Decimal(2)), "step", "more than zero"),
        (TitrationSchedule(Decimal("0.1"), Decimal("1.5"), 7, Decimal(3)), "titration", "10 times"),
        (
            TitrationSchedule(Decimal("0.0001"), Decimal("0.0001"), 1, Decimal("0.02")),
            "step",
            "more than 100 steps",
        ),
        (TitrationSchedule(Decimal(1), Decimal(1), 0, Decimal(2)), "every", "not a supply"),
        (TitrationSchedule(Decimal(0), Decimal(1), 7, Decimal(2)), "start", "more than zero"),
        (TitrationSchedule(Decimal(1), Decimal(1), 7, Decimal(99)), "target", "addiction"),
    ],
)
def test_unusable_schedules_are_refused(schedule: TitrationSchedule, field: str, says: str) -> None:
    with pytest.raises(InputRefused, match=says) as refused:
        plan_titration(schedule, 30)
    assert refused.value.field == field


def test_unusable_phases_and_days_are_refused() -> None:
    with pytest.raises(InputRefused, match="at least one phase"):
        plan_phases([], 30)
    with pytest.raises(InputRefused, match="not a supply") as refused:
        plan_phases([PhaseOrder(Decimal(1), 0), PhaseOrder(Decimal(2), 0)], 30)
    assert refused.value.field == "titration"
    with pytest.raises(InputRefused, match="not a supply"):
        plan_phases([PhaseOrder(Decimal(1), -3)], 30)
    with pytest.raises(InputRefused, match="not a whole number"):
        check_days(True)  # type: ignore[arg-type]
    with pytest.raises(InputRefused, match="not a whole number"):
        check_days(1.5)  # type: ignore[arg-type]
    with pytest.raises(InputRefused, match="1 to 3650"):
        check_days(4000)


def test_supply_schedule_takes_a_dose_or_a_titration() -> None:
    single = supply_schedule(Decimal("4.5"), (), 30)
    assert single.phases == (Phase(1, 30, Decimal("4.5")),)
    stepped = supply_schedule(None, schedule_phases(WEEKLY), 30)
    assert stepped.total_mg == Decimal("103.5")
    with pytest.raises(InputRefused, match="either a dose or a titration"):
        supply_schedule(None, (), 30)
    with pytest.raises(InputRefused, match="either a dose or a titration"):
        supply_schedule(Decimal(1), schedule_phases(WEEKLY), 30)
    with pytest.raises(InputRefused) as refused:
        supply_schedule(Decimal(0), (), 30)
    assert refused.value.field == "dose"


doses = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("4.5"), places=1)


@given(start=doses, step=doses, every=st.integers(1, 28), extra=doses, days=st.integers(1, 365))
def test_titration_properties(
    start: Decimal, step: Decimal, every: int, extra: Decimal, days: int
) -> None:
    target = min(start + extra, Decimal("4.5"))
    try:
        plan = plan_titration(TitrationSchedule(start, step, every, target), days)
    except InputRefused as refused:
        assert refused.field == "titration"  # only a 10-fold jump may be refused
        return
    # Phases tile the days exactly, in order, and never go down or past the target.
    assert plan.phases[0].from_day == 1 and plan.phases[-1].to_day == days
    for before, after in zip(plan.phases, plan.phases[1:], strict=False):
        assert after.from_day == before.to_day + 1
        assert before.dose_mg < after.dose_mg <= target
    assert plan.total_mg == sum(p.dose_mg * p.days for p in plan.phases)
    assert start * days <= plan.total_mg <= target * days
