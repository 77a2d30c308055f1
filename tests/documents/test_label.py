"""Labels: every USP <17> element printed, a decodable barcode, proofs, stocks, no clipping."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from ldn_desktop.documents.data import Prescription, prescription_from_json
from ldn_desktop.documents.fit import DoesNotFit
from ldn_desktop.documents.label import NOT_VERIFIED, plan_label, render_labels
from ldn_desktop.documents.stocks import load_stock, stock_names
from tests.documents import label_cases
from tests.documents.helpers import (
    flat,
    ismp_violations,
    needs_poppler,
    pdf_text,
    render_to_bytes,
    sample,
)
from tests.documents.references import assert_matches_reference

LIQUID = prescription_from_json(sample("liquid-titration"))
CAPSULES = prescription_from_json(sample("capsules"))
CREAM = prescription_from_json(sample("cream"))
SMALL_STOCKS = ("roll-3x2", "avery-l7163")


def test_the_four_stocks_are_data_with_the_right_geometry() -> None:
    assert {"thermal-4x2", "roll-3x2", "avery-5163", "avery-l7163"} <= set(stock_names())
    avery = load_stock("avery-5163")
    assert (avery.label_width, avery.label_height, avery.per_page) == (288, 144, 10)
    assert avery.cell_origin(1) == pytest.approx((11.25, 792 - 36 - 144))
    l7163 = load_stock("avery-l7163")
    assert l7163.per_page == 14
    assert l7163.label_width == pytest.approx(99.1 / 25.4 * 72)
    assert load_stock("thermal-4x2").per_page == 1


@needs_poppler
@pytest.mark.parametrize("stock", ["thermal-4x2", "roll-3x2", "avery-5163", "avery-l7163"])
@pytest.mark.parametrize("p", [LIQUID, CAPSULES, CREAM], ids=["liquid", "capsules", "cream"])
def test_every_required_element_is_printed(p: Prescription, stock: str) -> None:
    # Verified, so the proof's diagonal mark does not interleave with the extracted lines.
    verified = dataclasses.replace(p, verified=True)
    pdf = render_to_bytes(render_labels, [verified], load_stock(stock))
    text = flat(pdf_text(pdf, raw=True))
    for needed in (
        p.patient.name,
        p.rx_number,
        p.lot,
        p.prescriber.name,
        p.storage,
        "Compounded medication",
        "Do not take with opioid pain medicines.",
        "Carry your LDN card.",
        p.pharmacy.name,
        p.pharmacy.phone,
        "Use by (BUD):",
        "Qty:",
        "Filled:",
    ):
        assert needed in text, (needed, stock)
    assert ismp_violations(text) == []
    assert ("Shake well." in text) is (p is LIQUID)
    assert ("Keep refrigerated." in text) is (p is LIQUID)
    assert NOT_VERIFIED not in text
    proof = render_to_bytes(render_labels, [CREAM], load_stock(stock))
    assert NOT_VERIFIED in PdfReader(io.BytesIO(proof)).pages[0].extract_text()


@needs_poppler
def test_generated_directions_and_drug_line() -> None:
    text = flat(pdf_text(render_to_bytes(render_labels, [LIQUID], load_stock("thermal-4x2"))))
    assert "Naltrexone HCl 1 mg/mL oral liquid" in text
    assert "Days 1 to 14: Take 1.5 mL (1.5 mg) by mouth at bedtime, then see schedule" in text
    assert "Qty: 100 mL" in text and "Use by (BUD): 4 Dec 2026" in text
    text = flat(pdf_text(render_to_bytes(render_labels, [CAPSULES], load_stock("thermal-4x2"))))
    assert "Naltrexone HCl 4.5 mg capsules" in text
    assert "Take 1 capsule (4.5 mg) by mouth at bedtime" in text
    assert "Qty: 30 capsules" in text
    day_30 = CREAM.start_date + timedelta(days=29)
    later = dataclasses.replace(CREAM, dispensed=day_30, verified=True)
    text = flat(pdf_text(render_to_bytes(render_labels, [later], load_stock("thermal-4x2"))))
    assert (
        "From day 22: Apply 6 clicks (4.5 mg) to clean, dry skin at bedtime and rub in "
        "(see schedule)" in text
    )
    given_words = dataclasses.replace(CAPSULES, directions="Take 1 capsule by mouth at bedtime")
    text = flat(pdf_text(render_to_bytes(render_labels, [given_words], load_stock("roll-3x2"))))
    assert "Take 1 capsule by mouth at bedtime" in text and "(4.5 mg) by" not in text


def test_the_font_is_embedded_so_every_name_prints() -> None:
    pdf = render_to_bytes(render_labels, [LIQUID], load_stock("thermal-4x2"))
    reader = PdfReader(io.BytesIO(pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = [f.get_object()["/FontDescriptor"].get_object() for f in fonts.values()]
    assert embedded and all("/FontFile2" in d for d in embedded)  # TrueType, embedded
    assert "Łukasz Żółć" in reader.pages[0].extract_text()


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools decodes the QR code")
@needs_poppler
@pytest.mark.parametrize("stock", ["thermal-4x2", "roll-3x2", "avery-5163", "avery-l7163"])
def test_the_barcode_decodes_to_rx_and_lot_at_300_dpi(stock: str, tmp_path: Path) -> None:
    pdf = tmp_path / "l.pdf"
    pdf.write_bytes(render_to_bytes(render_labels, [LIQUID, CREAM], load_stock(stock)))
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "p")], check=True)
    found = set()
    for png in sorted(tmp_path.glob("p*.png")):
        out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True)
        found.update(out.stdout.decode().split())
    assert found == {"RX:RX-100234;LOT:L261120-01", "RX:RX-100377;LOT:L261121-01"}


def test_sheets_start_at_a_position_and_fill_pages() -> None:
    stock = load_stock("avery-l7163")
    calls: list[tuple[int, int]] = []
    pages = render_labels(
        [CAPSULES] * 20,
        stock,
        io.BytesIO(),
        start=10,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert pages == 3  # 5 on the first sheet (positions 10-14), 14 on the second, 1 on a third
    assert calls[0] == (1, 20) and calls[-1] == (20, 20) and len(calls) == 20
    assert render_labels([CAPSULES] * 2, load_stock("thermal-4x2"), io.BytesIO()) == 2
    with pytest.raises(DoesNotFit, match="start position 15"):
        render_labels([CAPSULES], stock, io.BytesIO(), start=15)
    with pytest.raises(DoesNotFit, match="is a roll"):
        render_labels([CAPSULES], load_stock("roll-3x2"), io.BytesIO(), start=2)
    with pytest.raises(DoesNotFit, match="no labels"):
        render_labels([], stock, io.BytesIO())


@needs_poppler
def test_the_start_position_puts_the_first_label_there(tmp_path: Path) -> None:
    pdf = render_to_bytes(render_labels, [CAPSULES], load_stock("avery-5163"), start=4)
    # Position 4 = row 2, right column: only the right half of the page has text.
    left = subprocess.run(
        ["pdftotext", "-x", "0", "-y", "0", "-W", "300", "-H", "792", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    right = subprocess.run(
        ["pdftotext", "-x", "306", "-y", "180", "-W", "306", "-H", "144", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert left.strip() == "" and CAPSULES.patient.name in right


LONG_NAME = (
    "Maximiliana Alexandrina Wilhelmina Konstantinopoulou-Brzęczyszczykiewicz "
    "de la Santísima Trinidad Oyelaran"
)[:120].ljust(120, "x")


@needs_poppler
@pytest.mark.parametrize("stock", ["thermal-4x2", "avery-5163"])
def test_a_120_character_name_wraps_on_a_4_by_2_label_without_clipping(stock: str) -> None:
    assert len(LONG_NAME) == 120
    p = dataclasses.replace(CAPSULES, patient=dataclasses.replace(CAPSULES.patient, name=LONG_NAME))
    text = flat(pdf_text(render_to_bytes(render_labels, [p], load_stock(stock))))
    assert LONG_NAME in text
    _assert_inside(plan_label(p, load_stock(stock)), load_stock(stock))


@pytest.mark.parametrize("stock", SMALL_STOCKS)
def test_a_120_character_name_and_long_directions_refuse_on_the_smallest_stocks(
    stock: str,
) -> None:
    p = dataclasses.replace(
        CAPSULES,
        patient=dataclasses.replace(CAPSULES.patient, name=LONG_NAME),
        directions="Take 1 capsule (4.5 mg) by mouth at bedtime. " * 6,
    )
    with pytest.raises(DoesNotFit, match=rf"does not fit on the {stock} stock .* larger label"):
        render_labels([p], load_stock(stock), io.BytesIO())


def test_an_unbreakable_word_wider_than_the_label_is_refused() -> None:
    p = dataclasses.replace(CAPSULES, rx_number="RX" + "9" * 80)
    with pytest.raises(DoesNotFit, match="Rx number does not fit"):
        plan_label(p, load_stock("roll-3x2"))


def _assert_inside(plan, stock) -> None:  # type: ignore[no-untyped-def]
    from ldn_desktop.documents.fit import ASCENT_EM, LEADING
    from ldn_desktop.documents.fonts import text_width

    for line in plan.lines:
        assert line.x >= stock.padding - 1e-6
        assert line.x + text_width(line.text, line.font, line.size) <= (
            stock.label_width - stock.padding + 1e-6
        )
        assert line.baseline - (LEADING - ASCENT_EM) * line.size >= stock.padding - 1e-6
        assert line.baseline + ASCENT_EM * line.size <= stock.label_height - stock.padding + 1e-6
    for line in plan.lines:  # nothing overlaps the barcode
        x, y, q = plan.barcode
        right = line.x + text_width(line.text, line.font, line.size)
        overlaps_x = right > x and line.x < x + q
        overlaps_y = line.baseline < y + q and line.baseline + ASCENT_EM * line.size > y
        assert not (overlaps_x and overlaps_y), line.text
    for a in plan.lines:  # two columns of details never run into each other
        for b in plan.lines:
            if a is not b and abs(a.baseline - b.baseline) < 0.5 * min(a.size, b.size):
                a_right = a.x + text_width(a.text, a.font, a.size)
                b_right = b.x + text_width(b.text, b.font, b.size)
                assert a_right <= b.x or b_right <= a.x, (a.text, b.text)
    assert all(line.size >= stock.primary_floor_pt for line in plan.lines[:3])
    directions = plan.lines[plan.directions]
    assert directions and plan.directions.start >= 2  # after the name and the drug line
    heading = plan.lines[: plan.directions.start]
    assert max(line.size for line in heading) <= min(line.size for line in directions)


@pytest.mark.parametrize(
    ("p", "stock"),
    [
        (LIQUID, "avery-l7163"),
        (CAPSULES, "avery-l7163"),
        (CREAM, "avery-l7163"),
        (LIQUID, "roll-3x2"),
        (CAPSULES, "roll-3x2"),
    ],
    ids=lambda v: v if isinstance(v, str) else v.form.value,
)
def test_the_details_are_readable_on_the_small_stocks(p: Prescription, stock: str) -> None:
    """6 pt or more (they were 5 pt): two columns beside the QR code where one is too tall,
    the directions still as large as the name, nothing outside the label."""
    labels = load_stock(stock)
    plan = plan_label(p, labels)
    assert plan.secondary_size >= 6
    pharmacy = f"{p.pharmacy.name} · {p.pharmacy.address} · {p.pharmacy.phone}"
    details = [  # the pharmacy's details are the smallest text, by design
        line for line in plan.lines[plan.directions.stop :] if line.text not in pharmacy
    ]
    assert len(details) >= 7 and min(line.size for line in details) >= 6
    assert plan.primary_size >= labels.primary_floor_pt
    _assert_inside(plan, labels)


def test_a_label_that_fits_in_one_column_of_details_keeps_it() -> None:
    plan = plan_label(LIQUID, load_stock("thermal-4x2"))
    details = plan.lines[plan.directions.stop :]
    assert {line.x for line in details} == {load_stock("thermal-4x2").padding}


@settings(max_examples=40)
@given(
    name=st.text(alphabet=st.sampled_from("abcdeŁżó -'"), min_size=1, max_size=150).filter(
        lambda s: s.strip()
    ),
    directions=st.text(alphabet=st.sampled_from("abcdefgh ()0123456789."), max_size=220),
    stock=st.sampled_from(["thermal-4x2", "roll-3x2", "avery-5163", "avery-l7163"]),
)
def test_any_text_either_fits_inside_the_label_or_is_refused(
    name: str, directions: str, stock: str
) -> None:
    p = dataclasses.replace(
        CAPSULES,
        patient=dataclasses.replace(CAPSULES.patient, name=name),
        directions=directions.strip() or None,
    )
    labels = load_stock(stock)
    try:
        plan = plan_label(p, labels)
    except DoesNotFit as refused:
        assert "does not fit" in str(refused)
        return
    _assert_inside(plan, labels)
    printed = " ".join(line.text for line in plan.lines)
    assert " ".join(name.split()) in printed


@needs_poppler
@pytest.mark.parametrize("name", sorted(label_cases.reference_renders()))
def test_labels_look_like_their_reference_render(name: str, tmp_path: Path) -> None:
    pdf = tmp_path / f"{name}.pdf"
    label_cases.reference_renders()[name](pdf)
    assert_matches_reference(name, pdf)


def test_the_same_labels_make_the_same_bytes() -> None:
    stock = load_stock("avery-5163")
    assert render_to_bytes(render_labels, [LIQUID, CREAM], stock) == render_to_bytes(
        render_labels, [LIQUID, CREAM], stock
    )
