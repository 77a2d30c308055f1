"""The records the store keeps, as plain frozen dataclasses (no SQL objects ever leave the store).

Vocabulary follows the pharmacist's: a master formulation record (the recipe, versioned), an
ingredient lot (from a supplier, with its certificate), a prescription, and a batch, i.e. the
compounding record. Quantities are Decimal; dates are `date`; times are UTC `datetime`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any


class Role(StrEnum):
    """Who may do what: technicians prepare, pharmacists also release lots and verify."""

    TECHNICIAN = "technician"
    PHARMACIST = "pharmacist"
    ADMINISTRATOR = "administrator"


class LotStatus(StrEnum):
    QUARANTINED = "quarantined"  # received, certificate not yet checked: cannot be used
    RELEASED = "released"
    RECALLED = "recalled"
    EXPIRED = "expired"


class BatchState(StrEnum):
    """draft → compounded → verified → dispensed, or rejected (with a reason) before dispensing."""

    DRAFT = "draft"
    COMPOUNDED = "compounded"
    VERIFIED = "verified"
    DISPENSED = "dispensed"
    REJECTED = "rejected"


class SignatureMeaning(StrEnum):
    COMPOUNDED = "compounded"
    VERIFIED = "verified"


@dataclass(frozen=True)
class PharmacyDetails:
    name: str
    address: str = ""
    phone: str = ""
    licence_number: str = ""


@dataclass(frozen=True)
class AppSettings:
    """Workstation-wide settings that are not clinical figures."""

    label_stock: str = ""
    paper_size: str = "A4"
    backup_folder: str = ""  # empty: the "backups" folder next to the database
    backup_keep: int = 30
    backup_interval_hours: int = 24
    idle_lock_minutes: int = 5  # issue 5: the window locks after 5 idle minutes by default


@dataclass(frozen=True)
class User:
    id: int
    username: str
    full_name: str
    role: Role
    active: bool = True

    @property
    def may_verify(self) -> bool:
        """Only pharmacists verify batches (ldn_desktop.core.signing)."""
        return self.role is Role.PHARMACIST


@dataclass(frozen=True)
class FormulaComponent:
    """One line of a recipe: what goes in, how much (as text, e.g. "per calculation")."""

    ingredient: str
    role: str  # active, filler, vehicle, preservative, base
    amount: str
    characteristics: str = ""  # salt form, grade


@dataclass(frozen=True)
class MasterFormulation:
    """A recipe. `code` names the formula across versions; a batch names the version it used."""

    id: int
    code: str
    version: int
    name: str
    dosage_form: str  # capsule, oral liquid, cream
    strength: str
    preparation_type: str  # ldn_desktop.core.bud.PreparationType value
    components: tuple[FormulaComponent, ...]
    steps: tuple[str, ...]
    equipment: tuple[str, ...] = ()
    container: str = ""
    storage: str = ""
    bud_reference: str = ""
    stability_days: int | None = None  # only with a stability reference
    stability_reference: str = ""
    quality_checks: tuple[str, ...] = ()
    change_reason: str = ""
    created_at: datetime | None = None
    created_by: str = ""
    current: bool = True  # False once a newer version exists


@dataclass(frozen=True)
class Ingredient:
    id: int
    name: str
    kind: str  # api, excipient, tablet, base
    salt_form: str = ""
    grade: str = ""


@dataclass(frozen=True)
class IngredientLot:
    id: int
    ingredient_id: int
    ingredient_name: str
    supplier: str
    lot_number: str
    expiry: date
    assay_percent: Decimal | None
    water_percent: Decimal | None
    status: LotStatus
    received_on: date
    status_reason: str = ""


@dataclass(frozen=True)
class Patient:
    id: int
    name: str
    date_of_birth: date | None
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Prescription:
    id: int
    patient_id: int
    patient_name: str
    rx_number: str
    prescriber: str
    dose: str  # e.g. "4.5 mg", read with ldn_desktop.core.quantities
    titration: str  # empty, or the schedule as entered / as JSON from the core
    directions: str  # the prescriber's words; "" = generated at print time from the rest
    quantity: str
    days_supply: int | None
    written_on: date | None
    # Day 1 of a titration: the pharmacy's day the first final label of a batch for this
    # prescription was printed (or the batch dispensed, if that came first). Recorded once;
    # a reprint never moves it; corrected only with `correct_first_fill` and a reason.
    first_filled_on: date | None = None
    first_fill_batch_id: int | None = None  # the batch whose print or dispense set it


@dataclass(frozen=True)
class BatchComponent:
    """One weighing of a batch: planned amount (from the calculation) and actual weight.

    Usually drawn from an ingredient lot. An intermediate (an aliquot of a trituration made
    on the bench) has no lot of its own: `lot_id` and `expiry` are None, `what` names it.
    """

    id: int
    lot_id: int | None
    lot_number: str  # "" for an intermediate
    ingredient_name: str  # "" for an intermediate
    supplier: str
    expiry: date | None
    planned: Decimal
    unit: str  # mg, g, mL, tablet
    actual: Decimal | None = None
    what: str = ""  # the plan's name for the weighing ("filler for trituration 1 (1:10)")

    @property
    def intermediate(self) -> bool:
        return self.lot_id is None

    @property
    def name(self) -> str:
        """The weighing as a person reads it: the plan's words, and the lot's ingredient."""
        if not self.what or self.what.casefold() == self.ingredient_name.casefold():
            return self.ingredient_name or self.what
        if self.intermediate:
            return self.what
        return f"{self.what} ({self.ingredient_name})"


@dataclass(frozen=True)
class QualityCheck:
    id: int
    name: str
    expected: str
    result: str
    passed: bool
    checked_by: str
    checked_at: datetime


@dataclass(frozen=True)
class Deviation:
    id: int
    text: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class Signature:
    """An electronic signature (21 CFR Part 11 style) over a hash of the signed record."""

    id: int
    batch_id: int
    user_id: int
    printed_name: str
    meaning: SignatureMeaning
    signed_at: datetime
    record_hash: str
    valid: bool  # False once the record has changed after signing


@dataclass(frozen=True)
class Batch:
    """The compounding record of one preparation."""

    id: int
    lot_number: str  # internal lot number, unique, generated
    state: BatchState
    formula_id: int
    formula_code: str
    formula_version: int
    formula_name: str
    prescription_id: int | None  # None: a stock batch
    patient_name: str
    rx_number: str
    calculation_json: str  # the core's result with its worked steps, as JSON
    units_made: Decimal
    unit: str  # capsules, mL, g
    compounded_on: date
    bud: date | None
    bud_basis: str
    storage: str
    components: tuple[BatchComponent, ...] = ()
    quality_checks: tuple[QualityCheck, ...] = ()
    deviations: tuple[Deviation, ...] = ()
    signatures: tuple[Signature, ...] = ()
    reject_reason: str = ""
    printed_at: datetime | None = None  # when its final label was first printed
    created_by: str = ""
    created_at: datetime | None = None
    last_printed_at: datetime | None = None  # the latest print (a reprint), or the first

    @property
    def calculation(self) -> Any:
        return json.loads(self.calculation_json)

    def signature(self, meaning: SignatureMeaning) -> Signature | None:
        found = [s for s in self.signatures if s.meaning is meaning]
        return found[-1] if found else None


CompoundingRecord = Batch


@dataclass(frozen=True)
class BatchSummary:
    """One row of the batch table."""

    id: int
    lot_number: str
    state: BatchState
    formula_name: str
    patient_name: str
    rx_number: str
    compounded_on: date
    bud: date | None
    units_made: Decimal
    unit: str


class BatchSort(StrEnum):
    COMPOUNDED_ON = "compounded_on"
    LOT_NUMBER = "lot_number"
    PATIENT = "patient_name"
    RX_NUMBER = "rx_number"
    STATE = "state"
    BUD = "bud"


@dataclass(frozen=True)
class BatchQuery:
    """Search of the batch table. Text fields match from the start (case-insensitive)."""

    patient: str = ""
    rx_number: str = ""
    lot_number: str = ""  # the batch's internal lot, or an ingredient lot used in it
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    state: BatchState | None = None
    sort: BatchSort = BatchSort.COMPOUNDED_ON
    descending: bool = True
    offset: int = 0
    limit: int = 100


@dataclass(frozen=True)
class BatchPage:
    rows: tuple[BatchSummary, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    username: str
    table: str
    row_id: int
    action: str  # insert, update
    old: str  # JSON, "" for an insert
    new: str  # JSON
    hash: str


@dataclass(frozen=True)
class AuditVerification:
    """The result of checking the audit chain and every clinical row against it."""

    ok: bool
    entries_checked: int
    rows_checked: int
    problem: str = ""  # names the first broken row, for a person
    broken_table: str = ""
    broken_row_id: int | None = None


@dataclass(frozen=True)
class RecalledBatch:
    batch_id: int
    lot_number: str
    state: BatchState
    compounded_on: date
    bud: date | None
    patient_name: str  # empty for a stock batch
    patient_date_of_birth: date | None
    rx_number: str
    units_made: Decimal
    unit: str


@dataclass(frozen=True)
class RecallTrace:
    lots: tuple[IngredientLot, ...]  # every lot with that number (suppliers may reuse numbers)
    batches: tuple[RecalledBatch, ...]

    @property
    def patients(self) -> tuple[str, ...]:
        return tuple(sorted({b.patient_name for b in self.batches if b.patient_name}))

    def to_dict(self) -> dict[str, object]:
        return {
            "lots": [
                {
                    "ingredient": lot.ingredient_name,
                    "supplier": lot.supplier,
                    "lot_number": lot.lot_number,
                    "expiry": lot.expiry.isoformat(),
                    "status": lot.status.value,
                }
                for lot in self.lots
            ],
            "batches": [
                {
                    "lot_number": b.lot_number,
                    "state": b.state.value,
                    "compounded_on": b.compounded_on.isoformat(),
                    "bud": b.bud.isoformat() if b.bud else None,
                    "patient": b.patient_name or None,
                    "date_of_birth": b.patient_date_of_birth.isoformat()
                    if b.patient_date_of_birth
                    else None,
                    "rx_number": b.rx_number or None,
                    "units_made": str(b.units_made),
                    "unit": b.unit,
                }
                for b in self.batches
            ],
            "patients": list(self.patients),
        }


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    size_bytes: int
    schema_version: int
    audit_head: str  # the audit chain's latest hash at the time of the backup
    reason: str  # manual, daily, exit, before-migration, before-restore
