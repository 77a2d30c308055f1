"""Compounding records: a draft, its lots and weights, signatures, and the states after.

The BUD is never typed in: the core computes it (USP <795>, capped by each component lot's
expiry) whenever the components change, and the database refuses a BUD past any expiry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ldn_desktop.core.bud import (
    BeyondUseDate,
    ComponentExpiry,
    PreparationType,
    StabilityReference,
    beyond_use_date,
)
from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.lots import lot_refusal
from ldn_desktop.core.signing import verification_refusal
from ldn_desktop.store.base import iso, text_field
from ldn_desktop.store.batch_reading import BatchReadingMixin
from ldn_desktop.store.errors import (
    DuplicateRecord,
    InvalidField,
    LotNotUsable,
    NotFound,
    SignatureRefused,
    StateRefused,
)
from ldn_desktop.store.first_fill import first_fill_from_records
from ldn_desktop.store.formulas import FormulasMixin
from ldn_desktop.store.lots import LotsMixin
from ldn_desktop.store.records import (
    Batch,
    BatchComponent,
    BatchState,
    IngredientLot,
    MasterFormulation,
    SignatureMeaning,
    User,
)
from ldn_desktop.store.schema import patient_key
from ldn_desktop.store.users import UsersMixin


def _quantity(field: str, value: Decimal, *, allow_zero: bool = False) -> str:
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise InvalidField(field, "must be a number") from error
    if not number.is_finite() or number < 0 or (number == 0 and not allow_zero):
        raise InvalidField(field, "must be a positive number")
    if number > Decimal("1e9"):
        raise InvalidField(field, "is implausibly large")
    return str(number)


class BatchesMixin(UsersMixin, FormulasMixin, LotsMixin, BatchReadingMixin):
    # --- drafts -----------------------------------------------------------------------------
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
        try:
            calculation_json = json.dumps(dict(calculation), ensure_ascii=False, default=str)
        except (TypeError, ValueError) as error:
            raise InvalidField("calculation", f"cannot be recorded ({error})") from error
        text_field("calculation", calculation_json, max_length=1_000_000)
        made = _quantity("units_made", units_made)
        unit_text = text_field("unit", unit, max_length=50)
        day = compounded_on or self._today()
        if day > self._today():
            raise InvalidField("compounded_on", "cannot be in the future", "compounding date")
        with self._write():
            actor = self._actor(by, "prepare")
            formula = self.formula(formula_id)
            if not formula.current:
                raise StateRefused(
                    f"Version {formula.version} of {formula.name} has been replaced: use the "
                    "current version."
                )
            patient, rx = "", ""
            if prescription_id is not None:
                row = self._conn.execute(
                    "SELECT p.name, r.rx_number FROM prescriptions r "
                    "JOIN patients p ON p.id = r.patient_id WHERE r.id = ?",
                    (prescription_id,),
                ).fetchone()
                if row is None:
                    raise NotFound(f"There is no prescription {prescription_id}.")
                patient, rx = str(row[0]), str(row[1])
            bud = self._bud(formula, day, ())
            batch_id = self._insert(
                "batches",
                {
                    "lot_number": self._next_lot_number(day),
                    "state": BatchState.DRAFT.value,
                    "formula_id": formula.id,
                    "prescription_id": prescription_id,
                    "patient_name": patient,
                    "patient_key": patient_key(patient),
                    "rx_number": rx,
                    "calculation_json": calculation_json,
                    "units_made": made,
                    "unit": unit_text,
                    "compounded_on": day.isoformat(),
                    "bud": bud.bud.isoformat(),
                    "bud_basis": bud.basis,
                    "storage": bud.storage,
                    "reject_reason": "",
                    "printed_at": None,
                    "created_by": actor.username,
                    "created_at": iso(self._now()),
                },
                actor,
            )
        return self.batch(batch_id)

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
        amount = _quantity("planned", planned)
        unit_text = text_field("unit", unit, max_length=20)
        name = text_field("what", what, label="weighing", required=False, max_length=200)
        with self._write():
            actor = self._actor(by, "prepare")
            batch = self._batch_in(batch_id, (BatchState.DRAFT,), "add a component")
            lot = self._usable_lot(lot_number, batch.compounded_on)
            expiries = [*self._component_expiries(batch_id), _expiry(lot)]
            self._set_bud(batch, expiries, actor)
            self._insert(
                "batch_components",
                {
                    "batch_id": batch_id,
                    "lot_id": lot.id,
                    "what": name,
                    "planned": amount,
                    "unit": unit_text,
                    "actual": None,
                    "removed": 0,
                },
                actor,
            )
        return self.batch(batch_id)

    def add_intermediate(
        self, batch_id: int, what: str, planned: Decimal, unit: str, *, by: User
    ) -> Batch:
        amount = _quantity("planned", planned)
        unit_text = text_field("unit", unit, max_length=20)
        name = text_field("what", what, label="weighing", max_length=200)
        with self._write():
            actor = self._actor(by, "prepare")
            self._batch_in(batch_id, (BatchState.DRAFT,), "add a weighing")
            self._insert(
                "batch_components",
                {
                    "batch_id": batch_id,
                    "lot_id": None,
                    "what": name,
                    "planned": amount,
                    "unit": unit_text,
                    "actual": None,
                    "removed": 0,
                },
                actor,
            )
        return self.batch(batch_id)

    def record_actual(
        self,
        batch_id: int,
        component_id: int,
        actual: Decimal,
        *,
        deviation: str | None = None,
        by: User,
    ) -> Batch:
        amount = _quantity("actual", actual, allow_zero=True)
        note = None if deviation is None else text_field("deviation", deviation)
        with self._write():
            actor = self._actor(by, "prepare")
            self._batch_in(batch_id, (BatchState.DRAFT,), "record a weight")
            self._component_of(batch_id, component_id)
            if note is not None:
                self._insert_deviation(batch_id, note, actor)
            self._update("batch_components", component_id, {"actual": amount}, actor, "weighed")
        return self.batch(batch_id)

    def remove_component(self, batch_id: int, component_id: int, *, by: User) -> Batch:
        with self._write():
            actor = self._actor(by, "prepare")
            batch = self._batch_in(batch_id, (BatchState.DRAFT,), "remove a component")
            self._component_of(batch_id, component_id)
            self._update("batch_components", component_id, {"removed": 1}, actor, "removed")
            self._set_bud(batch, self._component_expiries(batch_id), actor)
        return self.batch(batch_id)

    def record_quality_check(
        self, batch_id: int, name: str, expected: str, result: str, passed: bool, *, by: User
    ) -> Batch:
        values = {
            "batch_id": batch_id,
            "name": text_field("name", name, label="check", max_length=200),
            "expected": text_field(
                "expected", expected, label="expected result", required=False, max_length=500
            ),
            "result": text_field("result", result, max_length=500),
            "passed": int(bool(passed)),
        }
        with self._write():
            actor = self._actor(by, "prepare")
            self._batch_in(
                batch_id, (BatchState.DRAFT, BatchState.COMPOUNDED), "record a quality check"
            )
            values.update(checked_by=actor.username, checked_at=iso(self._now()))
            self._insert("quality_checks", values, actor)
        return self.batch(batch_id)

    def add_deviation(self, batch_id: int, text: str, *, by: User) -> Batch:
        note = text_field("text", text, label="deviation")
        with self._write():
            actor = self._actor(by, "prepare")
            self._batch_in(
                batch_id, (BatchState.DRAFT, BatchState.COMPOUNDED), "record a deviation"
            )
            self._insert_deviation(batch_id, note, actor)
        return self.batch(batch_id)

    def _insert_deviation(self, batch_id: int, note: str, actor: User) -> None:
        self._insert(
            "deviations",
            {
                "batch_id": batch_id,
                "text": note,
                "recorded_by": actor.username,
                "recorded_at": iso(self._now()),
            },
            actor,
        )

    # --- signatures and states --------------------------------------------------------------
    def mark_compounded(self, batch_id: int, *, by: User, password: str) -> Batch:
        with self._write():
            actor = self._actor(by, "prepare")
            batch = self._batch_in(
                batch_id, (BatchState.DRAFT, BatchState.COMPOUNDED), "sign it as compounded"
            )
            earlier = batch.signature(SignatureMeaning.COMPOUNDED)
            if earlier is not None and earlier.valid:
                raise StateRefused(f"Batch {batch.lot_number} is already signed as compounded.")
            if not any(not c.intermediate for c in batch.components):
                raise StateRefused("Record the lots used before signing the batch.")
            missing = [_weighing_words(c) for c in batch.components if c.actual is None]
            if missing:
                raise StateRefused(
                    f"Record the amount actually weighed for {', '.join(missing)} first."
                )
            for component in batch.components:
                if not component.intermediate:
                    self._usable_lot(component.lot_number, batch.compounded_on, component.lot_id)
            self._check_signature_password(actor, password)
            self._sign(batch_id, actor, SignatureMeaning.COMPOUNDED)
            if batch.state is BatchState.DRAFT:
                self._update(
                    "batches",
                    batch_id,
                    {"state": BatchState.COMPOUNDED.value},
                    actor,
                    "compounded",
                )
        return self.batch(batch_id)

    def verify_batch(self, batch_id: int, *, by: User, password: str) -> Batch:
        with self._write():
            actor = self._actor(by, None)  # the role is checked below, with the reason
            batch = self._batch_in(batch_id, (BatchState.COMPOUNDED,), "verify it")
            compounded = batch.signature(SignatureMeaning.COMPOUNDED)
            assert compounded is not None  # a compounded batch always has its signature
            refusal = verification_refusal(actor.role.value, actor.id, compounded.user_id)
            if refusal is not None:
                raise SignatureRefused(f"Refused: {refusal}.")
            if not compounded.valid:
                raise SignatureRefused(
                    "The record has changed since it was signed as compounded: the compounder "
                    "must review it and sign again (or reject the batch)."
                )
            failed = [q.name for q in batch.quality_checks if not q.passed]
            if failed:
                raise StateRefused(
                    f"A quality check failed ({', '.join(failed)}): the batch cannot be "
                    "verified; reject it."
                )
            self._check_signature_password(actor, password)
            self._sign(batch_id, actor, SignatureMeaning.VERIFIED)
            self._update(
                "batches", batch_id, {"state": BatchState.VERIFIED.value}, actor, "verified"
            )
        return self.batch(batch_id)

    def mark_printed(self, batch_id: int, *, by: User) -> Batch:
        """`printed_at` keeps the first print, `last_printed_at` the latest; the first print
        of a batch for a prescription not yet filled records the prescription's first fill."""
        with self._write():
            actor = self._actor(by, "prepare")
            batch = self._batch_in(
                batch_id, (BatchState.VERIFIED, BatchState.DISPENSED), "print its labels"
            )
            now = iso(self._now())
            if batch.printed_at is None:
                changes = {"printed_at": now, "last_printed_at": now}
                self._update("batches", batch_id, changes, actor, "printed")
            else:
                self._update("batches", batch_id, {"last_printed_at": now}, actor, "reprinted")
            self._record_first_fill(batch, actor, "its final label printed")
        return self.batch(batch_id)

    def mark_dispensed(self, batch_id: int, *, by: User) -> Batch:
        with self._write():
            actor = self._actor(by, "dispense")
            batch = self._batch_in(batch_id, (BatchState.VERIFIED,), "dispense it")
            self._update(
                "batches", batch_id, {"state": BatchState.DISPENSED.value}, actor, "dispensed"
            )
            self._record_first_fill(batch, actor, "dispensed")
        return self.batch(batch_id)

    def _record_first_fill(self, batch: Batch, actor: User, how: str) -> None:
        """The prescription's first fill is today, if none is recorded yet (once only)."""
        if batch.prescription_id is None:
            return
        row = self._conn.execute(
            "SELECT first_filled_on FROM prescriptions WHERE id = ?", (batch.prescription_id,)
        ).fetchone()
        if row is None or row[0] is not None:
            return
        self._update(
            "prescriptions",
            batch.prescription_id,
            {"first_filled_on": self._today().isoformat(), "first_fill_batch_id": batch.id},
            actor,
            f"first filled: batch {batch.lot_number} {how}",
        )

    def _first_fill_after_rejecting(self, batch: Batch, actor: User) -> None:
        """A batch rejected before dispensing never reached the patient: if its print set
        the prescription's first fill, the fill is found again from the other batches."""
        if batch.prescription_id is None:
            return
        row = self._conn.execute(
            "SELECT first_fill_batch_id FROM prescriptions WHERE id = ?", (batch.prescription_id,)
        ).fetchone()
        if row is None or row[0] != batch.id:
            return
        fill = first_fill_from_records(self._conn, batch.prescription_id)
        self._update(
            "prescriptions",
            batch.prescription_id,
            {
                "first_filled_on": None if fill is None else fill.on.isoformat(),
                "first_fill_batch_id": None if fill is None else fill.batch_id,
            },
            actor,
            f"first fill found again: batch {batch.lot_number} rejected before dispensing",
        )

    def reject_batch(self, batch_id: int, reason: str, *, by: User) -> Batch:
        why = text_field("reason", reason, label="reason for rejecting", max_length=2000)
        with self._write():
            actor = self._actor(by, "reject")
            batch = self._batch_in(
                batch_id,
                (BatchState.DRAFT, BatchState.COMPOUNDED, BatchState.VERIFIED),
                "reject it",
            )
            self._update(
                "batches",
                batch_id,
                {"state": BatchState.REJECTED.value, "reject_reason": why},
                actor,
                "rejected",
            )
            self._first_fill_after_rejecting(batch, actor)
        return self.batch(batch_id)

    # --- helpers ----------------------------------------------------------------------------
    def _batch_in(self, batch_id: int, states: tuple[BatchState, ...], doing: str) -> Batch:
        batch = self.batch(batch_id)
        if batch.state not in states:
            raise StateRefused(f"Batch {batch.lot_number} is {batch.state.value}: cannot {doing}.")
        return batch

    def _component_of(self, batch_id: int, component_id: int) -> None:
        row = self._conn.execute(
            "SELECT 1 FROM batch_components WHERE id = ? AND batch_id = ? AND removed = 0",
            (component_id, batch_id),
        ).fetchone()
        if row is None:
            raise NotFound(f"Component {component_id} is not part of batch {batch_id}.")

    def _usable_lot(self, lot_number: str, on: date, lot_id: int | None = None) -> IngredientLot:
        lots = self.lots_by_number(lot_number)
        if lot_id is not None:
            lots = tuple(lot for lot in lots if lot.id == lot_id)
        if not lots:
            raise NotFound(f"No ingredient lot {lot_number.strip()} has been received.")
        reasons = [lot_refusal(lot.lot_number, lot.status.value, lot.expiry, on) for lot in lots]
        usable = [lot for lot, reason in zip(lots, reasons, strict=True) if reason is None]
        if not usable:
            raise LotNotUsable(f"Refused: {next(r for r in reasons if r)}.")
        if len(usable) > 1:
            names = ", ".join(f"{lot.ingredient_name} ({lot.supplier})" for lot in usable)
            raise DuplicateRecord(
                f"Lot number {lot_number.strip()} belongs to several ingredients ({names}): "
                "pick the lot from the list instead."
            )
        return usable[0]

    def _component_expiries(self, batch_id: int) -> list[ComponentExpiry]:
        rows = self._conn.execute(
            "SELECT i.name, l.lot_number, l.expiry FROM batch_components c "
            "JOIN lots l ON l.id = c.lot_id JOIN ingredients i ON i.id = l.ingredient_id "
            "WHERE c.batch_id = ? AND c.removed = 0",
            (batch_id,),
        ).fetchall()
        return [ComponentExpiry(r[0], r[1], date.fromisoformat(r[2])) for r in rows]

    def _bud(
        self, formula: MasterFormulation, day: date, expiries: tuple[ComponentExpiry, ...]
    ) -> BeyondUseDate:
        stability = None
        if formula.stability_days is not None:
            stability = StabilityReference(
                formula.stability_days, formula.stability_reference, formula.storage
            )
        try:
            return beyond_use_date(
                PreparationType(formula.preparation_type), day, expiries, stability
            )
        except InputRefused as refused:
            raise LotNotUsable(f"Refused: {refused.message}.") from refused

    def _set_bud(self, batch: Batch, expiries: list[ComponentExpiry], actor: User) -> None:
        bud = self._bud(self.formula(batch.formula_id), batch.compounded_on, tuple(expiries))
        changes = {"bud": bud.bud.isoformat(), "bud_basis": _basis(bud), "storage": bud.storage}
        if (bud.bud, changes["bud_basis"]) != (batch.bud, batch.bud_basis):
            self._update("batches", batch.id, changes, actor, "BUD recalculated")

    def _next_lot_number(self, day: date) -> str:
        prefix = day.strftime("%y%m%d") + "-"
        row = self._conn.execute(
            "SELECT max(CAST(substr(lot_number, 8) AS INTEGER)) FROM batches "
            "WHERE lot_number >= ? AND lot_number < ?",
            (prefix, day.strftime("%y%m%d") + "."),
        ).fetchone()
        return f"{prefix}{(row[0] or 0) + 1:04d}"

    def _sign(self, batch_id: int, actor: User, meaning: SignatureMeaning) -> None:
        self._insert(
            "signatures",
            {
                "batch_id": batch_id,
                "user_id": actor.id,
                "printed_name": actor.full_name,
                "meaning": meaning.value,
                "signed_at": iso(self._now()),
                "record_hash": self._record_hash(batch_id),
            },
            actor,
        )


def _weighing_words(component: BatchComponent) -> str:
    if component.intermediate:
        return component.what
    return f"lot {component.lot_number}" + (f" ({component.what})" if component.what else "")


def _expiry(lot: IngredientLot) -> ComponentExpiry:
    return ComponentExpiry(lot.ingredient_name, lot.lot_number, lot.expiry)


def _basis(bud: BeyondUseDate) -> str:
    if bud.limited_by is None:
        return bud.basis
    return (
        f"{bud.basis}; limited by {bud.limited_by.name} lot {bud.limited_by.lot} "
        f"(expires {bud.limited_by.expiry.isoformat()})"
    )
