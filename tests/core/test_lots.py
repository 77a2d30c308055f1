from datetime import date

import pytest

from ldn_desktop.core.lots import expires_within, lot_refusal

TODAY = date(2026, 11, 22)


def test_a_released_lot_in_date_is_usable_up_to_its_expiry_day() -> None:
    assert lot_refusal("A1", "released", TODAY, TODAY) is None
    assert lot_refusal("A1", "released", date(2027, 1, 1), TODAY) is None


@pytest.mark.parametrize(
    ("status", "expiry", "words"),
    [
        ("recalled", date(2027, 1, 1), "recalled"),
        ("quarantined", date(2027, 1, 1), "quarantine"),
        ("expired", date(2027, 1, 1), "expired on 2027-01-01"),
        ("released", date(2026, 11, 21), "expired on 2026-11-21"),
        ("lost", date(2027, 1, 1), "unknown status 'lost'"),
    ],
)
def test_unusable_lots_are_refused_with_the_reason(status: str, expiry: date, words: str) -> None:
    reason = lot_refusal("A1", status, expiry, TODAY)
    assert reason is not None
    assert "lot A1" in reason
    assert words in reason


def test_expires_within_counts_days_from_today() -> None:
    assert expires_within(date(2026, 12, 22), TODAY, 30)
    assert not expires_within(date(2026, 12, 23), TODAY, 30)
    assert expires_within(date(2026, 1, 1), TODAY, 0)
