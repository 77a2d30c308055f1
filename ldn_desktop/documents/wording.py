"""Words every document shares: the drug line, quantities, dates, directions, warnings.

Numbers become text only through ldn_desktop.core.dose_text; directions come from
ldn_desktop.core.directions unless the prescriber wrote them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ldn_desktop.core.directions import (
    DoseMeasure,
    directions,
    dose_measure,
    titration_directions,
)
from ldn_desktop.core.dose_text import count_text, dose_text, strength_text, volume_text
from ldn_desktop.core.quantities import Strength
from ldn_desktop.documents.data import Form, Prescription, RecordSheetData

DRUG = "Naltrexone HCl"
FORM_WORDS = {
    Form.CAPSULE: "capsules",
    Form.ORAL_LIQUID: "oral liquid",
    Form.CREAM: "cream",
}
COMPOUNDED = "Compounded medication"

# Auxiliary warnings (DOMAIN.md precautions; seeds 000-003).
WARN_OPIOIDS = "Do not take with opioid pain medicines."
WARN_CARD = "Carry your LDN card."
WARN_SHAKE = "Shake well."
WARN_FRIDGE = "Keep refrigerated."
WARN_EXTERNAL = "For use on the skin only."


# Not strftime('%b'): it follows the process locale, which QApplication sets from the
# desktop on Unix, so a French desktop would print "nov." on an English label.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(day: date) -> str:
    """'20 Nov 2026': the month in words, so 03/04 cannot be read two ways."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def time_text(moment: datetime) -> str:
    """'09:05': the 24-hour clock, no locale involved."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def drug_line(
    form: Form, dose_mg: Decimal, strength: Strength | None, capsule_mg: Decimal | None = None
) -> str:
    """'Naltrexone HCl 4.5 mg capsules', 'Naltrexone HCl 1 mg/mL oral liquid'."""
    if form is Form.CAPSULE or strength is None:
        content = dose_mg if capsule_mg is None else capsule_mg
        return f"{DRUG} {dose_text(content)} {FORM_WORDS[form]}"
    return f"{DRUG} {strength_text(strength.mg, strength.per)} {FORM_WORDS[form]}"


def prescription_drug_line(p: Prescription) -> str:
    return drug_line(p.form, p.dose_mg, p.strength, p.capsule_mg)


def record_drug_line(r: RecordSheetData) -> str:
    return drug_line(r.form, r.dose_mg, r.strength)


def quantity_text(form: Form, amount: Decimal) -> str:
    if form is Form.CAPSULE:
        return count_text(amount, "capsule")
    return volume_text(amount)


def measure_for(p: Prescription, dose_mg: Decimal, field: str = "dose") -> DoseMeasure:
    return dose_measure(
        p.form,
        dose_mg,
        strength=p.strength,
        capsule_mg=p.capsule_mg,
        click_volume_ml=p.click_volume_ml,
        field=field,
    )


def label_directions(p: Prescription) -> str:
    """The prescriber's directions if given; else generated, with the current phase."""
    if p.directions:
        return p.directions
    if p.titration:
        day = (p.date_filled - p.start_date).days + 1
        return titration_directions(p.titration, day, lambda mg: measure_for(p, mg))
    return directions(measure_for(p, p.dose_mg))


def auxiliary_warnings(form: Form, storage: str) -> tuple[str, ...]:
    """Opioids and the card always; shake well for liquids; the fridge when stored cold."""
    warnings = [WARN_OPIOIDS, WARN_CARD]
    if form is Form.ORAL_LIQUID:
        warnings.append(WARN_SHAKE)
    if form is Form.CREAM:
        warnings.append(WARN_EXTERNAL)
    if "refrigerat" in storage.lower() and "room temperature" not in storage.lower():
        warnings.append(WARN_FRIDGE)
    return tuple(warnings)
