"""Beyond-use dates by USP <795> (official 1 November 2023), with no stability data.

USP <795> Table 4 ("BUDs for CNSPs in the absence of a USP–NF monograph or stability
data"): the BUD depends on water activity and preservation, and a BUD never goes past
the earliest expiry date of any component used. A longer BUD is allowed only with
preparation-specific stability data, which is recorded with its reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from ldn_desktop.core.findings import Finding, InputRefused, Severity


class PreparationType(StrEnum):
    """The USP <795> categories that decide a BUD."""

    CAPSULE = "capsule"  # other nonaqueous: capsules, powders, anhydrous topicals
    NONAQUEOUS_LIQUID = "nonaqueous-liquid"
    PRESERVED_AQUEOUS = "preserved-aqueous"  # creams, gels, preserved liquids
    UNPRESERVED_AQUEOUS = "unpreserved-aqueous"  # plain LDN liquid


@dataclass(frozen=True)
class BudRule:
    days: int
    storage: str
    description: str


# USP <795> (2023), Table 4. Storage wording is what goes on the label.
USP_795_BUD: dict[PreparationType, BudRule] = {
    PreparationType.UNPRESERVED_AQUEOUS: BudRule(
        14, "Store in a refrigerator, 2 °C to 8 °C", "aqueous, unpreserved (aw ≥ 0.6)"
    ),
    PreparationType.PRESERVED_AQUEOUS: BudRule(
        35,
        "Store at room temperature (20 °C to 25 °C) or in a refrigerator",
        "aqueous, preserved (aw ≥ 0.6)",
    ),
    PreparationType.NONAQUEOUS_LIQUID: BudRule(
        90,
        "Store at room temperature (20 °C to 25 °C) or in a refrigerator",
        "nonaqueous oral liquid (aw < 0.6)",
    ),
    PreparationType.CAPSULE: BudRule(
        180,
        "Store at room temperature (20 °C to 25 °C), dry, or in a refrigerator",
        "other nonaqueous: capsules, powders, anhydrous topicals (aw < 0.6)",
    ),
}


@dataclass(frozen=True)
class ComponentExpiry:
    """One ingredient lot's expiry, so a BUD can say which lot limited it."""

    name: str
    lot: str
    expiry: date

    @property
    def words(self) -> str:
        """'MCC lot L5', or just the name when no lot was recorded."""
        return f"{self.name} lot {self.lot}" if self.lot.strip() else self.name


@dataclass(frozen=True)
class StabilityReference:
    """Preparation-specific stability data that allows a BUD longer than USP <795>'s."""

    days: int
    reference: str
    storage: str


@dataclass(frozen=True)
class BeyondUseDate:
    bud: date
    days: int
    storage: str
    basis: str
    limited_by: ComponentExpiry | None
    steps: tuple[str, ...]
    findings: tuple[Finding, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "bud": self.bud.isoformat(),
            "days": self.days,
            "storage": self.storage,
            "basis": self.basis,
            "limited_by": None
            if self.limited_by is None
            else {
                "name": self.limited_by.name,
                "lot": self.limited_by.lot,
                "expiry": self.limited_by.expiry.isoformat(),
            },
            "steps": list(self.steps),
            "findings": [f.to_dict() for f in self.findings],
        }


def beyond_use_date(
    preparation: PreparationType,
    compounded: date,
    components: Sequence[ComponentExpiry] = (),
    stability: StabilityReference | None = None,
) -> BeyondUseDate:
    """The BUD for a preparation compounded on `compounded`.

    The USP <795> category gives the days; a stability reference may give more (it must
    name its source). The result is then capped at the earliest component expiry, and the
    component that capped it is named. A component already expired on the day of
    compounding is refused: it cannot be used at all.
    """
    rule = USP_795_BUD[PreparationType(preparation)]
    steps: list[str] = []
    findings: list[Finding] = []
    days = rule.days
    storage = rule.storage
    basis = f"USP <795>: {rule.description}, {rule.days} days"
    steps.append(f"USP <795> category: {rule.description} → {rule.days} days.")
    if stability is not None:
        if not stability.reference.strip():
            raise InputRefused("stability", "a stability BUD needs its reference recorded")
        if stability.days <= 0 or stability.days > 3650:
            raise InputRefused("stability", f"{stability.days} days is not a plausible BUD")
        days = stability.days
        storage = stability.storage or rule.storage
        basis = f"Stability data: {stability.reference.strip()}, {stability.days} days"
        steps.append(f"Stability data ({stability.reference.strip()}) → {stability.days} days.")
        if stability.days > rule.days:
            findings.append(
                Finding(
                    "bud-extended-by-stability-data",
                    Severity.INFO,
                    f"BUD longer than USP <795>'s {rule.days} days, on the strength of "
                    f"{stability.reference.strip()}.",
                    "stability",
                )
            )
    bud = compounded + timedelta(days=days)
    steps.append(f"Compounded {compounded.isoformat()} + {days} days = {bud.isoformat()}.")
    limited_by: ComponentExpiry | None = None
    for component in components:
        if component.expiry < compounded:
            raise InputRefused(
                "component_expiry",
                f"{component.words} expired on "
                f"{component.expiry.isoformat()}, before the compounding date",
            )
    if components:
        earliest = min(components, key=lambda c: (c.expiry, c.name, c.lot))
        if earliest.expiry < bud:
            limited_by = earliest
            bud = earliest.expiry
            steps.append(
                f"Earliest component expiry: {earliest.words}, "
                f"{earliest.expiry.isoformat()} → BUD {bud.isoformat()}."
            )
            findings.append(
                Finding(
                    "bud-limited-by-component",
                    Severity.WARNING,
                    f"BUD shortened to {bud.isoformat()} by {earliest.words} "
                    f"(expires {earliest.expiry.isoformat()}).",
                    "component_expiry",
                )
            )
        else:
            steps.append("No component expires before that date.")
    return BeyondUseDate(
        bud=bud,
        days=(bud - compounded).days,
        storage=storage,
        basis=basis,
        limited_by=limited_by,
        steps=tuple(steps),
        findings=tuple(findings),
    )
