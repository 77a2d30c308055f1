"""From the store's records to what the documents print, and the check before a final label.

A plain mapping: the batch (its calculation as the core recorded it), the prescription,
the patient and the pharmacy become the documents' data classes. Nothing is computed
here that the core or the record does not already say. Before a FINAL label prints, the
core's three-way check compares the prescribed dose, the batch's calculated dose and
strength, and what the label data says; any disagreement stops printing. A batch not yet
verified prints only as a proof ("NOT VERIFIED — DO NOT DISPENSE").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ldn_desktop.core.directions import DosageForm, DosePhase
from ldn_desktop.core.dispensing_check import DispensingCheck, DoseStatement, three_way_check
from ldn_desktop.core.dose_text import weighing_text
from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.quantities import MG_PER_G, Strength, parse_mass_mg, parse_strength
from ldn_desktop.documents import data as docs
from ldn_desktop.store.records import (
    Batch,
    BatchState,
    MasterFormulation,
    Patient,
    PharmacyDetails,
    Prescription,
)

# Components weighed on a balance (the record sheet lists weights in mg).
_MG_PER = {"mg": Decimal(1), "g": MG_PER_G}

# Calculations recorded before plans named their balance were written to one place (0.1 mg).
EARLIER_READABILITY_MG = Decimal("0.1")

# The batch states whose labels may print as final labels (the check has been signed).
FINAL_STATES = (BatchState.VERIFIED, BatchState.DISPENSED)


class NotPrintable(Exception):
    """The batch cannot be printed as asked; the message says why, for a pharmacist."""


@dataclass(frozen=True)
class BatchSources:
    """Everything a batch's documents are made from, as read from the store."""

    batch: Batch
    formula: MasterFormulation
    prescription: Prescription | None
    patient: Patient | None
    pharmacy: PharmacyDetails
    # The day the prescription was first filled, as the store recorded it (its first final
    # label printed, or dispensed): day 1 of a titration. None: not filled yet, so this
    # fill is day 1.
    first_filled: date | None = None

    @property
    def verified(self) -> bool:
        return self.batch.state in FINAL_STATES


def read_sources(store: Any, batch_id: int) -> BatchSources:
    batch = store.batch(batch_id)
    prescription = patient = None
    if batch.prescription_id is not None:
        prescription = store.prescription(batch.prescription_id)
        patient = store.patient(prescription.patient_id)
    return BatchSources(
        batch,
        store.formula(batch.formula_id),
        prescription,
        patient,
        store.pharmacy_details(),
        None if prescription is None else prescription.first_filled_on,
    )


def dosage_form(formula: MasterFormulation) -> DosageForm:
    """The formula's dosage form as the documents name it ('oral liquid' → oral-liquid)."""
    words = formula.dosage_form.strip().lower().replace(" ", "-")
    try:
        return DosageForm(words)
    except ValueError:
        raise NotPrintable(
            f"{formula.name}: '{formula.dosage_form}' is not a form LDN labels know"
        ) from None


def _decimal(calc: dict[str, Any], key: str) -> Decimal:
    try:
        return Decimal(str(calc[key]))
    except (KeyError, ArithmeticError, ValueError):
        raise NotPrintable(f"the batch's calculation has no {key.replace('_', ' ')}") from None


@dataclass(frozen=True)
class BatchDose:
    """What the batch's recorded calculation says: the dose, its strength, the phases."""

    form: DosageForm
    dose_mg: Decimal
    strength: Strength | None
    capsule_mg: Decimal | None
    quantity: Decimal
    phases: tuple[DosePhase, ...]


def batch_dose(batch: Batch, form: DosageForm) -> BatchDose:
    """Read the dose and strength from the calculation the core recorded with the batch."""
    calc = batch.calculation
    if not isinstance(calc, dict):
        raise NotPrintable("the batch has no calculation recorded")
    if form is DosageForm.CAPSULE:
        dose = _decimal(calc, "dose_mg")
        quantity = Decimal(int(calc.get("quantity") or batch.units_made))
        return BatchDose(form, dose, None, dose, quantity, ())
    phases = tuple(
        DosePhase(int(p["from_day"]), int(p["to_day"]), Decimal(str(p["dose_mg"])))
        for p in calc.get("phases") or ()
    )
    if form is DosageForm.ORAL_LIQUID:
        try:
            strength = parse_strength(str(calc["strength"]), "strength")
        except (KeyError, InputRefused):
            raise NotPrintable("the batch's calculation has no strength") from None
    else:
        strength = Strength(_decimal(calc, "mg_per_ml"), "mL")
    if not phases:
        raise NotPrintable("the batch's calculation has no dose")
    quantity = _decimal(calc, "total_ml")
    titration = phases if len(phases) > 1 else ()
    return BatchDose(form, phases[-1].dose_mg, strength, None, quantity, titration)


