"""Directions for use, written from the prescription when the prescriber gave none.

"Take 1 capsule (4.5 mg) by mouth at bedtime"; "Take 4.5 mL (4.5 mg) by mouth at
bedtime"; "Apply 6 clicks (4.5 mg) to clean, dry skin at bedtime and rub in". The timing is
always explicit ("at bedtime", never "HS": ISMP) and every number goes through dose_text.

How much to measure for one dose: capsules = dose ÷ capsule content; mL = dose ÷ strength
(mg/mL); clicks = dose ÷ (strength × click volume) (DOMAIN.md, "Transdermal cream"). A dose
that is not a whole number of capsules or clicks, or not measurable to 0.01 mL, is refused:
the patient cannot measure it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ldn_desktop.core.dose_text import (
    VOLUME_ML_PLACES,
    count_text,
    dose_text,
    strength_text,
    volume_text,
)
from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.quantities import Strength


class DosageForm(StrEnum):
    CAPSULE = "capsule"
    ORAL_LIQUID = "oral-liquid"
    CREAM = "cream"


# A dose syringe is read to 0.01 mL (issue 2: "mL per dose to 0.01 mL").
_SYRINGE_STEP_ML = Decimal(1).scaleb(-VOLUME_ML_PLACES)


@dataclass(frozen=True)
class DoseMeasure:
    """One dose and what the patient measures for it: capsules, mL or clicks."""

    form: DosageForm
    dose_mg: Decimal
    amount: Decimal

    @property
    def amount_text(self) -> str:
        """'1 capsule', '4.5 mL', '6 clicks'."""
        if self.form is DosageForm.CAPSULE:
            return count_text(self.amount, "capsule")
        if self.form is DosageForm.ORAL_LIQUID:
            return volume_text(self.amount)
        return count_text(self.amount, "click")


@dataclass(frozen=True)
class DosePhase:
    """Days from the start date (day 1 = start date), both included, at one dose."""

    from_day: int
    to_day: int
    dose_mg: Decimal


def _whole(amount: Decimal) -> bool:
    return amount == amount.to_integral_value()


def dose_measure(
    form: DosageForm,
    dose_mg: Decimal,
    *,
    strength: Strength | None = None,
    capsule_mg: Decimal | None = None,
    click_volume_ml: Decimal | None = None,
    field: str = "dose",
) -> DoseMeasure:
    """What to measure for `dose_mg` of this preparation, refusing what cannot be measured."""
    if dose_mg <= 0:
        raise InputRefused(field, "a dose must be more than zero")
    if form is DosageForm.CAPSULE:
        per_capsule = dose_mg if capsule_mg is None else capsule_mg
        if per_capsule <= 0:
            raise InputRefused("strength", "a capsule must contain more than zero")
        count = dose_mg / per_capsule
        if not _whole(count):
            raise InputRefused(
                field,
                f"{dose_text(dose_mg)} is not a whole number of {dose_text(per_capsule)} capsules",
            )
        return DoseMeasure(form, dose_mg, count)
    if strength is None or strength.mg <= 0:
        raise InputRefused("strength", f"a {form.value} needs its strength (e.g. '1mg/mL')")
    if strength.per != "mL":
        raise InputRefused(
            "strength", f"{strength_text(strength.mg, strength.per)}: give the strength in mg/mL"
        )
    if form is DosageForm.ORAL_LIQUID:
        ml = dose_mg / strength.mg
        if not _whole(ml / _SYRINGE_STEP_ML):
            raise InputRefused(
                field,
                f"{dose_text(dose_mg)} at {strength_text(strength.mg, 'mL')} cannot be measured "
                "to 0.01 mL: choose another strength",
            )
        return DoseMeasure(form, dose_mg, ml)
    if click_volume_ml is None or click_volume_ml <= 0:
        raise InputRefused("click_volume", "a cream needs the dispenser's volume per click")
    mg_per_click = strength.mg * click_volume_ml
    clicks = dose_mg / mg_per_click
    if not _whole(clicks):
        raise InputRefused(
            field,
            f"{dose_text(dose_mg)} is not a whole number of clicks of {dose_text(mg_per_click)}",
        )
    return DoseMeasure(form, dose_mg, clicks)


def directions(measure: DoseMeasure) -> str:
    """Plain directions for one dose taken every day at bedtime.

    "Take 1 capsule (4.5 mg) by mouth at bedtime"; below 1 mg the dose already carries
    brackets ("500 mcg (0.5 mg)"), so it is set off with commas instead of nesting them.
    """
    dose = dose_text(measure.dose_mg)
    amount = (
        f"{measure.amount_text} ({dose})" if "(" not in dose else f"{measure.amount_text}, {dose},"
    )
    if measure.form is DosageForm.CREAM:
        return f"Apply {amount} to clean, dry skin at bedtime and rub in"
    return f"Take {amount} by mouth at bedtime"


def phase_on_day(phases: Sequence[DosePhase], day: int) -> DosePhase:
    """The phase a patient is in on `day`: the first before it starts, the last after it ends."""
    if not phases:
        raise InputRefused("titration", "a titration needs at least one phase")
    for phase in phases:
        if day <= phase.to_day:
            return phase
    return phases[-1]


def titration_directions(
    phases: Sequence[DosePhase], day: int, measure: Callable[[Decimal], DoseMeasure]
) -> str:
    """The current phase's directions, then a pointer to the schedule.

    "Days 1 to 14: Take 1.5 mL (1.5 mg) by mouth at bedtime, then see schedule".
    In the last phase: "From day 29: ... (see schedule)".
    """
    phase = phase_on_day(phases, day)
    text = directions(measure(phase.dose_mg))
    if phase == phases[-1] and day >= phase.from_day:
        return f"From day {phase.from_day}: {text} (see schedule)"
    days = (
        f"Day {phase.from_day}"
        if phase.from_day == phase.to_day
        else f"Days {phase.from_day} to {phase.to_day}"
    )
    return f"{days}: {text}, then see schedule"
