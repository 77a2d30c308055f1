"""May this ingredient lot go into a preparation today? One rule, used on every write."""

from __future__ import annotations

from datetime import date

USABLE_STATUS = "released"


def lot_refusal(lot_number: str, status: str, expiry: date, on: date) -> str | None:
    """None when the lot may be used on `on`; otherwise the reason, in a pharmacist's words.

    A lot is usable only once released (certificate checked) and not past its expiry date
    (usable up to and including that day, as the core's BUD rule assumes).
    """
    if status == "recalled":
        return f"lot {lot_number} has been recalled: it must not be used"
    if status == "quarantined":
        return f"lot {lot_number} is in quarantine: a pharmacist must release it first"
    if status == "expired" or expiry < on:
        return f"lot {lot_number} expired on {expiry.isoformat()}: it must not be used"
    if status != USABLE_STATUS:
        return f"lot {lot_number} has the unknown status {status!r}: it must not be used"
    return None


def expires_within(expiry: date, today: date, days: int) -> bool:
    """True when the lot expires within `days` days of `today` (or has already expired)."""
    return (expiry - today).days <= days
