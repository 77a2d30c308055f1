"""Trituration: diluting a drug in filler so that nothing has to be weighed below the minimum.

USP <41> Balances: the minimum weight is 2000 × s, s (repeatability) at least 0.41 × the
display step d, so 820 × d: a 0.1 mg balance cannot weigh below 82 mg (DOMAIN.md).
When the drug needed is below that, it is diluted 1:10 or 1:100 in filler, as many times as
needed, and a weighable amount of the last dilution is used instead.

How the stages are sized: the overall dilution is the smallest power of ten that makes
the amount used weighable (1:100 stages first, then one 1:10). Each stage takes in the
drug needed × the dilution reached at that stage, and never less than the minimum weight,
so every weighing (drug, filler, every aliquot) is at or above the minimum.
DOMAIN.md: 16.5 mg on a 0.1 mg balance → 165 mg API + 1,485 mg MCC, use 165 mg.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ldn_desktop.core.dose_text import format_number, mass_text, weighing_text
from ldn_desktop.core.quantities import decimal_str

# Dilutions a pharmacist makes by hand: 1 in 10 and 1 in 100 (geometric dilution).
STAGE_RATIOS = (100, 10)


class WeighingKind(StrEnum):
    """Where a weighing is drawn from: the drug's lot, the filler's lot, or a mixture made on
    the bench (a trituration), which has no lot of its own but is weighed all the same."""

    DRUG = "drug"
    FILLER = "filler"
    INTERMEDIATE = "intermediate"


@dataclass(frozen=True)
class Weighing:
    """One thing to put on the balance, with its planned weight in mg."""

    what: str
    mg: Decimal
    kind: WeighingKind

    def to_dict(self, readability_mg: Decimal) -> dict[str, str]:
        """`text` is the weight as the pharmacy's balance (readability d, mg) shows it."""
        return {
            "what": self.what,
            "mg": decimal_str(self.mg),
            "text": weighing_text(self.mg, readability_mg),
            "kind": self.kind.value,
        }


@dataclass(frozen=True)
class DilutionStage:
    """Stage `number`: `take_mg` of `take_what` + `filler_mg` filler makes `makes_mg` at
    1 part drug in `strength_factor` parts of mixture."""

    number: int
    ratio: int
    take_what: str
    take_mg: Decimal
    filler_mg: Decimal
    makes_mg: Decimal
    strength_factor: int

    @property
    def name(self) -> str:
        return f"trituration {self.number} (1:{format_number(Decimal(self.strength_factor), 0)})"

    def to_dict(self) -> dict[str, object]:
        return {
            "stage": self.number,
            "ratio": f"1:{self.ratio}",
            "take": self.take_what,
            "take_mg": decimal_str(self.take_mg),
            "filler_mg": decimal_str(self.filler_mg),
            "makes_mg": decimal_str(self.makes_mg),
            "strength": f"1:{self.strength_factor}",  # machine-readable, no separators
        }


@dataclass(frozen=True)
class TriturationPlan:
    """The stages, and `use_mg` of the last one, containing `drug_mg` of the drug."""

    drug_mg: Decimal
    minimum_weight_mg: Decimal
    stages: tuple[DilutionStage, ...]
    use_mg: Decimal
    dilution_factor: int
    steps: tuple[str, ...]

    @property
    def weighings(self) -> tuple[Weighing, ...]:
        out: list[Weighing] = []
        for stage in self.stages:
            # The first stage takes the drug itself; each later one an aliquot of the last.
            took = WeighingKind.DRUG if stage.number == 1 else WeighingKind.INTERMEDIATE
            out.append(Weighing(stage.take_what, stage.take_mg, took))
            out.append(Weighing(f"filler for {stage.name}", stage.filler_mg, WeighingKind.FILLER))
        out.append(Weighing(self.stages[-1].name, self.use_mg, WeighingKind.INTERMEDIATE))
        return tuple(out)

    def to_dict(self) -> list[dict[str, object]]:
        return [s.to_dict() for s in self.stages] + [
            {"use": self.stages[-1].name, "use_mg": decimal_str(self.use_mg)}
        ]


def dilution_ratios(drug_mg: Decimal, minimum_weight_mg: Decimal) -> tuple[int, ...]:
    """The stages needed so that drug × dilution ≥ minimum: 1:100s first, then a 1:10."""
    if not drug_mg > 0 or not minimum_weight_mg > 0:
        raise ValueError("drug and minimum weight must be positive")
    tens = 0
    while drug_mg * 10**tens < minimum_weight_mg:
        tens += 1
    return (100,) * (tens // 2) + (10,) * (tens % 2)


def plan_trituration(
    drug_mg: Decimal,
    minimum_weight_mg: Decimal,
    drug_name: str = "naltrexone HCl API",
    filler_name: str = "microcrystalline cellulose",
    available_mg: Decimal | None = None,
    *,
    readability_mg: Decimal,
) -> TriturationPlan:
    """Serial dilutions of `drug_mg` (below the minimum weight) in filler.

    `available_mg` limits the first stage to the material there is (all the powder of the
    tablets crushed); it must itself be weighable. Every later stage still fits, because the
    dilution was the smallest that works (each stage's take is at most a tenth of what the
    stage before made). Weighings are written to the balance's readability `readability_mg`.
    """
    ratios = dilution_ratios(drug_mg, minimum_weight_mg)
    if not ratios:
        raise ValueError(f"{drug_mg} mg can be weighed directly: no trituration needed")
    if available_mg is not None and not minimum_weight_mg <= available_mg:
        raise ValueError("the material available is below the minimum weight")
    d = readability_mg
    stages: list[DilutionStage] = []
    steps: list[str] = [
        f"{mass_text(drug_mg, 3)} is below the balance's minimum weight of "
        f"{mass_text(minimum_weight_mg)} (USP <41>): dilute it in {filler_name}."
    ]
    factor = 1
    take_what = drug_name
    for number, ratio in enumerate(ratios, start=1):
        factor *= ratio
        take = max(minimum_weight_mg, drug_mg * factor)
        if number == 1 and available_mg is not None:
            take = min(take, available_mg)
        stage = DilutionStage(
            number=number,
            ratio=ratio,
            take_what=take_what,
            take_mg=take,
            filler_mg=take * (ratio - 1),
            makes_mg=take * ratio,
            strength_factor=factor,
        )
        stages.append(stage)
        steps.append(
            f"Stage {number} (1 in {ratio}): weigh {weighing_text(stage.take_mg, d)} of "
            f"{take_what} and {weighing_text(stage.filler_mg, d)} of {filler_name}. Put the "
            f"{take_what} in the mortar with about the same amount of {filler_name} and "
            f"triturate; add {filler_name} equal to what is in the mortar and triturate again, "
            f"doubling each time until all of it is in (geometric dilution). This makes "
            f"{mass_text(stage.makes_mg)} of {stage.name}: 1 mg of {drug_name} in "
            f"{format_number(Decimal(factor), 0)} mg."
        )
        take_what = stage.name
    use = drug_mg * factor
    steps.append(
        f"Use {weighing_text(use, d)} of {stages[-1].name}: {mass_text(drug_mg, 3)} × "
        f"{format_number(Decimal(factor), 0)} = {weighing_text(use, d)}, which contains "
        f"{mass_text(drug_mg, 3)} of {drug_name}."
    )
    return TriturationPlan(
        drug_mg=drug_mg,
        minimum_weight_mg=minimum_weight_mg,
        stages=tuple(stages),
        use_mg=use,
        dilution_factor=factor,
        steps=tuple(steps),
    )
