"""Directions written from the prescription: what a patient measures, in ISMP-safe words."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_desktop.core.directions import (
    DosageForm,
    DoseMeasure,
    DosePhase,
    directions,
    dose_measure,
    phase_on_day,
    titration_directions,
)
from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.quantities import Strength

ML = Strength(D(1), "mL")


def test_capsule_directions_default_to_one_capsule_of_the_dose() -> None:
    measure = dose_measure(DosageForm.CAPSULE, D("4.5"))
    assert measure.amount == 1
    assert directions(measure) == "Take 1 capsule (4.5 mg) by mouth at bedtime"


def test_capsule_count_from_capsule_content() -> None:
    measure = dose_measure(DosageForm.CAPSULE, D("4.5"), capsule_mg=D("1.5"))
    assert directions(measure) == "Take 3 capsules (4.5 mg) by mouth at bedtime"


def test_liquid_volume_is_dose_over_strength() -> None:
    assert directions(dose_measure(DosageForm.ORAL_LIQUID, D("4.5"), strength=ML)) == (
        "Take 4.5 mL (4.5 mg) by mouth at bedtime"
    )
    five = Strength(D(5), "mL")
    assert directions(dose_measure(DosageForm.ORAL_LIQUID, D("0.5"), strength=five)) == (
        "Take 0.1 mL, 500 mcg (0.5 mg), by mouth at bedtime"
    )


def test_cream_clicks_are_dose_over_strength_times_click_volume() -> None:
    three = Strength(D(3), "mL")
    measure = dose_measure(DosageForm.CREAM, D("4.5"), strength=three, click_volume_ml=D("0.25"))
    assert measure.amount == 6  # DOMAIN.md: 3 mg/mL -> 0.75 mg/click; 4.5 mg = 6 clicks
    assert directions(measure) == (
        "Apply 6 clicks (4.5 mg) to clean, dry skin at bedtime and rub in"
    )
    one = dose_measure(DosageForm.CREAM, D("0.75"), strength=three, click_volume_ml=D("0.25"))
    assert one.amount_text == "1 click"


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"form": DosageForm.CAPSULE, "dose_mg": D(0)}, "dose", "more than zero"),
        (
            {"form": DosageForm.CAPSULE, "dose_mg": D(1), "capsule_mg": D(0)},
            "strength",
            "more than zero",
        ),
        (
            {"form": DosageForm.CAPSULE, "dose_mg": D("4.5"), "capsule_mg": D(2)},
            "dose",
            "not a whole number of 2 mg capsules",
        ),
        ({"form": DosageForm.ORAL_LIQUID, "dose_mg": D(1)}, "strength", "needs its strength"),
        (
            {"form": DosageForm.CREAM, "dose_mg": D(1), "strength": Strength(D(10), "g")},
            "strength",
            "10 mg/g: give the strength in mg/mL",
        ),
        (
            {"form": DosageForm.ORAL_LIQUID, "dose_mg": D("0.1"), "strength": Strength(D(3), "mL")},
            "dose",
            "cannot be measured to 0.01 mL",
        ),
        ({"form": DosageForm.CREAM, "dose_mg": D(1), "strength": ML}, "click_volume", "per click"),
        (
            {
                "form": DosageForm.CREAM,
                "dose_mg": D(1),
                "strength": Strength(D(3), "mL"),
                "click_volume_ml": D("0.25"),
            },
            "dose",
            "not a whole number of clicks of 750 mcg (0.75 mg)",
        ),
    ],
)
def test_unmeasurable_doses_are_refused(kwargs: dict, field: str, words: str) -> None:
    with pytest.raises(InputRefused) as refused:
        dose_measure(**kwargs)
    assert refused.value.field == field
    assert words in refused.value.message


PHASES = (DosePhase(1, 14, D("1.5")), DosePhase(15, 28, D(3)), DosePhase(29, 90, D("4.5")))


def _liquid(mg: D) -> DoseMeasure:
    return dose_measure(DosageForm.ORAL_LIQUID, mg, strength=ML)


def test_phase_on_day_clamps_to_the_schedule() -> None:
    assert phase_on_day(PHASES, -3) == PHASES[0]
    assert phase_on_day(PHASES, 14) == PHASES[0]
    assert phase_on_day(PHASES, 15) == PHASES[1]
    assert phase_on_day(PHASES, 400) == PHASES[2]
    with pytest.raises(InputRefused, match="at least one phase"):
        phase_on_day((), 1)


def test_titration_directions_give_the_current_phase_and_point_to_the_schedule() -> None:
    assert titration_directions(PHASES, 1, _liquid) == (
        "Days 1 to 14: Take 1.5 mL (1.5 mg) by mouth at bedtime, then see schedule"
    )
    assert titration_directions(PHASES, 30, _liquid) == (
        "From day 29: Take 4.5 mL (4.5 mg) by mouth at bedtime (see schedule)"
    )
    one_day = (DosePhase(1, 1, D("0.5")), DosePhase(2, 9, D(1)))
    assert titration_directions(one_day, 1, _liquid).startswith("Day 1: Take 0.5 mL")
    # Dispensed before the start date of a one-phase schedule: still that phase's words.
    single = (DosePhase(1, 30, D(3)),)
    assert titration_directions(single, 0, _liquid).startswith("Day")


@given(
    mcg=st.integers(min_value=1, max_value=50_000),
    form=st.sampled_from(list(DosageForm)),
)
def test_every_generated_direction_keeps_the_ismp_rules(mcg: int, form: DosageForm) -> None:
    dose = D(mcg) / 1000
    strength = Strength(D("0.001"), "mL")
    measure = dose_measure(form, dose, strength=strength, capsule_mg=dose / 2, click_volume_ml=D(1))
    text = directions(measure)
    assert " ." not in text and "(." not in text  # a leading zero always
    assert ".0 " not in text and ".0)" not in text  # never a trailing zero
    assert "µg" not in text and "cc" not in text.split()
    assert "at bedtime" in text