def label_data(
    sources: BatchSources,
    *,
    today: date | None = None,
    click_volume_ml: Decimal = docs.DEFAULT_CLICK_VOLUME_ML,
) -> docs.Prescription:
    """The label (and leaflet, wallet card) data for a batch dispensed on a prescription.

    The date filled is today. A titration counts its days from the prescription's first
    fill, so a refill on day 30 prints the phase current on day 30. Directions the
    prescriber did not write are left empty here: the documents write them through
    core/directions.py.
    """
    batch, rx, patient = sources.batch, sources.prescription, sources.patient
    if rx is None or patient is None:
        raise NotPrintable(
            f"Batch {batch.lot_number} is a stock batch: a patient label needs a prescription."
        )
    if patient.date_of_birth is None:
        raise NotPrintable(f"{patient.name} has no date of birth recorded: add it first.")
    if batch.bud is None:
        raise NotPrintable(f"Batch {batch.lot_number} has no beyond-use date yet.")
    form = dosage_form(sources.formula)
    dose = batch_dose(batch, form)
    day = today or date.today()
    started = min(day, sources.first_filled or day)
    pharmacy = sources.pharmacy
    calc = batch.calculation
    click = click_volume_ml
    if form is DosageForm.CREAM and isinstance(calc, dict) and calc.get("click_ml"):
        click = Decimal(str(calc["click_ml"]))
    return docs.Prescription(
        patient=docs.Patient(patient.name, patient.date_of_birth),
        prescriber=docs.Prescriber(rx.prescriber),
        rx_number=rx.rx_number,
        form=form,
        dose_mg=dose.dose_mg,
        quantity=dose.quantity,
        lot=batch.lot_number,
        bud=batch.bud,
        storage=batch.storage,
        start_date=started,
        pharmacy=docs.Pharmacy(pharmacy.name, pharmacy.address, pharmacy.phone),
        verified=sources.verified,
        strength=dose.strength,
        capsule_mg=dose.capsule_mg,
        directions=rx.directions.strip() or None,
        titration=dose.phases,
        dispensed=day,
        click_volume_ml=click,
    )


def _statement(source: str, dose_mg: Decimal, form: DosageForm, strength: Any) -> DoseStatement:
    if form is DosageForm.CAPSULE:
        return DoseStatement(source, dose_mg, strength, "capsule")
    if strength is None:
        return DoseStatement(source, dose_mg)
    return DoseStatement(source, dose_mg, strength.mg, strength.per)


def final_label_check(sources: BatchSources, label: docs.Prescription) -> DispensingCheck:
    """The core's three-way check: prescription, batch calculation, label."""
    rx = sources.prescription
    if rx is None:
        raise NotPrintable("a stock batch has no prescription to check the label against")
    form = dosage_form(sources.formula)
    dose = batch_dose(sources.batch, form)
    try:
        prescribed = parse_mass_mg(rx.dose, "prescription dose")
    except InputRefused as refused:
        raise NotPrintable(
            f"The prescription {rx.rx_number} states its dose as '{rx.dose}', which cannot be "
            f"read ({refused.message}): correct the prescription first."
        ) from None
    batch_strength = dose.capsule_mg if form is DosageForm.CAPSULE else dose.strength
    label_strength = (
        (label.capsule_mg or label.dose_mg) if form is DosageForm.CAPSULE else label.strength
    )
    return three_way_check(
        DoseStatement("prescription", prescribed),
        _statement("batch", dose.dose_mg, form, batch_strength),
        _statement("label", label.dose_mg, form, label_strength),
    )


def batch_readability(calculation: Any) -> Decimal:
    """The readability of the balance the recorded calculation was made for, mg: its
    weighings are shown to that balance's places, whatever the pharmacy's balance is now."""
    raw = calculation.get("balance_readability_mg") if isinstance(calculation, dict) else None
    try:
        readability = Decimal(str(raw))
    except InvalidOperation:  # None: recorded before plans named their balance
        return EARLIER_READABILITY_MG
    return readability if readability.is_finite() and readability > 0 else EARLIER_READABILITY_MG


def record_sheet_data(sources: BatchSources) -> docs.RecordSheetData:
    """The compounding record sheet for the binder and inspectors."""
    batch = sources.batch
    form = dosage_form(sources.formula)
    dose = batch_dose(batch, form)
    calc = batch.calculation if isinstance(batch.calculation, dict) else {}
    d = batch_readability(calc)
    components = tuple(
        docs.RecordComponent(
            name=c.name,
            lot=c.lot_number,
            expiry=c.expiry,
            weighed_mg=(c.actual if c.actual is not None else c.planned) * _MG_PER[c.unit],
            supplier=c.supplier,
        )
        for c in batch.components
        if c.unit in _MG_PER and c.expiry is not None
    )
    # A trituration's aliquot has no lot or expiry: the sheet lists it with the trituration.
    trituration = tuple(
        f"{c.name}: planned {weighing_text(c.planned * _MG_PER[c.unit], d)}, weighed "
        + ("—" if c.actual is None else weighing_text(c.actual * _MG_PER[c.unit], d))
        for c in batch.components
        if c.intermediate and c.unit in _MG_PER
    )
    pharmacy = sources.pharmacy
    return docs.RecordSheetData(
        formula_name=batch.formula_name,
        formula_version=str(batch.formula_version),
        form=form,
        dose_mg=dose.dose_mg,
        lot=batch.lot_number,
        compounded=batch.compounded_on,
        bud=batch.bud or batch.compounded_on,
        storage=batch.storage,
        units_made=batch.units_made,
        pharmacy=docs.Pharmacy(pharmacy.name, pharmacy.address, pharmacy.phone),
        verified=sources.verified,
        strength=dose.strength,
        bud_basis=batch.bud_basis,
        steps=tuple(str(s) for s in calc.get("steps", ())),
        components=components,
        trituration=trituration,
        balance_readability_mg=d,
        quality_checks=tuple(
            docs.QualityCheck(q.name, q.expected, q.result, q.passed) for q in batch.quality_checks
        ),
        signatures=tuple(
            docs.Signature(s.printed_name, s.meaning.value, s.signed_at)
            for s in batch.signatures
            if s.valid
        ),
        deviations=tuple(d.text for d in batch.deviations),
    )
