"""The usual LDN master formulation records, seeded when a pharmacy is set up.

Sources: DOMAIN.md (capsules in microcrystalline cellulose; oral liquid 1 mg/mL from 50 mg
tablets; transdermal cream 0.5 mg/mL and 3 mg/mL) and USP <795> (2023) Table 4 for the BUD
categories. The pharmacist reviews and, if needed, versions them before first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldn_desktop.core.bud import USP_795_BUD, PreparationType
from ldn_desktop.store.base import iso
from ldn_desktop.store.formulas import formula_values
from ldn_desktop.store.records import FormulaComponent, MasterFormulation, User

if TYPE_CHECKING:
    from ldn_desktop.store.base import StoreBase

USP_795 = "USP <795> (2023), Table 4"
API = FormulaComponent("Naltrexone hydrochloride", "active", "per calculation", "HCl salt, USP")
TABLETS = FormulaComponent(
    "Naltrexone hydrochloride 50 mg tablets", "active", "whole tablets per calculation", "HCl salt"
)


def _formula(
    code: str,
    name: str,
    dosage_form: str,
    strength: str,
    preparation: PreparationType,
    components: tuple[FormulaComponent, ...],
    steps: tuple[str, ...],
    equipment: tuple[str, ...],
    container: str,
    checks: tuple[str, ...],
) -> MasterFormulation:
    rule = USP_795_BUD[preparation]
    return MasterFormulation(
        id=0,
        code=code,
        version=1,
        name=name,
        dosage_form=dosage_form,
        strength=strength,
        preparation_type=preparation.value,
        components=components,
        steps=steps,
        equipment=equipment,
        container=container,
        storage=rule.storage,
        bud_reference=f"{USP_795}: {rule.description}, {rule.days} days",
        quality_checks=checks,
    )


def _cream_formula(code: str, strength: str) -> MasterFormulation:
    """A transdermal cream: the strengths differ, the method and its checks do not."""
    return _formula(
        code,
        f"Naltrexone HCl transdermal cream {strength}",
        "cream",
        strength,
        PreparationType.PRESERVED_AQUEOUS,
        (API, FormulaComponent("Transdermal cream base", "base", "to final volume", "preserved")),
        (
            "Dissolve the naltrexone HCl in a minimal amount of purified water.",
            "Incorporate into the cream base by geometric dilution on an ointment slab.",
            "Mix (electronic mortar and pestle) until uniform.",
            "Fill the metered dispensers (e.g. Topi-CLICK); prime each dispenser.",
        ),
        ("analytical balance", "ointment slab", "electronic mortar and pestle"),
        "metered-dose dispenser",
        ("Appearance: smooth, uniform", "Dispensed volume per click checked"),
    )


SEED_FORMULAS: tuple[MasterFormulation, ...] = (
    _formula(
        "ldn-capsules-mcc",
        "Naltrexone HCl capsules in microcrystalline cellulose",
        "capsule",
        "per prescription (0.1 mg to 4.5 mg)",
        PreparationType.CAPSULE,
        (
            API,
            FormulaComponent(
                "Microcrystalline cellulose", "filler", "per calculation", "Avicel PH-105"
            ),
            FormulaComponent("Gelatin capsule shells", "container", "units made", "size per plan"),
        ),
        (
            "Check the calculation, the lots (released, in date) and the balance's minimum weight.",
            "Weigh the naltrexone HCl (or the trituration) and the microcrystalline cellulose.",
            "Mix by geometric dilution in a mortar until uniform.",
            "Fill the capsules on the capsule machine; tamp evenly.",
            "Weigh 10 filled capsules; compare with the target fill weight.",
            "Package in a light-resistant container; label.",
        ),
        ("analytical balance", "mortar and pestle", "capsule filling machine"),
        "tight, light-resistant container",
        ("Weight of 10 capsules within ±10 % of target", "Appearance: uniform, intact shells"),
    ),
    _formula(
        "ldn-oral-liquid-1mg-unpreserved",
        "Naltrexone HCl oral liquid 1 mg/mL, unpreserved",
        "oral liquid",
        "1 mg/mL",
        PreparationType.UNPRESERVED_AQUEOUS,
        (TABLETS, FormulaComponent("Purified water", "vehicle", "to final volume", "USP")),
        (
            "Crush the whole 50 mg tablets to a fine powder in a mortar.",
            "Wet with a little purified water to a smooth paste.",
            "Add purified water in portions, mixing, and transfer to a graduated cylinder.",
            "Make up to the final volume (2 tablets to 100 mL) and mix well.",
            "Transfer to an amber bottle; label 'Shake well' and 'Refrigerate'.",
        ),
        ("mortar and pestle", "graduated cylinder", "oral syringe"),
        "amber oral bottle with an oral syringe",
        ("Final volume as calculated", "Appearance: uniform suspension after shaking"),
    ),
    _formula(
        "ldn-oral-liquid-1mg-preserved",
        "Naltrexone HCl oral liquid 1 mg/mL, preserved",
        "oral liquid",
        "1 mg/mL",
        PreparationType.PRESERVED_AQUEOUS,
        (
            TABLETS,
            FormulaComponent(
                "Preserved oral vehicle", "vehicle", "to final volume", "e.g. Ora-Sweet"
            ),
        ),
        (
            "Crush the whole 50 mg tablets to a fine powder in a mortar.",
            "Wet with a little of the preserved vehicle to a smooth paste.",
            "Add the vehicle in portions, mixing, and transfer to a graduated cylinder.",
            "Make up to the final volume (2 tablets to 100 mL) and mix well.",
            "Transfer to an amber bottle; label 'Shake well'.",
        ),
        ("mortar and pestle", "graduated cylinder", "oral syringe"),
        "amber oral bottle with an oral syringe",
        ("Final volume as calculated", "Appearance: uniform suspension after shaking"),
    ),
    _cream_formula("ldn-cream-0.5mg-ml", "0.5 mg/mL"),
    _cream_formula("ldn-cream-3mg-ml", "3 mg/mL"),
)

SEED_INGREDIENTS = (
    ("Naltrexone hydrochloride", "api", "hydrochloride", "USP"),
    ("Naltrexone hydrochloride 50 mg tablets", "tablet", "hydrochloride", ""),
    ("Microcrystalline cellulose", "excipient", "", "Avicel PH-105"),
    ("Gelatin capsule shells", "excipient", "", ""),
    ("Purified water", "excipient", "", "USP"),
    ("Preserved oral vehicle", "excipient", "", ""),
    ("Transdermal cream base", "base", "", ""),
)


def seed_formulas(store: StoreBase, admin: User) -> None:
    """Insert the usual formulas (version 1) and ingredients, in the caller's transaction."""
    for formula in SEED_FORMULAS:
        values = formula_values(formula, "Seeded with the app")
        values.update(version=1, created_at=iso(store._now()), created_by=admin.username)
        store._insert("formulas", values, admin)
    for name, kind, salt, grade in SEED_INGREDIENTS:
        store._insert(
            "ingredients", {"name": name, "kind": kind, "salt_form": salt, "grade": grade}, admin
        )
