"""What each printed document needs, as plain frozen data, and reading it from JSON.

The window builds these from the store's records; the command line reads them from a
JSON file (format: docs/printing.md, schema: resources/schema/document-data.schema.json).
Every value on paper comes from here: a layout may be chosen, never the data (a 2022
Class I recall came from user-edited label templates).

Doses are Decimal mg of naltrexone HCl; quantities are capsules (a count) or mL.
Bad input raises `InputRefused` naming the field by its JSON path ("patient.name",
"titration[1].dose").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ldn_desktop.core.directions import DosageForm, DosePhase
from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.quantities import Strength, parse_mass_mg, parse_strength, parse_volume_ml

# Topi-CLICK is designed to deliver 0.25 mL a click; measured deliveries vary with the base,
# so the pharmacy's calibrated figure (10 clicks weighed) replaces it. [DOMAIN.md, cream] [check]
DEFAULT_CLICK_VOLUME_ML = Decimal("0.25")
# Stop LDN before planned surgery that may need opioids: 2 to 3 days. [seeds 001/003] [check]
DEFAULT_SURGERY_STOP_DAYS = (2, 3)


#: The dosage forms a document knows (the core's, re-exported under the documents' name).
Form = DosageForm
#: One titration step; days from the start date, day 1 = start date, both ends included.
TitrationPhase = DosePhase


class Paper(StrEnum):
    LETTER = "letter"
    A4 = "a4"


@dataclass(frozen=True)
class Patient:
    name: str
    dob: date


@dataclass(frozen=True)
class Prescriber:
    name: str
    phone: str = ""


@dataclass(frozen=True)
class Pharmacy:
    name: str
    address: str
    phone: str


@dataclass(frozen=True)
class Prescription:
    """One dispensed LDN prescription: what a label, a leaflet and a wallet card print.

    `dose_mg` is the dose (the target dose when there is a titration). `strength` is the
    concentration of a liquid or cream; `capsule_mg` the content of one capsule (defaults
    to the dose). `quantity` is capsules for capsules, mL for liquids and creams.
    """

    patient: Patient
    prescriber: Prescriber
    rx_number: str
    form: Form
    dose_mg: Decimal
    quantity: Decimal
    lot: str
    bud: date
    storage: str
    start_date: date
    pharmacy: Pharmacy
    verified: bool
    strength: Strength | None = None
    capsule_mg: Decimal | None = None
    directions: str | None = None
    titration: tuple[TitrationPhase, ...] = ()
    dispensed: date | None = None  # the label's date; the start date when not given
    click_volume_ml: Decimal = DEFAULT_CLICK_VOLUME_ML

    @property
    def date_filled(self) -> date:
        return self.dispensed or self.start_date

    def phase_dates(self, phase: TitrationPhase) -> tuple[date, date]:
        """Calendar dates of a phase: start date + day − 1."""
        return (
            self.start_date + timedelta(days=phase.from_day - 1),
            self.start_date + timedelta(days=phase.to_day - 1),
        )


#: A label prints one dispensed prescription.
LabelData = Prescription
#: A wallet card prints the patient, the dose, the prescriber and the pharmacy.
IdCardData = Prescription


@dataclass(frozen=True)
class LeafletData:
    prescription: Prescription
    paper: Paper = Paper.LETTER
    surgery_stop_days: tuple[int, int] = DEFAULT_SURGERY_STOP_DAYS


@dataclass(frozen=True)
class RecordComponent:
    name: str
    lot: str
    expiry: date
    weighed_mg: Decimal
    supplier: str = ""


@dataclass(frozen=True)
class QualityCheck:
    check: str
    expected: str
    result: str
    passed: bool


@dataclass(frozen=True)
class Signature:
    who: str
    meaning: str  # "compounded", "verified", ...
    at: datetime


@dataclass(frozen=True)
class RecordSheetData:
    """One batch's compounding record, printable for the binder and inspectors.

    `steps` and `trituration` are the calculation's worked steps as the core wrote them.
    `units_made` is capsules for capsules, mL otherwise.
    """

    formula_name: str
    formula_version: str
    form: Form
    dose_mg: Decimal
    lot: str
    compounded: date
    bud: date
    storage: str
    units_made: Decimal
    pharmacy: Pharmacy
    verified: bool
    strength: Strength | None = None
    bud_basis: str = ""
    steps: tuple[str, ...] = ()
    components: tuple[RecordComponent, ...] = ()
    trituration: tuple[str, ...] = ()
    quality_checks: tuple[QualityCheck, ...] = ()
    signatures: tuple[Signature, ...] = ()
    deviations: tuple[str, ...] = field(default=())
    # The balance the batch was weighed on (readability, mg): weights are shown to its places.
    balance_readability_mg: Decimal = Decimal("0.1")


# ---------------------------------------------------------------- reading JSON


def _get(obj: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> Any:
    if not isinstance(obj, Mapping):
        raise InputRefused(path or "data", "must be a JSON object")
    where = f"{path}.{key}" if path else key
    if key not in obj or obj[key] is None:
        if required:
            raise InputRefused(where, "is missing")
        return None
    return obj[key]


def _where(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _text(obj: Mapping[str, Any], key: str, path: str = "", *, required: bool = True) -> str:
    value = _get(obj, key, path, required=required)
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise InputRefused(_where(path, key), "must be non-empty text")
    if any(ch in value for ch in "\x00\r"):
        raise InputRefused(_where(path, key), "contains a control character")
    return value.strip()


def _date(obj: Mapping[str, Any], key: str, path: str = "", *, required: bool = True) -> Any:
    value = _get(obj, key, path, required=required)
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InputRefused(_where(path, key), f"{value!r} is not a date (YYYY-MM-DD)") from None


def _bool(obj: Mapping[str, Any], key: str, path: str = "") -> bool:
    value = _get(obj, key, path)
    if not isinstance(value, bool):
        raise InputRefused(_where(path, key), "must be true or false")
    return value


def _dose(obj: Mapping[str, Any], key: str, path: str = "") -> Decimal:
    where = _where(path, key)
    mg = parse_mass_mg(_get(obj, key, path), where)
    if mg <= 0:
        raise InputRefused(where, "must be more than zero")
    # LDN is 0.001 to 4.5 mg a day; anything near 50 mg is the addiction dose or a typo.
    if mg > 50:
        raise InputRefused(where, "is above 50 mg: not a low-dose naltrexone dose")
    return mg


def _positive_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputRefused(where, "must be a whole number of 1 or more")
    return value


def _list(obj: Mapping[str, Any], key: str, path: str = "") -> list[Any]:
    value = _get(obj, key, path, required=False)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputRefused(_where(path, key), "must be a list")
    return value


def _strings(obj: Mapping[str, Any], key: str) -> tuple[str, ...]:
    items = _list(obj, key)
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise InputRefused(f"{key}[{i}]", "must be non-empty text")
    return tuple(item.strip() for item in items)


def _quantity(obj: Mapping[str, Any], key: str, form: Form) -> Decimal:
    value = _get(obj, key, "")
    if form is Form.CAPSULE:
        return Decimal(_positive_int(value, key))
    ml = parse_volume_ml(value, key)
    if ml <= 0:
        raise InputRefused(key, "must be more than zero")
    return ml


def _form(obj: Mapping[str, Any]) -> Form:
    value = _get(obj, "form", "")
    try:
        return Form(value)
    except ValueError:
        raise InputRefused("form", f"{value!r} is not capsule, oral-liquid or cream") from None


def _strength(obj: Mapping[str, Any], form: Form) -> Strength | None:
    if form is Form.CAPSULE:
        return None
    strength = parse_strength(_get(obj, "strength", ""), "strength")
    if strength.mg <= 0:
        raise InputRefused("strength", "must be more than zero")
    if form is Form.ORAL_LIQUID and strength.per != "mL":
        raise InputRefused("strength", "an oral liquid's strength is per mL")
    return strength


def _pharmacy(obj: Mapping[str, Any]) -> Pharmacy:
    raw = _get(obj, "pharmacy", "")
    return Pharmacy(
        name=_text(raw, "name", "pharmacy"),
        address=_text(raw, "address", "pharmacy"),
        phone=_text(raw, "phone", "pharmacy"),
    )


def _prescriber(obj: Mapping[str, Any]) -> Prescriber:
    raw = _get(obj, "prescriber", "")
    if isinstance(raw, str):
        return Prescriber(_text(obj, "prescriber"))
    return Prescriber(
        name=_text(raw, "name", "prescriber"),
        phone=_text(raw, "phone", "prescriber", required=False),
    )


def _titration(obj: Mapping[str, Any]) -> tuple[TitrationPhase, ...]:
    phases: list[TitrationPhase] = []
    for i, raw in enumerate(_list(obj, "titration")):
        path = f"titration[{i}]"
        start = _positive_int(_get(raw, "from_day", path), f"{path}.from_day")
        end = _positive_int(_get(raw, "to_day", path), f"{path}.to_day")
        if end < start:
            raise InputRefused(f"{path}.to_day", "comes before from_day")
        expected = phases[-1].to_day + 1 if phases else 1
        if start != expected:
            raise InputRefused(f"{path}.from_day", f"must be day {expected} (no gaps, no overlap)")
        phases.append(TitrationPhase(start, end, _dose(raw, "dose", path)))
    return tuple(phases)


def prescription_from_json(obj: Any) -> Prescription:
    """A prescription from its JSON object (docs/printing.md), refusing bad fields."""
    form = _form(obj)
    patient = _get(obj, "patient", "")
    capsule_mg = None
    if form is Form.CAPSULE and _get(obj, "strength", "", required=False) is not None:
        capsule_mg = _dose(obj, "strength")
    click_volume = DEFAULT_CLICK_VOLUME_ML
    if form is Form.CREAM and _get(obj, "click_volume", "", required=False) is not None:
        click_volume = parse_volume_ml(obj["click_volume"], "click_volume")
        if click_volume <= 0:
            raise InputRefused("click_volume", "must be more than zero")
    start_date = _date(obj, "start_date")
    bud = _date(obj, "bud")
    dispensed = _date(obj, "dispensed", required=False)
    if bud < (dispensed or start_date):
        raise InputRefused("bud", "is before the date the prescription is filled")
    return Prescription(
        patient=Patient(_text(patient, "name", "patient"), _date(patient, "dob", "patient")),
        prescriber=_prescriber(obj),
        rx_number=_text(obj, "rx_number"),
        form=form,
        dose_mg=_dose(obj, "dose"),
        quantity=_quantity(obj, "quantity", form),
        lot=_text(obj, "lot"),
        bud=bud,
        storage=_text(obj, "storage"),
        start_date=start_date,
        pharmacy=_pharmacy(obj),
        verified=_bool(obj, "verified"),
        strength=_strength(obj, form),
        capsule_mg=capsule_mg,
        directions=_text(obj, "directions", required=False) or None,
        titration=_titration(obj),
        dispensed=dispensed,
        click_volume_ml=click_volume,
    )


def prescriptions_from_json(obj: Any) -> tuple[Prescription, ...]:
    """One prescription object, or {"labels": [...]} for many labels in one go."""
    if isinstance(obj, Mapping) and "labels" in obj:
        items = obj["labels"]
        if not isinstance(items, list) or not items:
            raise InputRefused("labels", "must be a non-empty list")
        out = []
        for i, item in enumerate(items):
            try:
                out.append(prescription_from_json(item))
            except InputRefused as refused:
                raise InputRefused(f"labels[{i}].{refused.field}", refused.message) from None
        return tuple(out)
    return (prescription_from_json(obj),)


def leaflet_from_json(obj: Any) -> LeafletData:
    prescription = prescription_from_json(obj)
    paper_raw = _get(obj, "paper", "", required=False) or "letter"
    try:
        paper = Paper(paper_raw)
    except ValueError:
        raise InputRefused("paper", f"{paper_raw!r} is not letter or a4") from None
    stop = _get(obj, "surgery_stop_days", "", required=False)
    days = DEFAULT_SURGERY_STOP_DAYS
    if stop is not None:
        if not isinstance(stop, list) or len(stop) != 2:
            raise InputRefused("surgery_stop_days", "must be [fewest, most] days")
        low = _positive_int(stop[0], "surgery_stop_days[0]")
        high = _positive_int(stop[1], "surgery_stop_days[1]")
        if high < low:
            raise InputRefused("surgery_stop_days", "the most days is below the fewest")
        days = (low, high)
    return LeafletData(prescription, paper, days)


def _datetime(value: Any, where: str) -> datetime:
    try:
        if not isinstance(value, str):
            raise ValueError
        return datetime.fromisoformat(value)
    except ValueError:
        raise InputRefused(where, f"{value!r} is not a time (YYYY-MM-DDTHH:MM)") from None


def _balance(obj: Mapping[str, Any]) -> Decimal:
    """The optional `balance` readability ("0.01mg"); one place (0.1 mg) when not given."""
    raw = _get(obj, "balance", "", required=False)
    if raw is None:
        return Decimal("0.1")
    readability = parse_mass_mg(str(raw), "balance")
    if not readability > 0:
        raise InputRefused("balance", "must be more than zero")
    return readability


def record_from_json(obj: Any) -> RecordSheetData:
    """A compounding record sheet from its JSON object (docs/printing.md)."""
    form = _form(obj)
    formula = _get(obj, "formula", "")
    components = []
    for i, raw in enumerate(_list(obj, "components")):
        path = f"components[{i}]"
        weighed = parse_mass_mg(_get(raw, "weight", path), f"{path}.weight")
        if weighed <= 0:
            raise InputRefused(f"{path}.weight", "must be more than zero")
        components.append(
            RecordComponent(
                name=_text(raw, "name", path),
                lot=_text(raw, "lot", path),
                expiry=_date(raw, "expiry", path),
                weighed_mg=weighed,
                supplier=_text(raw, "supplier", path, required=False),
            )
        )
    checks = []
    for i, raw in enumerate(_list(obj, "quality_checks")):
        path = f"quality_checks[{i}]"
        checks.append(
            QualityCheck(
                check=_text(raw, "check", path),
                expected=_text(raw, "expected", path),
                result=_text(raw, "result", path),
                passed=_bool(raw, "passed", path),
            )
        )
    signatures = []
    for i, raw in enumerate(_list(obj, "signatures")):
        path = f"signatures[{i}]"
        signatures.append(
            Signature(
                who=_text(raw, "who", path),
                meaning=_text(raw, "meaning", path),
                at=_datetime(_get(raw, "time", path), f"{path}.time"),
            )
        )
    return RecordSheetData(
        formula_name=_text(formula, "name", "formula"),
        formula_version=str(_get(formula, "version", "formula")),
        form=form,
        dose_mg=_dose(obj, "dose"),
        lot=_text(obj, "lot"),
        compounded=_date(obj, "compounded"),
        bud=_date(obj, "bud"),
        storage=_text(obj, "storage"),
        units_made=_quantity(obj, "units_made", form),
        pharmacy=_pharmacy(obj),
        verified=_bool(obj, "verified"),
        strength=_strength(obj, form),
        bud_basis=_text(obj, "bud_basis", required=False),
        steps=_strings(obj, "steps"),
        components=tuple(components),
        trituration=_strings(obj, "trituration"),
        quality_checks=tuple(checks),
        signatures=tuple(signatures),
        deviations=_strings(obj, "deviations"),
        balance_readability_mg=_balance(obj),
    )
