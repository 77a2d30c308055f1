"""Ingredient lots: received into quarantine, released by a pharmacist, recalled if need be."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ldn_desktop.core.lots import expires_within
from ldn_desktop.store.base import StoreBase, parse_date, text_field
from ldn_desktop.store.errors import InvalidField, NotFound, RuleRefused
from ldn_desktop.store.records import IngredientLot, LotStatus, User

_COLUMNS = (
    "l.id, l.ingredient_id, i.name, l.supplier, l.lot_number, l.expiry, l.assay_percent, "
    "l.water_percent, l.status, l.received_on, l.status_reason"
)
_FROM = "FROM lots l JOIN ingredients i ON i.id = l.ingredient_id"


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def lot_from_row(row: tuple[Any, ...]) -> IngredientLot:
    expiry = parse_date(row[5])
    received = parse_date(row[9])
    assert expiry is not None and received is not None
    return IngredientLot(
        id=int(row[0]),
        ingredient_id=int(row[1]),
        ingredient_name=row[2],
        supplier=row[3],
        lot_number=row[4],
        expiry=expiry,
        assay_percent=_decimal(row[6]),
        water_percent=_decimal(row[7]),
        status=LotStatus(row[8]),
        received_on=received,
        status_reason=row[10],
    )


def _percent(
    field: str, label: str, value: Decimal | None, low: Decimal, high: Decimal
) -> str | None:
    if value is None:
        return None
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise InvalidField(field, "must be a number", label) from error
    if not number.is_finite() or number < low or number > high:
        raise InvalidField(field, f"must be between {low} % and {high} %", label)
    return str(number)


class LotsMixin(StoreBase):
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
        number = text_field("lot_number", lot_number.strip(), max_length=100)
        if not isinstance(expiry, date):
            raise InvalidField("expiry", "must be a date")
        values = {
            "ingredient_id": ingredient_id,
            "supplier": text_field("supplier", supplier, max_length=200),
            "lot_number": number,
            "expiry": expiry.isoformat(),
            # A certificate's assay is a percentage of the label claim: 90-110 % is the usual
            # USP range; 50-150 % catches a typing slip without refusing odd certificates.
            "assay_percent": _percent(
                "assay_percent", "assay", assay_percent, Decimal(50), Decimal(150)
            ),
            "water_percent": _percent(
                "water_percent", "water content", water_percent, Decimal(0), Decimal(50)
            ),
            "status": LotStatus.QUARANTINED.value,
            "status_reason": "received",
            "received_on": (received_on or self._today()).isoformat(),
        }
        with self._write():
            actor = self._actor(by, "receive-lot")
            if (
                self._conn.execute(
                    "SELECT 1 FROM ingredients WHERE id = ?", (ingredient_id,)
                ).fetchone()
                is None
            ):
                raise NotFound(f"There is no ingredient {ingredient_id}.")
            lot_id = self._insert("lots", values, actor)
        return self.lot(lot_id)

    def release_lot(self, lot_id: int, *, by: User) -> IngredientLot:
        return self._set_status(lot_id, LotStatus.RELEASED, "released", by, "release-lot")

    def quarantine_lot(self, lot_id: int, reason: str, *, by: User) -> IngredientLot:
        return self._set_status(lot_id, LotStatus.QUARANTINED, reason, by, "recall-lot")

    def recall_lot(self, lot_id: int, reason: str, *, by: User) -> IngredientLot:
        return self._set_status(lot_id, LotStatus.RECALLED, reason, by, "recall-lot")

    def _set_status(
        self, lot_id: int, status: LotStatus, reason: str, by: User, action: str
    ) -> IngredientLot:
        text_field("reason", reason, max_length=2000)
        with self._write():
            actor = self._actor(by, action)
            current = self.lot(lot_id)
            if current.status is LotStatus.RECALLED and status is not LotStatus.RECALLED:
                raise RuleRefused(f"Lot {current.lot_number} has been recalled: it stays recalled.")
            if status is LotStatus.RELEASED and current.expiry < self._today():
                raise RuleRefused(
                    f"Lot {current.lot_number} expired on {current.expiry.isoformat()}: "
                    "it cannot be released."
                )
            self._update(
                "lots",
                lot_id,
                {"status": status.value, "status_reason": reason},
                actor,
                status.value,
            )
        return self.lot(lot_id)

    def expire_lots(self, *, by: User, today: date | None = None) -> tuple[IngredientLot, ...]:
        """Mark every released or quarantined lot past its expiry date as expired.

        The window calls it at start-up; a lot past its date is refused either way, this
        makes the lot list say so. Returns the lots it marked.
        """
        day = today or self._today()
        with self._write():
            actor = self._actor(by, None)
            rows = self._conn.execute(
                "SELECT id FROM lots WHERE status IN ('released', 'quarantined') AND expiry < ? "
                "ORDER BY id",
                (day.isoformat(),),
            ).fetchall()
            for (lot_id,) in rows:
                self._update(
                    "lots",
                    int(lot_id),
                    {"status": LotStatus.EXPIRED.value, "status_reason": "past its expiry date"},
                    actor,
                    LotStatus.EXPIRED.value,
                )
        return tuple(self.lot(int(r[0])) for r in rows)

    def lot(self, lot_id: int) -> IngredientLot:
        row = self._conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE l.id = ?", (lot_id,)).fetchone()
        if row is None:
            raise NotFound(f"There is no ingredient lot {lot_id}.")
        return lot_from_row(row)

    def lots_by_number(self, lot_number: str) -> tuple[IngredientLot, ...]:
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} {_FROM} WHERE l.lot_number = ? ORDER BY l.id",
            (lot_number.strip(),),
        ).fetchall()
        return tuple(lot_from_row(r) for r in rows)

    def list_lots(
        self, *, ingredient_id: int | None = None, status: LotStatus | None = None
    ) -> tuple[IngredientLot, ...]:
        where: list[str] = ["1"]
        params: list[object] = []
        if ingredient_id is not None:
            where.append("l.ingredient_id = ?")
            params.append(ingredient_id)
        if status is not None:
            where.append("l.status = ?")
            params.append(LotStatus(status).value)
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} {_FROM} WHERE {' AND '.join(where)} ORDER BY i.name, l.expiry",
            params,
        ).fetchall()
        return tuple(lot_from_row(r) for r in rows)

    def expiring_lots(
        self, within_days: int, *, today: date | None = None
    ) -> tuple[IngredientLot, ...]:
        day = today or self._today()
        limit = (day + timedelta(days=within_days)).isoformat()
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} {_FROM} WHERE l.status = 'released' AND l.expiry <= ? "
            "ORDER BY l.expiry, i.name",
            (limit,),
        ).fetchall()
        return tuple(
            lot
            for lot in (lot_from_row(r) for r in rows)
            if expires_within(lot.expiry, day, within_days)
        )
