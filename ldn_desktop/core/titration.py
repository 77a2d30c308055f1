"""Titration: the dose rises in steps until it reaches the target, then stays there.

Usual LDN titration: start 1.5 mg at bedtime, +1.5 mg every 14 days to 4.5 mg (seeds 000,
002); other prescribers start at 0.5 mg and step by 0.5 mg every 7 to 14 days, some weekly
(DOMAIN.md). A schedule is either start/step/interval/target or an explicit list of phases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from ldn_desktop.core.dose_text import count_text, dose_text, mg_text
from ldn_desktop.core.findings import Finding, InputRefused
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS, CalculationSettings
from ldn_desktop.core.quantities import decimal_str
from ldn_desktop.core.safety import check_dose, check_phase_doses

# Ten years of daily doses: a longer supply is a typing error.
MAX_DAYS = 3650


@dataclass(frozen=True)
class TitrationSchedule:
    """Start at `start_mg`, add `step_mg` every `every_days` days until `target_mg`."""

    start_mg: Decimal
    step_mg: Decimal
    every_days: int
    target_mg: Decimal


@dataclass(frozen=True)
class PhaseOrder:
    """One phase of an explicit schedule: `dose_mg` a day for `days` days."""

    dose_mg: Decimal
    days: int


@dataclass(frozen=True)
class Phase:
    """Days `from_day` to `to_day` (both included, day 1 is the first day) at `dose_mg`."""

    from_day: int
    to_day: int
    dose_mg: Decimal

    @property
    def days(self) -> int:
        return self.to_day - self.from_day + 1

    @property
    def total_mg(self) -> Decimal:
        return self.dose_mg * self.days

    def to_dict(self) -> dict[str, object]:
        return {
            "from_day": self.from_day,
            "to_day": self.to_day,
            "dose_mg": decimal_str(self.dose_mg),
            "days": self.days,
            "total_mg": decimal_str(self.total_mg),
        }


@dataclass(frozen=True)
class TitrationPlan:
    """The phases over `days` days and the drug they use (one dose a day)."""

    phases: tuple[Phase, ...]
    days: int
    total_mg: Decimal
    steps: tuple[str, ...]
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "phases": [p.to_dict() for p in self.phases],
            "days": self.days,
            "total_mg": decimal_str(self.total_mg),
            "steps": list(self.steps),
            "findings": [f.to_dict() for f in self.findings],
        }


def check_days(days: int, field: str = "days") -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise InputRefused(field, f"'{days}' is not a whole number of days")
    if not 1 <= days <= MAX_DAYS:
        raise InputRefused(field, f"{days} days is not a supply (1 to {MAX_DAYS} days)")


def schedule_phases(
    schedule: TitrationSchedule, settings: CalculationSettings = DEFAULT_SETTINGS
) -> tuple[PhaseOrder, ...]:
    """The stepped schedule as explicit phases; the last (target) phase has no end (days 0)."""
    check_dose(schedule.start_mg, "start", settings)
    check_dose(schedule.target_mg, "target", settings)
    check_days(schedule.every_days, "every")
    if schedule.target_mg < schedule.start_mg:
        raise InputRefused("target", "the target is below the starting dose")
    if schedule.target_mg == schedule.start_mg:
        return (PhaseOrder(schedule.start_mg, 0),)
    check_dose(schedule.step_mg, "step", settings)
    count = ((schedule.target_mg - schedule.start_mg) / schedule.step_mg).to_integral_value(
        rounding=ROUND_CEILING
    )
    if count > 100:
        raise InputRefused("step", "more than 100 steps to the target: check the step")
    phases = [
        PhaseOrder(schedule.start_mg + n * schedule.step_mg, schedule.every_days)
        for n in range(int(count))
    ]
    phases.append(PhaseOrder(schedule.target_mg, 0))
    return tuple(phases)


def plan_phases(
    phases: Sequence[PhaseOrder],
    days: int,
    settings: CalculationSettings = DEFAULT_SETTINGS,
    field: str = "titration",
) -> TitrationPlan:
    """Lay explicit phases over `days` days.

    The last phase lasts to the end (its own days, if given, only say how long it was
    prescribed for); phases that would start after `days` are left out.
    """
    check_days(days)
    if not phases:
        raise InputRefused(field, "a titration needs at least one phase")
    for order in phases[:-1]:
        check_days(order.days, field)
    if phases[-1].days != 0:
        check_days(phases[-1].days, field)
    findings = check_phase_doses([p.dose_mg for p in phases], field, settings)
    laid: list[Phase] = []
    steps: list[str] = []
    day = 1
    for index, order in enumerate(phases):
        if day > days:
            break
        is_last = index == len(phases) - 1
        to_day = days if is_last else min(day + order.days - 1, days)
        phase = Phase(day, to_day, order.dose_mg)
        laid.append(phase)
        steps.append(
            f"Days {phase.from_day} to {phase.to_day}: {dose_text(phase.dose_mg)} × "
            f"{count_text(phase.days, 'day')} = {mg_text(phase.total_mg)}."
        )
        day = to_day + 1
    total = sum((p.total_mg for p in laid), Decimal(0))
    if len(laid) > 1:
        steps.append(
            "Total: " + " + ".join(mg_text(p.total_mg) for p in laid) + f" = {mg_text(total)}."
        )
    return TitrationPlan(tuple(laid), days, total, tuple(steps), findings)


def plan_titration(
    schedule: TitrationSchedule,
    days: int,
    settings: CalculationSettings = DEFAULT_SETTINGS,
) -> TitrationPlan:
    """Start/step/interval/target over `days` days.

    DOMAIN.md: 1.5, 3, 4.5 mg in weekly steps over 30 days = 103.5 mg.
    """
    return plan_phases(schedule_phases(schedule, settings), days, settings)


def supply_schedule(
    dose_mg: Decimal | None,
    titration: Sequence[PhaseOrder],
    days: int,
    settings: CalculationSettings = DEFAULT_SETTINGS,
) -> TitrationPlan:
    """The doses over a days' supply: one dose throughout, or a titration's phases.

    Used by the liquid and cream plans (a capsule batch has one strength per phase).
    """
    if (dose_mg is None) == (not titration):
        raise InputRefused("dose", "give either a dose or a titration, not both or neither")
    if dose_mg is not None:
        return plan_phases((PhaseOrder(dose_mg, 0),), days, settings, "dose")
    return plan_phases(tuple(titration), days, settings)
