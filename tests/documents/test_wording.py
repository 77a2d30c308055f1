"""Dates on paper are English whatever the desktop's language (Qt sets the C locale from it)."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

import pytest

from ldn_desktop.documents.data import (
    leaflet_from_json,
    prescription_from_json,
    record_from_json,
)
from ldn_desktop.documents.idcard import render_idcard
from ldn_desktop.documents.label import render_labels
from ldn_desktop.documents.leaflet import render_leaflet
from ldn_desktop.documents.record_sheet import render_record
from ldn_desktop.documents.stocks import load_stock
from ldn_desktop.documents.wording import date_text, time_text
from tests.documents.helpers import flat, needs_poppler, pdf_text, sample

ENGLISH = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_is_written_in_english(month: int) -> None:
    assert date_text(date(2027, month, 9)) == f"9 {ENGLISH[month - 1]} 2027"


def test_times_are_on_the_24_hour_clock() -> None:
    assert time_text(datetime(2026, 11, 20, 9, 5)) == "09:05"
    assert time_text(datetime(2026, 11, 20, 23, 59, 59)) == "23:59"


@pytest.fixture
def no_strftime(monkeypatch: pytest.MonkeyPatch) -> None:
    """date.strftime and datetime.strftime call time.strftime, which follows LC_TIME:
    make any use of it fail (as a French desktop would turn 'Nov' into 'nov.')."""

    def localised(*_args: object) -> str:
        raise AssertionError("a document used strftime, which follows the desktop's locale")

    monkeypatch.setattr(time, "strftime", localised)


@needs_poppler
def test_no_document_uses_the_locale_for_a_date(no_strftime: None, tmp_path: Path) -> None:
    rx = prescription_from_json(sample("liquid-titration"))
    label, leaflet, card, record = (tmp_path / f"{n}.pdf" for n in ("l", "f", "c", "r"))
    render_labels([rx], load_stock("thermal-4x2"), str(label))
    render_leaflet(leaflet_from_json(sample("liquid-titration")), leaflet)
    render_idcard(rx, card)
    render_record(record_from_json(sample("record-capsules")), record, printed=date(2026, 11, 21))
    assert "Filled: 20 Nov 2026" in flat(pdf_text(label))
    assert "3 Apr 1968" in flat(pdf_text(leaflet))  # the date of birth
    assert "Born 3 Apr 1968" in flat(pdf_text(card))
    record_text = flat(pdf_text(record))
    assert "20 Nov 2026 10:42 UTC" in record_text
    assert "Printed 21 Nov 2026" in record_text
