"""Patients and their prescriptions."""

from __future__ import annotations

from datetime import date
from typing import Any

from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS, CalculationSettings
from ldn_desktop.core.safety import read_dose, read_titration_doses
from ldn_desktop.store.base import parse_date, text_field
from ldn_desktop.store.errors import InvalidField, NotFound
from ldn_desktop.store.records import Patient, Prescription, User
from ldn_desktop.store.schema import patient_key
from ldn_desktop.store.users import UsersMixin

_RX_COLUMNS = (
    "r.id, r.patient_id, p.name, r.rx_number, r.prescriber, r.dose, r.titration, r.directions, "
    "r.quantity, r.days_supply, r.written_on, r.first_filled_on, r.first_fill_batch_id"
)
_RX_FROM = "FROM prescriptions r JOIN patients p ON p.id = r.patient_id"


def _patient(row: tuple[Any, ...]) -> Patient:
    return Patient(int(row[0]), row[1], parse_date(row[2]), row[3], row[4])


def _prescription(row: tuple[Any, ...]) -> Prescription:
    return Prescription(
        id=int(row[0]),
        patient_id=int(row[1]),
        patient_name=row[2],
        rx_number=row[3],
        prescriber=row[4],
        dose=row[5],
        titration=row[6],
        directions=row[7],
        quantity=row[8],
        days_supply=row[9],
        written_on=parse_date(row[10]),
        first_filled_on=parse_date(row[11]),
        first_fill_batch_id=None if row[12] is None else int(row[12]),
    )


def _check_doses(dose: str, titration: str, settings: CalculationSettings) -> None:
    """Refuse a dose the core cannot read exactly ('4.5' with no unit) or would refuse.

    The text is kept as the prescriber wrote it; the core only reads it.
    """
    try:
        read_dose(dose, "dose", settings)
        read_titration_doses(titration, "titration", settings)
    except InputRefused as refused:
        raise InvalidField(refused.field, refused.message) from refused


