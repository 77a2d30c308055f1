"""Sample leaflets: one for each dosage form, used by the tests and the reference renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from ldn_desktop.core.directions import DosePhase
from ldn_desktop.core.quantities import Strength
from ldn_desktop.documents.data import (
    Form,
    LeafletData,
    Paper,
    Patient,
    Pharmacy,
    Prescriber,
    Prescription,
)

PHARMACY = Pharmacy(
    "Riverside Compounding Pharmacy", "12 Mill Lane, Springfield IL 62701", "(217) 555-0142"
)
# The usual titration: 1.5 mg at bedtime, +1.5 mg every 14 days to 4.5 mg (seeds 000, 002).
USUAL_TITRATION = (
    DosePhase(1, 14, Decimal("1.5")),
    DosePhase(15, 28, Decimal(3)),
    DosePhase(29, 60, Decimal("4.5")),
)


def capsules(**changes: object) -> Prescription:
    """1.5 mg capsules, one to three a night, started on 20 Nov 2026."""
    p = Prescription(
        patient=Patient("Łukasz Żółć", date(1971, 3, 4)),
        prescriber=Prescriber("Dr Anna Kowalska", "(217) 555-0100"),
        rx_number="RX-104233",
        form=Form.CAPSULE,
        dose_mg=Decimal("4.5"),
        quantity=Decimal(90),
        lot="L-2026-1120-03",
        bud=date(2027, 5, 19),
        storage="Store at room temperature, 20 to 25 °C, in a dry place",
        start_date=date(2026, 11, 20),
        pharmacy=PHARMACY,
        verified=True,
        capsule_mg=Decimal("1.5"),
        titration=USUAL_TITRATION,
    )
    return replace(p, **changes)  # type: ignore[arg-type]


def liquid(**changes: object) -> Prescription:
    """1 mg/mL oral liquid on the usual titration; unpreserved, so a 14-day BUD in the fridge."""
    base = capsules(
        form=Form.ORAL_LIQUID,
        capsule_mg=None,
        strength=Strength(Decimal(1), "mL"),
        quantity=Decimal(100),
        storage="Keep in the refrigerator, 2 to 8 °C",
        bud=date(2026, 12, 4),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def cream(**changes: object) -> Prescription:
    """3 mg/mL cream at 0.25 mL a click: 4.5 mg = 6 clicks (DOMAIN.md), no titration."""
    base = capsules(
        form=Form.CREAM,
        capsule_mg=None,
        strength=Strength(Decimal(3), "mL"),
        quantity=Decimal(50),
        storage="Store at room temperature",
        bud=date(2026, 12, 25),
        titration=(),
        click_volume_ml=Decimal("0.25"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


REFERENCE_CASES: dict[str, LeafletData] = {
    "leaflet-capsules-letter": LeafletData(capsules(), Paper.LETTER),
    "leaflet-liquid-a4": LeafletData(liquid(), Paper.A4),
    "leaflet-cream-a4-not-verified": LeafletData(cream(verified=False), Paper.A4),
}


def reference_renders() -> dict[str, Callable[[Path], object]]:
    from ldn_desktop.documents.leaflet import render_leaflet

    return {
        name: (lambda out, data=data: render_leaflet(data, out))
        for name, data in REFERENCE_CASES.items()
    }
