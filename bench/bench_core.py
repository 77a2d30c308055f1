"""Calculations (core): what the checks, worked steps and findings cost over bare arithmetic.

Baseline: the same capsule arithmetic (units with overage, drug, potency-corrected weight,
fill, filler) on bare Decimals, with no checks, no steps and no text. Measured: 10,000 full
`plan_capsules` calls (dose checks, steps written through dose_text, findings, and the
trituration plan for the micro-doses). Both in the same run, best of five, so the ratio
holds on a slower or busier machine.

    .venv/bin/python bench/bench_core.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import ROUND_CEILING, Decimal

from ldn_desktop.core.capsules import CapsuleOrder, Overage, plan_capsules
from ldn_desktop.core.cream import CreamOrder, plan_cream
from ldn_desktop.core.liquid import LiquidOrder, plan_liquid
from ldn_desktop.core.quantities import Strength

N = 10_000
REPEATS = 5
# A realistic mix: mostly 1.5 to 4.5 mg, some VLDN (trituration) and ULDN (two stages).
DOSES = [Decimal(d) for d in ("4.5", "3", "1.5", "0.5", "0.01", "4.5", "3", "1.5", "1", "2.5")]
ASSAY, WATER, FILL = Decimal("99.5"), Decimal("1.5"), Decimal(200)
TEN_PERCENT = Overage(Decimal(10), percent=True)


def bare_capsules() -> Decimal:
    total = Decimal(0)
    fraction = (ASSAY / 100) * (1 - WATER / 100)
    for i in range(N):
        dose = DOSES[i % len(DOSES)]
        quantity = 30 + i % 60
        units = quantity + int((quantity * Decimal(10) / 100).to_integral_value(ROUND_CEILING))
        drug = dose * units
        weigh = drug / fraction
        filler = FILL * units - weigh
        total += filler
    return total


def full_capsules() -> int:
    count = 0
    for i in range(N):
        order = CapsuleOrder(
            DOSES[i % len(DOSES)],
            30 + i % 60,
            "1",
            TEN_PERCENT,
            fill_mg=FILL,
            assay_percent=ASSAY,
            water_percent=WATER,
        )
        count += len(plan_capsules(order).steps)
    return count


def full_liquids() -> int:
    strength = Strength(Decimal(1), "mL")
    return sum(
        len(plan_liquid(LiquidOrder(strength, 7 + i % 30, DOSES[i % len(DOSES)])).steps)
        for i in range(N)
    )


def full_creams() -> int:
    strength = Strength(Decimal(3), "mL")
    return sum(
        len(plan_cream(CreamOrder(strength, 7 + i % 30, Decimal("0.75") * (1 + i % 6))).steps)
        for i in range(N)
    )


def best_of(func: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def run() -> dict[str, float]:
    bare = best_of(bare_capsules)
    return {
        "bare_s": bare,
        "capsule_s": best_of(full_capsules),
        "liquid_s": best_of(full_liquids),
        "cream_s": best_of(full_creams),
    }


def main() -> None:
    r = run()
    print(f"{N:,} plans each, best of {REPEATS}")
    print(f"bare Decimal capsule arithmetic: {r['bare_s'] * 1000:8.1f} ms  (1.0×)")
    for kind in ("capsule", "liquid", "cream"):
        seconds = r[f"{kind}_s"]
        print(
            f"{kind:>7} plans (checks, steps, findings): {seconds * 1000:8.1f} ms  "
            f"({seconds / r['bare_s']:.1f}× bare, {seconds / N * 1e6:.0f} µs a plan)"
        )


if __name__ == "__main__":
    main()
