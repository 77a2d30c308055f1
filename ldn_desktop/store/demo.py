"""A demo pharmacy for training and screenshots, made through the same Store methods the app uses.

Users and passwords (real scrypt hashes, so only a handful): see docs/database.md.
The calculations come from the core, exactly as the window would record them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ldn_desktop.core.capsules import CapsuleOrder, Overage, plan_capsules
from ldn_desktop.core.cream import CreamOrder, plan_cream
from ldn_desktop.core.liquid import LiquidOrder, plan_liquid
from ldn_desktop.core.quantities import Strength
from ldn_desktop.core.trituration import Weighing, WeighingKind
from ldn_desktop.store.api import Store
from ldn_desktop.store.records import Batch, BatchQuery, PharmacyDetails, Role, User

DEMO_PHARMACY = PharmacyDetails(
    name="Riverside Compounding Pharmacy (DEMO)",
    address="12 River Street, Springfield",
    phone="555-0142",
    licence_number="DEMO-PH-0001",
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    password: str


DEMO_ADMIN = DemoUser("admin", "Alex Admin", Role.ADMINISTRATOR, "demo-admin-2026")
DEMO_USERS = (
    DemoUser("paula", "Paula Pharmacist", Role.PHARMACIST, "demo-paula-2026"),
    DemoUser("chris", "Chris Checker", Role.PHARMACIST, "demo-chris-2026"),
    DemoUser("toni", "Toni Technician", Role.TECHNICIAN, "demo-toni-2026"),
)


def fill_demo(store: Store, *, today: date | None = None) -> dict[str, int]:
    """Set up the demo pharmacy in an empty database; returns how many of each record exist."""
    admin = store.create_pharmacy(
        DEMO_PHARMACY, DEMO_ADMIN.username, DEMO_ADMIN.full_name, DEMO_ADMIN.password
    )
    return add_demo_data(store, by=admin, today=today)


def add_demo_data(store: Store, *, by: User, today: date | None = None) -> dict[str, int]:
    """Add the demo users, lots, patients and batches to a pharmacy just set up by `by`.

    (The first-run window offers it after its administrator has been created.)
    """
    day = today or date.today()
    admin = by
    users = {
        u.username: store.add_user(u.username, u.full_name, u.role, u.password, by=admin)
        for u in DEMO_USERS
    }
    paula, chris, toni = users["paula"], users["chris"], users["toni"]
    passwords = {u.username: u.password for u in DEMO_USERS}
    ingredients = {i.name: i for i in store.list_ingredients()}

    def lot(
        name: str,
        supplier: str,
        number: str,
        months: int,
        *,
        release: bool = True,
        assay: str | None = None,
        water: str | None = None,
    ) -> None:
        received = store.receive_lot(
            ingredients[name].id,
            supplier,
            number,
            day + timedelta(days=30 * months),
            assay_percent=None if assay is None else Decimal(assay),
            water_percent=None if water is None else Decimal(water),
            received_on=day - timedelta(days=40),
            by=toni,
        )
        if release:
            store.release_lot(received.id, by=paula)

    lot("Naltrexone hydrochloride", "Medisca", "NTX-24A117", 20, assay="99.5", water="1.5")
    lot("Naltrexone hydrochloride", "Fagron", "FG-NTX-0925", 14, assay="100.2", water="0.8")
    lot("Naltrexone hydrochloride", "PCCA", "PCCA-771203", 18, release=False, assay="98.9")
    lot("Microcrystalline cellulose", "Spectrum", "MCC-PH105-3321", 24)
    lot("Microcrystalline cellulose", "Medisca", "MCC-8812", 1)  # expiring soon
    lot("Naltrexone hydrochloride 50 mg tablets", "Accord", "ACC-T50-5521", 12)
    lot("Purified water", "In-house", "PW-" + day.strftime("%y%m"), 2)
    lot("Preserved oral vehicle", "Perrigo", "ORA-SW-4410", 10)
    lot("Transdermal cream base", "PCCA", "LIPO-7781", 9)
    lot("Gelatin capsule shells", "Capsuline", "CAPS-1-9034", 30)

    capsule = "Take 1 capsule by mouth at bedtime"
    patients = [
        ("Margaret O'Connor", date(1958, 3, 14), "RX-40211", "4.5 mg", capsule, "30 capsules"),
        ("José Álvarez", date(1979, 11, 2), "RX-40238", "1.5 mg", capsule, "30 capsules"),
        (
            "Chen Wei",
            date(1986, 6, 21),
            "RX-40240",
            "4.5 mg",
            "Take 4.5 mL (4.5 mg) by mouth at bedtime",
            "63 mL",
        ),
        (
            "Zoë Lindqvist",
            date(1992, 1, 30),
            "RX-40251",
            "4.5 mg",
            "Apply 6 clicks (4.5 mg) to the inner wrist at bedtime",
            "46 mL",
        ),
        ("Robert Nguyen", date(1965, 9, 9), "RX-40263", "0.5 mg", capsule, "30 capsules"),
    ]
    rx_ids = []
    for name, born, rx_number, dose, directions, quantity in patients:
        patient = store.add_patient(name, born, phone="555-01" + rx_number[-2:], by=toni)
        rx = store.add_prescription(
            patient.id,
            rx_number,
            "Dr. Helen Park" if born.year < 1980 else "Dr. Samuel Okafor",
            dose,
            directions,
            quantity=quantity,
            days_supply=14 if "mL (" in directions else 30,
            written_on=day - timedelta(days=10),
            by=toni,
        )
        rx_ids.append(rx.id)
    formulas = {f.code: f for f in store.list_formulas()}

    def capsules(rx_id: int, dose: str, lots: tuple[str, str], on: date, by: User) -> Batch:
        plan = plan_capsules(
            CapsuleOrder(
                dose_mg=Decimal(dose),
                quantity=30,
                overage=Overage(Decimal(10), True),
                assay_percent=Decimal("99.5"),
                water_percent=Decimal("1.5"),
            )
        )
        batch = store.create_draft_batch(
            formulas["ldn-capsules-mcc"].id,
            rx_id,
            plan.to_dict(),
            Decimal(plan.units_to_make),
            "capsules",
            compounded_on=on,
            by=by,
        )
        return add_weighings(
            store, batch, plan.weighings, drug_lot=lots[0], filler_lot=lots[1], by=by
        )

    def weigh(batch: Batch, by: User, *, off_by: Decimal = Decimal(0)) -> Batch:
        for component in batch.components:
            batch = store.record_actual(batch.id, component.id, component.planned + off_by, by=by)
        return batch

    def sign(batch: Batch, compounder: User, verifier: User | None) -> Batch:
        batch = store.record_quality_check(
            batch.id, "Appearance", "uniform", "uniform, intact", True, by=compounder
        )
        batch = store.mark_compounded(
            batch.id, by=compounder, password=passwords[compounder.username]
        )
        if verifier is not None:
            batch = store.verify_batch(batch.id, by=verifier, password=passwords[verifier.username])
        return batch

    api, filler = "NTX-24A117", "MCC-PH105-3321"
    # 1. dispensed: capsules 4.5 mg, compounded by the technician, checked by Paula
    done = sign(
        weigh(capsules(rx_ids[0], "4.5", (api, filler), day - timedelta(days=6), toni), toni),
        toni,
        paula,
    )
    store.mark_printed(done.id, by=toni)
    store.mark_dispensed(done.id, by=paula)
    # 2. verified, labels printed, waiting for collection: 1.5 mg with the Fagron lot
    ready = sign(
        weigh(
            capsules(rx_ids[1], "1.5", ("FG-NTX-0925", filler), day - timedelta(days=2), toni), toni
        ),
        toni,
        chris,
    )
    store.mark_printed(ready.id, by=toni)
    # 3. oral liquid 1 mg/mL from tablets, compounded by Paula, verified by Chris
    liquid = plan_liquid(LiquidOrder(Strength(Decimal(1), "mL"), 14, dose_mg=Decimal("4.5")))
    batch = store.create_draft_batch(
        formulas["ldn-oral-liquid-1mg-unpreserved"].id,
        rx_ids[2],
        liquid.to_dict(),
        liquid.batch_ml,
        "mL",
        compounded_on=day - timedelta(days=1),
        by=paula,
    )
    batch = store.add_component(
        batch.id,
        "ACC-T50-5521",
        Decimal(liquid.tablets or 0),
        "tablet",
        what="naltrexone HCl 50 mg tablets",
        by=paula,
    )
    batch = store.add_component(
        batch.id, "PW-" + day.strftime("%y%m"), liquid.batch_ml, "mL", what="vehicle", by=paula
    )
    sign(weigh(batch, paula), paula, chris)
    # 4. compounded, waiting for a pharmacist's check: cream 3 mg/mL
    cream = plan_cream(CreamOrder(Strength(Decimal(3), "mL"), 30, dose_mg=Decimal("4.5")))
    batch = store.create_draft_batch(
        formulas["ldn-cream-3mg-ml"].id,
        rx_ids[3],
        cream.to_dict(),
        cream.total_ml,
        "mL",
        by=toni,
    )
    batch = store.add_component(
        batch.id, api, cream.drug_mg_total, "mg", what="naltrexone HCl API", by=toni
    )
    batch = store.add_component(
        batch.id, "LIPO-7781", cream.total_ml, "mL", what="cream base", by=toni
    )
    sign(weigh(batch, toni), toni, None)
    # 5. draft in progress: weighed the drug, not yet the filler
    draft = capsules(rx_ids[4], "0.5", (api, filler), day, toni)
    store.record_actual(draft.id, draft.components[0].id, draft.components[0].planned, by=toni)
    # 6. rejected: fill weight out of range, with a deviation recorded
    bad = weigh(capsules(rx_ids[0], "4.5", (api, filler), day - timedelta(days=3), toni), toni)
    store.add_deviation(bad.id, "Capsule machine jammed; fill weights uneven.", by=toni)
    store.record_quality_check(
        bad.id, "Weight of 10 capsules", "within ±10 % of target", "+14 %", False, by=toni
    )
    store.reject_batch(bad.id, "Fill weight out of range: remade as a new batch.", by=paula)
    # 7. a stock batch made with the Fagron lot, which is then recalled by the supplier
    stock = sign(
        weigh(capsules_stock(store, formulas["ldn-capsules-mcc"].id, day, toni), toni), toni, paula
    )
    recalled = store.lots_by_number("FG-NTX-0925")[0]
    store.recall_lot(recalled.id, "Supplier recall notice FG-2026-14 (sub-potent)", by=paula)
    assert stock.id
    return {
        "users": len(store.list_users()),
        "lots": len(store.list_lots()),
        "patients": len(patients),
        "batches": store.search_batches(BatchQuery(limit=1)).total,
    }


def capsules_stock(store: Store, formula_id: int, day: date, by: User) -> Batch:
    plan = plan_capsules(CapsuleOrder(dose_mg=Decimal("1.5"), quantity=100))
    batch = store.create_draft_batch(
        formula_id,
        None,
        plan.to_dict(),
        Decimal(plan.units_to_make),
        "capsules",
        compounded_on=day - timedelta(days=4),
        by=by,
    )
    return add_weighings(
        store, batch, plan.weighings, drug_lot="FG-NTX-0925", filler_lot="MCC-PH105-3321", by=by
    )


def add_weighings(
    store: Store,
    batch: Batch,
    weighings: Sequence[Weighing],
    *,
    drug_lot: str,
    filler_lot: str,
    by: User,
) -> Batch:
    """Every weighing of a capsule plan, in the plan's order, each from the lot it draws on:
    the drug's, the filler's, or none for a trituration made on the bench."""
    lots = {WeighingKind.DRUG: drug_lot, WeighingKind.FILLER: filler_lot}
    for weighing in weighings:
        if weighing.kind is WeighingKind.INTERMEDIATE:
            batch = store.add_intermediate(batch.id, weighing.what, weighing.mg, "mg", by=by)
        else:
            batch = store.add_component(
                batch.id, lots[weighing.kind], weighing.mg, "mg", what=weighing.what, by=by
            )
    return batch
