"""The wallet ID card: exactly ID-1 size, what an emergency team must know, never clipped."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.units import mm

from ldn_desktop.core.quantities import Strength
from ldn_desktop.documents.data import (
    Form,
    IdCardData,
    Patient,
    Pharmacy,
    Prescriber,
    TitrationPhase,
    prescription_from_json,
)
from ldn_desktop.documents.fit import DoesNotFit
from ldn_desktop.documents.fonts import BOLD, REGULAR, text_width
from ldn_desktop.documents.idcard import (
    BAND,
    CARD_HEIGHT,
    CARD_WIDTH,
    PAD,
    emergency_points,
    plan_side,
    render_idcard,
    sides,
)
from tests.documents.helpers import flat, ismp_violations
from tests.documents.printed import assert_matches_reference, needs_pdftoppm, page_texts


def card(**changes: object) -> IdCardData:
    base = IdCardData(
        patient=Patient("Łukasz Żółć", date(1971, 3, 4)),
        prescriber=Prescriber("Dr Anna Kowalska", "(217) 555-0199"),
        rx_number="RX-104233",
        form=Form.CAPSULE,
        dose_mg=Decimal("4.5"),
        quantity=Decimal(30),
        lot="L2611-07",
        bud=date(2027, 5, 19),
        storage="Store at room temperature",
        start_date=date(2026, 11, 20),
        pharmacy=Pharmacy(
            "Riverside Compounding Pharmacy", "12 Mill Street, Springfield", "(555) 010-7788"
        ),
        verified=True,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def render(tmp_path: Path, data: IdCardData, name: str = "card.pdf") -> tuple[Path, list[str]]:
    out = tmp_path / name
    assert render_idcard(data, out) == 2
    return out, page_texts(out)


def test_the_page_is_exactly_85_6_by_54_mm(tmp_path: Path) -> None:
    out, _ = render(tmp_path, card())
    pages = PdfReader(out).pages
    assert len(pages) == 2
    for page in pages:
        assert float(page.mediabox.width) == pytest.approx(85.6 * mm, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(54 * mm, abs=0.01)
        assert float(page.mediabox.width) / 72 * 25.4 == pytest.approx(85.6, abs=0.01)


def test_front_and_back_hold_everything_an_emergency_team_needs(tmp_path: Path) -> None:
    _, (front, back) = render(tmp_path, card())
    front, back = flat(front), flat(back)
    for expected in (
        "I take low-dose naltrexone (LDN)",
        "Łukasz Żółć",
        "Born 4 Mar 1971",
        "Dose: 4.5 mg a day",
        "Naltrexone HCl 4.5 mg capsules",
        "Prescriber: Dr Anna Kowalska · (217) 555-0199",
        "Pharmacy: Riverside Compounding Pharmacy · (555) 010-7788",
    ):
        assert expected in front, expected
    assert "In an emergency" in back
    for expected in (
        "blocks opioid medicines",
        "opioid pain relief may not work",
        "tell the medical team that I take LDN",
        "non-opioid pain relief or regional anaesthesia first",
    ):
        assert expected in back, expected
    assert "NOT VERIFIED" not in front + back


def test_the_emergency_wording_comes_from_resources_with_its_sources() -> None:
    points = emergency_points()
    assert len(points) >= 3
    assert not any(p.startswith("#") for p in points)
    back = sides(card())[1]
    assert [p.text for p in back.groups[0].paragraphs] == list(points)


@pytest.mark.parametrize(
    ("changes", "dose_line"),
    [
        ({"dose_mg": Decimal("3")}, "Dose: 3 mg a day"),
        ({"dose_mg": Decimal("0.5")}, "Dose: 500 mcg (0.5 mg) a day"),
        (
            {
                "dose_mg": Decimal("4.5"),
                "titration": (
                    TitrationPhase(1, 14, Decimal("1.5")),
                    TitrationPhase(15, 28, Decimal("3")),
                    TitrationPhase(29, 90, Decimal("4.5")),
                ),
            },
            "Dose: 1.5 mg a day, increasing to 4.5 mg",
        ),
        (
            {
                "form": Form.ORAL_LIQUID,
                "dose_mg": Decimal("0.25"),
                "strength": Strength(Decimal("0.5"), "mL"),
                "quantity": Decimal(30),
            },
            "Dose: 250 mcg (0.25 mg) a day",
        ),
    ],
)
def test_the_dose_is_written_the_ismp_way(
    tmp_path: Path, changes: dict[str, object], dose_line: str
) -> None:
    _, texts = render(tmp_path, card(**changes))
    text = "\n".join(texts)
    assert dose_line in flat(text)
    assert ismp_violations(text) == []
    for bad in ("3.0 mg", " .5 mg", "µg", " cc"):
        assert bad not in text


def test_an_unverified_prescription_prints_only_as_a_marked_proof(tmp_path: Path) -> None:
    _, texts = render(tmp_path, card(verified=False))
    for text in texts:
        assert "NOT VERIFIED — DO NOT ISSUE" in text


def test_the_output_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    first, _ = render(tmp_path, card(), "1.pdf")
    second, _ = render(tmp_path, card(), "2.pdf")
    assert first.read_bytes() == second.read_bytes()
    assert b"DejaVuSans" in first.read_bytes()  # embedded, so "Łukasz Żółć" prints


def test_a_long_name_wraps_and_phone_numbers_never_break(tmp_path: Path) -> None:
    name = "Maria Fernanda de los Ángeles García-Villanueva Ødegård"
    pharmacy = Pharmacy(
        "Riverside Compounding Pharmacy and Wellness Centre of Springfield", "x", "(555) 010-7788"
    )
    _, (front, _) = render(
        tmp_path, card(patient=Patient(name, date(1980, 1, 2)), pharmacy=pharmacy)
    )
    assert name in flat(front)
    assert pharmacy.name in flat(front)
    # The contacts wrapped, but the phone number stays whole on one line.
    phone_lines = [line for line in front.splitlines() if "010-7788" in line]
    assert len(phone_lines) == 1
    assert "(555)" in phone_lines[0]
    assert not phone_lines[0].startswith("Pharmacy:")


def test_a_name_too_long_for_the_card_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    name = " ".join(["Bartholomew-Maximilian"] * 30)
    out = tmp_path / "card.pdf"
    with pytest.raises(DoesNotFit, match="shorten the patient name"):
        render_idcard(card(patient=Patient(name, date(1980, 1, 2))), out)
    assert not out.exists()


def test_a_long_one_word_name_shrinks_rather_than_being_refused(tmp_path: Path) -> None:
    name = "Wolfeschlegelsteinhausenberger"  # too wide for a line at 13 pt, fits smaller
    assert text_width(name, BOLD, 13) > CARD_WIDTH - 2 * PAD
    _, (front, _) = render(tmp_path, card(patient=Patient(name, date(1980, 1, 2))))
    assert name in front


def test_a_word_wider_than_the_card_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    with pytest.raises(DoesNotFit, match="patient name has a word too long"):
        render_idcard(card(patient=Patient("W" * 60, date(1980, 1, 2))), out)
    assert not out.exists()


def test_a_card_read_from_json_prints(tmp_path: Path) -> None:
    data = prescription_from_json(
        {
            "patient": {"name": "Margaret O'Neil", "dob": "1955-09-30"},
            "prescriber": {"name": "Dr Samuel Lee", "phone": "(555) 010-2000"},
            "rx_number": "RX-100301",
            "form": "cream",
            "dose": "1.5mg",
            "strength": "3mg/mL",
            "quantity": "30mL",
            "lot": "L261120-02",
            "bud": "2027-05-19",
            "storage": "Store at room temperature",
            "start_date": "2026-11-20",
            "verified": True,
            "pharmacy": {"name": "Riverside", "address": "12 Mill St", "phone": "555 0100"},
        }
    )
    _, (front, _) = render(tmp_path, data)
    assert "Margaret O'Neil" in front
    assert "Dose: 1.5 mg a day" in flat(front)
    assert "Naltrexone HCl 3 mg/mL" in flat(front) and "cream" in front
    assert "Prescriber: Dr Samuel Lee · (555) 010-2000" in flat(front)


names = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzŁŻółćÅØé'- WM"),
    max_size=200,
).filter(lambda s: s.strip())


@given(name=names, prescriber=names)
def test_any_text_either_fits_inside_the_card_or_is_refused(name: str, prescriber: str) -> None:
    data = card(patient=Patient(name, date(1980, 1, 2)), prescriber=Prescriber(prescriber, "1"))
    for side in sides(data):
        try:
            plan = plan_side(side)
        except DoesNotFit as refused:
            assert "wallet card" in str(refused)
            if "word too long" in str(refused):
                # Refused only if some word is wider than the card even at its floor size.
                assert any(
                    text_width(word, p.font, g.floor) > CARD_WIDTH - 2 * PAD
                    for g in side.groups
                    for p in g.paragraphs
                    for word in p.text.split(" ")
                )
            continue
        for line in plan.lines:
            width = text_width(line.text, line.font, line.size)
            assert line.font in (REGULAR, BOLD)
            assert line.x >= PAD - 0.01
            assert line.x + width <= CARD_WIDTH - PAD + 0.01
            assert line.baseline - 0.24 * line.size >= PAD - 0.01  # DejaVu descent
            assert line.baseline + 0.93 * line.size <= CARD_HEIGHT - BAND - PAD + 0.01
            assert line.size >= 5.5


@needs_pdftoppm
def test_the_card_looks_like_its_reference_render(tmp_path: Path) -> None:
    titration = (TitrationPhase(1, 14, Decimal("1.5")), TitrationPhase(15, 90, Decimal("4.5")))
    out, _ = render(tmp_path, card(verified=False, titration=titration))
    assert_matches_reference(out, "idcard", tmp_path / "png", tolerance=0.004)
