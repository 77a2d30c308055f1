"""The store's whole interface, as a Protocol: the window and the CLI use only this.

A PostgreSQL backend for multi-workstation pharmacies can implement the same Protocol. Every
write takes the signed-in `User` as `by` (recorded in the audit trail), runs in one transaction
(all or nothing) and raises a `RuleRefused` or `EnvironmentFault` subclass, never an SQL error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from ldn_desktop.store.records import (
    AppSettings,
    AuditEntry,
    AuditVerification,
    BackupInfo,
    Batch,
    BatchPage,
    BatchQuery,
    Ingredient,
    IngredientLot,
    LotStatus,
    MasterFormulation,
    Patient,
    PharmacyDetails,
    Prescription,
    RecallTrace,
    Role,
    User,
)


class Store(Protocol):
    # --- the database itself ---------------------------------------------------------------
    @property
    def path(self) -> Path: ...

    @property
    def read_only(self) -> bool: ...

    @property
    def read_only_reason(self) -> str:
        """Why the database was opened read-only ("" when writable), for a banner."""
        ...

    @property
    def schema_version(self) -> int: ...

    def close(self) -> None: ...

    # --- first run, users, sign-in ---------------------------------------------------------
    def is_first_run(self) -> bool:
        """True until `create_pharmacy` has been called (no pharmacy, no users)."""
        ...

    def create_pharmacy(
        self, details: PharmacyDetails, admin_username: str, admin_full_name: str, password: str
    ) -> User:
        """Set up a new pharmacy: its details, the first administrator, the usual LDN formulas."""
        ...

    def authenticate(self, username: str, password: str) -> User:
        """The user, or SignInRefused / AccountLocked (after repeated failures, for a while)."""
        ...

    def add_user(
        self, username: str, full_name: str, role: Role, password: str, *, by: User
    ) -> User:
        """Administrators only."""
        ...

    def set_password(self, user_id: int, new_password: str, *, by: User) -> None:
        """The user themself or an administrator; also clears a lockout."""
        ...

    def set_user_active(self, user_id: int, active: bool, *, by: User) -> None: ...

    def list_users(self) -> tuple[User, ...]: ...

    def user(self, user_id: int) -> User: ...

    # --- settings --------------------------------------------------------------------------
    def pharmacy_details(self) -> PharmacyDetails: ...

    def set_pharmacy_details(self, details: PharmacyDetails, *, by: User) -> None: ...

    def app_settings(self) -> AppSettings: ...

    def set_app_settings(self, settings: AppSettings, *, by: User) -> None: ...

    def calculation_settings(self) -> dict[str, Any] | None:
        """The core's CalculationSettings as saved (its dict form), or None if never saved."""
        ...

    def set_calculation_settings(self, settings: Mapping[str, Any], *, by: User) -> None:
        """Pharmacists and administrators; audited like a clinical record."""
        ...

    # --- formulas --------------------------------------------------------------------------
    def list_formulas(
        self, *, include_old_versions: bool = False
    ) -> tuple[MasterFormulation, ...]: ...

    def formula(self, formula_id: int) -> MasterFormulation: ...

    def formula_versions(self, code: str) -> tuple[MasterFormulation, ...]:
        """Every version of one formula, oldest first."""
        ...

    def save_formula_version(
        self, formula: MasterFormulation, *, reason: str, by: User
    ) -> MasterFormulation:
        """Save an edited copy (`dataclasses.replace`) as the next version of `formula.code`.

        Pharmacists and administrators. A new `code` starts a new formula at version 1. The
        old version stays, unchanged, for the batches that used it.
        """
        ...

    # --- ingredients and lots --------------------------------------------------------------
    def list_ingredients(self) -> tuple[Ingredient, ...]: ...

    def add_ingredient(
        self, name: str, kind: str, *, salt_form: str = "", grade: str = "", by: User
    ) -> Ingredient: ...

    def receive_lot(
        self,
        ingredient_id: int,
        supplier: str,
        lot_number: str,
        expiry: date,
        *,
        assay_percent: Decimal | None = None,
        water_percent: Decimal | None = None,
        received_on: date | None = None,
        by: User,
    ) -> IngredientLot:
        """A newly received lot, quarantined until a pharmacist releases it."""
        ...

    def release_lot(self, lot_id: int, *, by: User) -> IngredientLot:
        """Pharmacists and administrators, after checking the certificate."""
        ...

    def quarantine_lot(self, lot_id: int, reason: str, *, by: User) -> IngredientLot: ...

    def recall_lot(self, lot_id: int, reason: str, *, by: User) -> IngredientLot: ...

    def expire_lots(self, *, by: User, today: date | None = None) -> tuple[IngredientLot, ...]:
        """Mark lots past their expiry date as expired (call at start-up); returns them."""
        ...

    def lot(self, lot_id: int) -> IngredientLot: ...

    def lots_by_number(self, lot_number: str) -> tuple[IngredientLot, ...]:
        """Exact lot number, as a barcode scanner types it (surrounding spaces ignored)."""
        ...

    def list_lots(
        self, *, ingredient_id: int | None = None, status: LotStatus | None = None
    ) -> tuple[IngredientLot, ...]: ...

    def expiring_lots(
        self, within_days: int, *, today: date | None = None
    ) -> tuple[IngredientLot, ...]:
        """Released lots expiring within `within_days` of today (or already expired)."""
        ...

    # --- patients and prescriptions --------------------------------------------------------
    def add_patient(
        self,
        name: str,
        date_of_birth: date | None,
        *,
        address: str = "",
        phone: str = "",
        by: User,
    ) -> Patient: ...

    def correct_patient(self, patient: Patient, *, reason: str, by: User) -> Patient:
        """Save corrected details (`dataclasses.replace` of the record), with the reason."""
        ...

    def patient(self, patient_id: int) -> Patient: ...

    def find_patients(self, text: str, *, limit: int = 50) -> tuple[Patient, ...]:
        """Patients whose name, or a word of it, starts with `text` (case and accents folded)."""
        ...

    def add_prescription(
        self,
        patient_id: int,
        rx_number: str,
        prescriber: str,
        dose: str,
        directions: str = "",
        *,
        titration: str = "",
        quantity: str = "",
        days_supply: int | None = None,
        written_on: date | None = None,
        by: User,
    ) -> Prescription:
        """`directions`: the prescriber's words, kept verbatim; empty = written by the app
        from the prescription at print time (a titration: the phase on the date filled)."""
        ...

    def correct_first_fill(
        self, prescription_id: int, first_filled_on: date, *, reason: str, by: User
    ) -> Prescription:
        """Correct a prescription's first fill (day 1 of a titration): pharmacists, with the
        reason, kept in the audit trail. The store records the first fill itself, once, at the
        first final label printed (or dispense) of a batch for it; a reprint never moves it."""
        ...

    def prescription(self, prescription_id: int) -> Prescription: ...

    def prescriptions_for(self, patient_id: int) -> tuple[Prescription, ...]: ...

    def prescriptions_by_rx(self, rx_number: str) -> tuple[Prescription, ...]: ...

    # --- batches (compounding records) -----------------------------------------------------
    def create_draft_batch(
        self,
        formula_id: int,
        prescription_id: int | None,
        calculation: Mapping[str, Any],
        units_made: Decimal,
        unit: str,
        *,
        compounded_on: date | None = None,
        by: User,
    ) -> Batch:
        """A draft compounding record with a new internal lot number.

        `calculation` is the core result's dict form (with its worked steps), kept verbatim.
        """
        ...

    def add_component(
        self,
        batch_id: int,
        lot_number: str,
        planned: Decimal,
        unit: str,
        *,
        what: str = "",
        by: User,
    ) -> Batch:
        """Use an ingredient lot (picked by its lot number) in a draft, for one weighing.

        `what` is the plan's name for the weighing (the core's `Weighing.what`, e.g. "filler
        for trituration 1 (1:10)"): one lot may be weighed more than once. Refused
        (LotNotUsable) for a quarantined, recalled or expired lot. The BUD is recomputed by
        the core with every component's expiry.
        """
        ...

    def add_intermediate(
        self, batch_id: int, what: str, planned: Decimal, unit: str, *, by: User
    ) -> Batch:
        """A weighing with no lot of its own (an aliquot of a trituration made on the bench),
        named by `what`; its actual weight is recorded like any other. The BUD comes only
        from the lots' expiries, so it does not change."""
        ...

    def record_actual(
        self,
        batch_id: int,
        component_id: int,
        actual: Decimal,
        *,
        deviation: str | None = None,
        by: User,
    ) -> Batch:
        """The weight (or volume, tablets) actually used, as read from the balance.

        With `deviation` (a weight outside the tolerance, kept with the reason), the deviation
        and the weight are saved in one transaction: both or neither.
        """
        ...

    def remove_component(self, batch_id: int, component_id: int, *, by: User) -> Batch:
        """Only in a draft (a wrong lot scanned); recorded in the audit trail."""
        ...

    def record_quality_check(
        self, batch_id: int, name: str, expected: str, result: str, passed: bool, *, by: User
    ) -> Batch: ...

    def add_deviation(self, batch_id: int, text: str, *, by: User) -> Batch: ...

    def mark_compounded(self, batch_id: int, *, by: User, password: str) -> Batch:
        """Sign the draft as compounded (re-entering the password).

        A compounded batch changed after signing (a deviation, a check) is signed again here.
        """
        ...

    def verify_batch(self, batch_id: int, *, by: User, password: str) -> Batch:
        """A pharmacist other than the compounder signs the check (re-entering the password)."""
        ...

    def mark_printed(self, batch_id: int, *, by: User) -> Batch:
        """Final labels printed (verified or dispensed batches): the first print's time is
        kept in `printed_at`, every print's in `last_printed_at`. The first print of a batch
        for a prescription not yet filled records the prescription's first fill."""
        ...

    def mark_dispensed(self, batch_id: int, *, by: User) -> Batch:
        """Pharmacists; records the prescription's first fill if no label set it already."""
        ...

    def reject_batch(self, batch_id: int, reason: str, *, by: User) -> Batch:
        """Any state before dispensed; the reason is required and kept. If the batch's label
        had recorded its prescription's first fill, the fill is found again without it."""
        ...

    def batch(self, batch_id: int) -> Batch: ...

    def batch_by_lot(self, lot_number: str) -> Batch: ...

    def search_batches(self, query: BatchQuery) -> BatchPage:
        """One page of the batch table, sorted, with the total count for the query."""
        ...

    # --- recall, audit ---------------------------------------------------------------------
    def recall_trace(self, lot_number: str) -> RecallTrace:
        """Every batch that used an ingredient lot with this number, and each patient."""
        ...

    def audit_entries(
        self, *, table: str | None = None, row_id: int | None = None, limit: int = 500
    ) -> tuple[AuditEntry, ...]:
        """Newest first."""
        ...

    def verify_audit(self) -> AuditVerification:
        """Check the hash chain and that every clinical row matches its last audited state."""
        ...

    # --- backups ---------------------------------------------------------------------------
    def backup_folder(self) -> Path: ...

    def make_backup(self, *, reason: str = "manual", folder: Path | None = None) -> BackupInfo:
        """A checked copy of the database (integrity_check), with a manifest; keeps the last N."""
        ...

    def list_backups(self, folder: Path | None = None) -> tuple[BackupInfo, ...]:
        """Newest first."""
        ...

    def last_backup_time(self) -> datetime | None: ...

    def backup_due(self, *, now: datetime | None = None) -> bool:
        """True when the last backup is older than the backup interval (the daily backup)."""
        ...

    def backup_on_exit(self) -> BackupInfo | None:
        """Call when the window closes: a backup if anything changed since the last one."""
        ...