class PatientsMixin(UsersMixin):
    def add_patient(
        self,
        name: str,
        date_of_birth: date | None,
        *,
        address: str = "",
        phone: str = "",
        by: User,
    ) -> Patient:
        values = self._patient_values(name, date_of_birth, address, phone)
        with self._write():
            actor = self._actor(by, "patients")
            patient_id = self._insert("patients", values, actor)
        return self.patient(patient_id)

    def correct_patient(self, patient: Patient, *, reason: str, by: User) -> Patient:
        """Save corrected details (`dataclasses.replace` of the record) with the reason.

        The audit trail keeps the old and new values and the reason; batches already made
        keep the name they were labelled with.
        """
        why = text_field("reason", reason, label="reason for the correction", max_length=500)
        checked = self._patient_values(
            patient.name, patient.date_of_birth, patient.address, patient.phone
        )
        with self._write():
            actor = self._actor(by, "patients")
            self.patient(patient.id)
            self._update("patients", patient.id, checked, actor, f"corrected: {why}")
        return self.patient(patient.id)

    def patient(self, patient_id: int) -> Patient:
        row = self._conn.execute(
            "SELECT id, name, date_of_birth, address, phone FROM patients WHERE id = ?",
            (patient_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no patient {patient_id}.")
        return _patient(row)

    def _patient_values(
        self, name: str, date_of_birth: date | None, address: str, phone: str
    ) -> dict[str, Any]:
        if date_of_birth is not None and (
            not isinstance(date_of_birth, date) or date_of_birth > self._today()
        ):
            raise InvalidField("date_of_birth", "must be a date, not in the future")
        return {
            "name": text_field("name", name, label="patient name", max_length=200),
            "date_of_birth": None if date_of_birth is None else date_of_birth.isoformat(),
            "address": text_field("address", address, required=False, max_length=500),
            "phone": text_field("phone", phone, required=False, max_length=50),
        }

    def find_patients(self, text: str, *, limit: int = 50) -> tuple[Patient, ...]:
        needle = patient_key(text)
        rows = self._conn.execute(
            "SELECT id, name, date_of_birth, address, phone FROM patients "
            "ORDER BY name COLLATE NOCASE, id"
        )
        found: list[Patient] = []
        for row in rows:
            name = patient_key(str(row[1]))
            if name.startswith(needle) or any(w.startswith(needle) for w in name.split()):
                found.append(_patient(row))
                if len(found) >= limit:
                    break
        return tuple(found)

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
        """Save a prescription as written.

        `directions` are the prescriber's own words, kept verbatim; empty means the app
        writes them from the prescription when it prints (for a titration, the phase
        current on the date filled), so a saved text never goes stale on a refill.
        """
        if days_supply is not None and (
            not isinstance(days_supply, int) or not 1 <= days_supply <= 366
        ):
            raise InvalidField(
                "days_supply", "must be a whole number of days from 1 to 366", "days' supply"
            )
        dose_text = text_field("dose", dose, max_length=200)
        titration_text = text_field("titration", titration, required=False)
        _check_doses(dose_text, titration_text, self._dose_settings())
        values = {
            "patient_id": patient_id,
            "rx_number": text_field(
                "rx_number", rx_number.strip(), label="Rx number", max_length=50
            ),
            "prescriber": text_field("prescriber", prescriber, max_length=200),
            "dose": dose_text,
            "titration": titration_text,
            "directions": text_field("directions", directions, required=False, max_length=2000),
            "quantity": text_field("quantity", quantity, required=False, max_length=200),
            "days_supply": days_supply,
            "written_on": None if written_on is None else written_on.isoformat(),
        }
        with self._write():
            actor = self._actor(by, "patients")
            self.patient(patient_id)
            rx_id = self._insert("prescriptions", values, actor)
        return self.prescription(rx_id)

    def correct_first_fill(
        self, prescription_id: int, first_filled_on: date, *, reason: str, by: User
    ) -> Prescription:
        """Correct day 1 of a prescription (pharmacists), with the reason for the audit trail.

        The only way the first fill moves once recorded (say the patient started from an
        earlier supply filled elsewhere). The correction belongs to no batch, so rejecting a
        batch later does not undo it.
        """
        why = text_field("reason", reason, label="reason for the correction", max_length=500)
        if not isinstance(first_filled_on, date) or first_filled_on > self._today():
            raise InvalidField("first_filled_on", "must be a date, not in the future", "first fill")
        with self._write():
            actor = self._actor(by, "dispense")
            rx = self.prescription(prescription_id)
            if rx.written_on is not None and first_filled_on < rx.written_on:
                raise InvalidField(
                    "first_filled_on",
                    f"cannot be before the prescription was written ({rx.written_on.isoformat()})",
                    "first fill",
                )
            self._update(
                "prescriptions",
                prescription_id,
                {"first_filled_on": first_filled_on.isoformat(), "first_fill_batch_id": None},
                actor,
                f"first fill corrected: {why}",
            )
        return self.prescription(prescription_id)

    def _dose_settings(self) -> CalculationSettings:
        """The pharmacy's saved dose limits (the core's defaults if none or unreadable)."""
        saved = self.calculation_settings()
        try:
            return DEFAULT_SETTINGS if saved is None else CalculationSettings.from_dict(saved)
        except (InputRefused, TypeError, ValueError):
            return DEFAULT_SETTINGS

    def prescription(self, prescription_id: int) -> Prescription:
        row = self._conn.execute(
            f"SELECT {_RX_COLUMNS} {_RX_FROM} WHERE r.id = ?", (prescription_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no prescription {prescription_id}.")
        return _prescription(row)

    def prescriptions_for(self, patient_id: int) -> tuple[Prescription, ...]:
        rows = self._conn.execute(
            f"SELECT {_RX_COLUMNS} {_RX_FROM} WHERE r.patient_id = ? ORDER BY r.id DESC",
            (patient_id,),
        ).fetchall()
        return tuple(_prescription(r) for r in rows)

    def prescriptions_by_rx(self, rx_number: str) -> tuple[Prescription, ...]:
        rows = self._conn.execute(
            f"SELECT {_RX_COLUMNS} {_RX_FROM} WHERE r.rx_number = ? ORDER BY r.id DESC",
            (rx_number.strip(),),
        ).fetchall()
        return tuple(_prescription(r) for r in rows)
