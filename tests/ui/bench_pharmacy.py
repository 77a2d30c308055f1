"""A small pharmacy at the bench for the Batches, Inventory, Formulas and Print tests.

A real SQLite file (cheap scrypt, tests only) with a technician, two pharmacists, released
lots of naltrexone HCl API and microcrystalline cellulose, a patient and a prescription.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ldn_desktop.store import Store, open_store
from ldn_desktop.store.records import IngredientLot, PharmacyDetails, Prescription, Role, User
from ldn_desktop.ui.context import AppContext, load_settings

TEST_SCRYPT_N = 2**10
PASSWORD = "bench password 1"
API_LOT = "NTX-2401"
FILLER_LOT = "MCC-77"


@dataclass
class Bench:
    store: Store
    context: AppContext
    admin: User
    technician: User
    pharmacist: User
    second_pharmacist: User
    api_lot: IngredientLot
    filler_lot: IngredientLot
    prescription: Prescription

    def sign_in(self, user: User) -> None:
        self.context.set_user(user)


def set_up_bench(path: Path) -> Bench:
    store = open_store(path, scrypt_n=TEST_SCRYPT_N)
    admin = store.create_pharmacy(
        PharmacyDetails("Riverside Compounding", "1 High Street, Springfield", "555-0100", "PH-1"),
        "admin",
        "Ada Admin",
        PASSWORD,
    )
    technician = store.add_user("tess", "Tess Technician", Role.TECHNICIAN, PASSWORD, by=admin)
    pharmacist = store.add_user("phil", "Phil Pharmacist", Role.PHARMACIST, PASSWORD, by=admin)
    second = store.add_user("pam", "Pam Pharmacist", Role.PHARMACIST, PASSWORD, by=admin)
    ingredients = {i.name: i for i in store.list_ingredients()}
    expiry = date.today() + timedelta(days=400)
    api = store.receive_lot(
        ingredients["Naltrexone hydrochloride"].id,
        "Medisca",
        API_LOT,
        expiry,
        assay_percent=Decimal("99.5"),
        water_percent=Decimal("1.5"),
        by=technician,
    )
    api = store.release_lot(api.id, by=pharmacist)
    filler = store.receive_lot(
        ingredients["Microcrystalline cellulose"].id, "Spectrum", FILLER_LOT, expiry, by=technician
    )
    filler = store.release_lot(filler.id, by=pharmacist)
    patient = store.add_patient("Jane Doe", date(1980, 5, 17), by=technician)
    rx = store.add_prescription(
        patient.id,
        "RX-1001",
        "Dr A. Smith",
        "4.5 mg",
        "Take 1 capsule (4.5 mg) by mouth at bedtime",
        quantity="30 capsules",
        days_supply=30,
        by=technician,
    )
    context = AppContext(store, load_settings(store), technician)
    return Bench(store, context, admin, technician, pharmacist, second, api, filler, rx)
