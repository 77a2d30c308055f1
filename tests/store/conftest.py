"""A real SQLite file per test, set up as a small pharmacy (cheap scrypt: tests only)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from ldn_desktop.store.records import IngredientLot, PharmacyDetails, Role, User
from ldn_desktop.store.sqlite_store import SqliteStore

TEST_SCRYPT_N = 2**10
PASSWORD = "correct horse"
TODAY = date(2026, 11, 22)


class FakeClock:
    """UTC time that tests move forward by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Pharmacy:
    store: SqliteStore
    path: Path
    clock: FakeClock
    admin: User
    pharmacist: User
    second_pharmacist: User
    technician: User
    api_lot: IngredientLot
    filler_lot: IngredientLot

    def reopen(self, **kwargs: object) -> SqliteStore:
        self.store.close()
        self.store = SqliteStore(
            self.path,
            scrypt_n=TEST_SCRYPT_N,
            clock=self.clock,
            **kwargs,  # type: ignore[arg-type]
        )
        return self.store


def open_test_store(path: Path, clock: FakeClock | None = None, **kwargs: object) -> SqliteStore:
    return SqliteStore(
        path,
        scrypt_n=TEST_SCRYPT_N,
        clock=clock or FakeClock(),
        **kwargs,  # type: ignore[arg-type]
    )


def set_up_pharmacy(path: Path, clock: FakeClock) -> Pharmacy:
    store = open_test_store(path, clock)
    admin = store.create_pharmacy(
        PharmacyDetails("Riverside Compounding", "1 High St", "555-0100", "PH-123"),
        "admin",
        "Ada Admin",
        PASSWORD,
    )
    pharmacist = store.add_user("phil", "Phil Pharmacist", Role.PHARMACIST, PASSWORD, by=admin)
    second = store.add_user("pam", "Pam Pharmacist", Role.PHARMACIST, PASSWORD, by=admin)
    technician = store.add_user("tess", "Tess Technician", Role.TECHNICIAN, PASSWORD, by=admin)
    ingredients = {i.name: i for i in store.list_ingredients()}
    api = store.receive_lot(
        ingredients["Naltrexone hydrochloride"].id,
        "Medisca",
        "NTX-2401",
        date(2027, 9, 30),
        assay_percent=Decimal("99.5"),
        water_percent=Decimal("1.5"),
        by=technician,
    )
    api = store.release_lot(api.id, by=pharmacist)
    filler = store.receive_lot(
        ingredients["Microcrystalline cellulose"].id,
        "Spectrum",
        "MCC-77",
        date(2027, 1, 31),
        by=technician,
    )
    filler = store.release_lot(filler.id, by=pharmacist)
    return Pharmacy(store, path, clock, admin, pharmacist, second, technician, api, filler)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def pharmacy(tmp_path: Path, clock: FakeClock) -> Iterator[Pharmacy]:
    ph = set_up_pharmacy(tmp_path / "pharmacy.sqlite3", clock)
    yield ph
    ph.store.close()


def capsule_formula_id(store: SqliteStore) -> int:
    return next(f.id for f in store.list_formulas() if f.code == "ldn-capsules-mcc")


def draft_with_components(ph: Pharmacy, *, weighed: bool = True, by: User | None = None):  # type: ignore[no-untyped-def]
    """A capsule draft for a prescription, with both lots added (and weighed)."""
    store = ph.store
    who = by or ph.technician
    patient = store.add_patient("Jane Doe", date(1980, 5, 17), by=who)
    rx = store.add_prescription(
        patient.id, "RX-1001", "Dr A. Smith", "4.5 mg", "Take 1 capsule at bedtime", by=who
    )
    batch = store.create_draft_batch(
        capsule_formula_id(store),
        rx.id,
        {"kind": "capsules", "steps": ["4.5 mg × 33 = 148.5 mg"]},
        Decimal(33),
        "capsules",
        by=who,
    )
    batch = store.add_component(batch.id, "NTX-2401", Decimal("151.5"), "mg", by=who)
    batch = store.add_component(batch.id, "MCC-77", Decimal("6448.5"), "mg", by=who)
    if weighed:
        for component in batch.components:
            batch = store.record_actual(batch.id, component.id, component.planned, by=who)
    return batch
