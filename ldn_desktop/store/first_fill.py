"""A prescription's first fill (day 1 of a titration), as the records show it.

The store records the first fill once, when the first final label of a batch made for the
prescription is printed, or when such a batch is dispensed if that comes first. A reprint
never moves it. These readers find it again from what was recorded (the audit trail and the
batches), for the schema 4 upgrade and when the batch that set it is rejected undispensed.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

#: Audit actions that hand a batch towards the patient: its final label printed, dispensed.
FILL_ACTIONS = ("printed", "dispensed")


@dataclass(frozen=True)
class FirstFill:
    on: date  # the pharmacy's local day
    batch_id: int


def local_day(moment: str) -> date:
    """The pharmacy's day of a UTC time as stored (labels count days in local dates)."""
    return datetime.fromisoformat(moment).astimezone().date()


def first_fill_from_records(conn: sqlite3.Connection, prescription_id: int) -> FirstFill | None:
    """The earliest final-label print or dispense of a batch of the prescription that was
    not rejected, from the audit trail (and each batch's `printed_at`), or None."""
    batches = {
        int(r[0]): r[1]
        for r in conn.execute(
            "SELECT id, printed_at FROM batches WHERE prescription_id = ? AND state != 'rejected'",
            (prescription_id,),
        )
    }
    if not batches:
        return None
    marks = ", ".join("?" for _ in batches)
    moments: list[tuple[str, int]] = [
        (str(at), int(row_id))
        for at, row_id in conn.execute(
            f"SELECT at, row_id FROM audit WHERE table_name = 'batches' AND row_id IN ({marks}) "
            f"AND action IN ({', '.join('?' for _ in FILL_ACTIONS)})",
            (*batches, *FILL_ACTIONS),
        )
    ]
    moments += [(str(printed), batch_id) for batch_id, printed in batches.items() if printed]
    if not moments:
        return None
    earliest = min(moments, key=lambda m: (datetime.fromisoformat(m[0]), m[1]))
    return FirstFill(local_day(earliest[0]), earliest[1])


def first_print_from_trail(conn: sqlite3.Connection, batch_id: int) -> str | None:
    """When the batch's final label was first printed, from the audit trail (None if never).

    Before schema 4 every print overwrote `printed_at`; each print's audit entry kept it.
    """
    printed = [
        json.loads(new).get("printed_at")
        for (new,) in conn.execute(
            "SELECT new FROM audit WHERE table_name = 'batches' AND row_id = ? AND "
            "action = 'printed'",
            (batch_id,),
        )
    ]
    times = [str(p) for p in printed if p]
    return min(times, key=datetime.fromisoformat) if times else None
