"""Who may sign or do what. Pure rules; the store enforces them on every write.

The verification of a compounded preparation is done by a pharmacist who did not compound it
(USP <795> §§ 4–5 expect a check of the finished preparation; a second person's check only
counts if it is a different person). Administrators manage the system, not preparations.
"""

from __future__ import annotations

TECHNICIAN = "technician"
PHARMACIST = "pharmacist"
ADMINISTRATOR = "administrator"
ROLES = (TECHNICIAN, PHARMACIST, ADMINISTRATOR)

#: action → the roles allowed to do it.
PERMISSIONS: dict[str, frozenset[str]] = {
    "prepare": frozenset({TECHNICIAN, PHARMACIST}),  # drafts, components, checks, signing
    "verify": frozenset({PHARMACIST}),
    "dispense": frozenset({PHARMACIST}),
    "reject": frozenset({PHARMACIST}),
    "receive-lot": frozenset({TECHNICIAN, PHARMACIST}),
    "release-lot": frozenset({PHARMACIST}),
    "recall-lot": frozenset({PHARMACIST, ADMINISTRATOR}),
    "edit-formula": frozenset({PHARMACIST}),
    "patients": frozenset({TECHNICIAN, PHARMACIST}),
    "calculation-settings": frozenset({PHARMACIST, ADMINISTRATOR}),
    "pharmacy-settings": frozenset({PHARMACIST, ADMINISTRATOR}),
    "users": frozenset({ADMINISTRATOR}),
}

ACTION_WORDS = {
    "prepare": "prepare batches",
    "verify": "verify batches",
    "dispense": "dispense batches",
    "reject": "reject batches",
    "receive-lot": "receive ingredient lots",
    "release-lot": "release ingredient lots",
    "recall-lot": "recall or quarantine ingredient lots",
    "edit-formula": "change master formulation records",
    "patients": "record patients and prescriptions",
    "calculation-settings": "change the calculation settings",
    "pharmacy-settings": "change the pharmacy's settings",
    "users": "manage users",
}


def _a(role: str) -> str:
    return f"an {role}" if role[:1] in "aeiou" else f"a {role}"


def action_refusal(role: str, action: str) -> str | None:
    """None if `role` may do `action`, else the reason."""
    if role in PERMISSIONS[action]:
        return None
    return f"{_a(role)} may not {ACTION_WORDS[action]}"


def verification_refusal(verifier_role: str, verifier_id: int, compounder_id: int) -> str | None:
    """None if this person may verify a batch compounded by `compounder_id`, else the reason."""
    if verifier_role != PHARMACIST:
        return f"only a pharmacist may verify a batch (you are signed in as {_a(verifier_role)})"
    if verifier_id == compounder_id:
        return "the verifying pharmacist must be someone other than the person who compounded it"
    return None
