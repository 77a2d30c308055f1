"""The compounding record sheet: every element an inspector looks for, flowing over pages."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from ldn_desktop.core.quantities import Strength
from ldn_desktop.documents.data import (
    Form,
    Paper,
    Pharmacy,
    QualityCheck,
    RecordComponent,
    RecordSheetData,
    Signature,
    record_from_json,
)
from ldn_desktop.documents.fit import DoesNotFit
from ldn_desktop.documents.record_sheet import render_record, utc_text
from tests.documents.helpers import flat, ismp_violations
from tests.documents.printed import assert_matches_reference, needs_pdftoppm, page_texts

PRINTED = date(2026, 11, 21)
PHARMACY = Pharmacy(
    "Riverside Compounding Pharmacy", "12 Mill Street, Springfield, IL 62701", "(555) 010-7788"
)


def capsules(**changes: object) -> RecordSheetData:
    record = RecordSheetData(
        formula_name="Naltrexone HCl 4.5 mg capsules (MCC)",
        formula_version="3",
        form=Form.CAPSULE,
        dose_mg=Decimal("4.5"),
        lot="L261120-02",
        compounded=date(2026, 11, 20),
        bud=date(2027, 5, 19),
        storage="Store at room temperature (20 °C to 25 °C), dry",
        units_made=Decimal(33),
        pharmacy=PHARMACY,
        verified=True,
        bud_basis="USP <795>: capsules, 180 days",
        steps=(
            "4.5 mg × 30 capsules, 10% overage → make 33 capsules.",
            "Naltrexone HCl needed: 4.5 mg × 33 = 148.5 mg.",
            "Potency: assay 99.5%, water 1.5% → weigh 151.5 mg.",
        ),
        components=(
            RecordComponent(
                "Naltrexone HCl USP", "NX-2291", date(2028, 3, 31), Decimal("151.5"), "Medisca"
            ),
            RecordComponent(
                "Microcrystalline cellulose (Avicel PH-105)",
                "MCC-7781",
                date(2029, 1, 31),
                Decimal("6451.5"),
                "PCCA",
            ),
        ),
        trituration=(
            "Triturate 151.5 mg naltrexone HCl with 1,363.5 mg MCC (1 in 10).",
            "Add the rest of the MCC by geometric dilution; mix 5 minutes.",
        ),
        quality_checks=(
            QualityCheck("Weight of 10 capsules", "2,019 mg ± 5%", "2,031 mg", True),
            QualityCheck("Appearance", "Uniform white powder", "Specks seen", False),
        ),
        signatures=(
            Signature("Łukasz Żółć, PharmD", "compounded", datetime(2026, 11, 20, 10, 42)),
            Signature("J. Romero, RPh", "verified", datetime(2026, 11, 20, 11, 5)),
        ),
    )
    return dataclasses.replace(record, **changes)  # type: ignore[arg-type]


def liquid(**changes: object) -> RecordSheetData:
    values: dict[str, object] = {
        "form": Form.ORAL_LIQUID,
        "dose_mg": Decimal("0.5"),
        "strength": Strength(Decimal("1"), "mL"),
        "units_made": Decimal("100"),
        "formula_name": "Naltrexone HCl 1 mg/mL oral liquid",
    }
    return capsules(**(values | changes))


def render(tmp_path: Path, record: RecordSheetData, name: str = "record.pdf", **kw: object) -> Path:
    out = tmp_path / name
    pages = render_record(record, out, printed=PRINTED, **kw)  # type: ignore[arg-type]
    assert pages == len(PdfReader(out).pages)
    return out


def test_every_required_element_is_on_the_sheet(tmp_path: Path) -> None:
    text = flat("\n".join(page_texts(render(tmp_path, capsules()))))
    for expected in (
        "Compounding record",
        "Riverside Compounding Pharmacy",
        "12 Mill Street, Springfield, IL 62701",
        "(555) 010-7788",
        "Naltrexone HCl 4.5 mg capsules (MCC) (version 3)",
        "Dosage form capsules",
        "Dose / strength 4.5 mg a capsule",
        "Units made 33 capsules",
        "Internal lot L261120-02",
        "Compounded 20 Nov 2026",
        "BUD (use by) 19 May 2027",
        "BUD basis USP <795>: capsules, 180 days",
        "Storage Store at room temperature (20 °C to 25 °C), dry",
        # calculation steps, numbered
        "1. 4.5 mg × 30 capsules, 10% overage → make 33 capsules.",
        "2. Naltrexone HCl needed: 4.5 mg × 33 = 148.5 mg.",
        "3. Potency: assay 99.5%, water 1.5% → weigh 151.5 mg.",
        # components: name, supplier, lot, expiry, weight
        "Component Supplier Lot Expiry Weighed",
        "Naltrexone HCl USP Medisca NX-2291 31 Mar 2028 151.5 mg",
        "PCCA MCC-7781 31 Jan 2029 6,451.5 mg",
        "1. Triturate 151.5 mg naltrexone HCl with 1,363.5 mg MCC (1 in 10).",
        "2. Add the rest of the MCC by geometric dilution; mix 5 minutes.",
        "Weight of 10 capsules 2,019 mg ± 5% 2,031 mg PASS",
        "Appearance Uniform white powder Specks seen FAIL",
        "Łukasz Żółć, PharmD compounded 20 Nov 2026 10:42 UTC",
        "J. Romero, RPh verified 20 Nov 2026 11:05 UTC",
        "Deviations None recorded",
        "Printed 21 Nov 2026",
        "page 1 of 1",
    ):
        assert expected in text, expected
    assert "NOT VERIFIED" not in text
    assert "Verified by a pharmacist" in text


def test_an_unverified_batch_says_so_on_every_page(tmp_path: Path) -> None:
    steps = tuple(f"Step number {i} of the worked calculation." for i in range(1, 41))
    texts = page_texts(render(tmp_path, capsules(verified=False, steps=steps)))
    assert len(texts) >= 2
    for text in texts:
        assert "NOT VERIFIED" in text
    assert "NOT VERIFIED — this batch has not been verified by a pharmacist" in flat(texts[0])


def test_deviations_and_empty_sections_are_written_out(tmp_path: Path) -> None:
    record = capsules(
        deviations=("Balance recalibrated before weighing.", "Filler lot changed mid-batch."),
        trituration=(),
        quality_checks=(),
        components=(),
        steps=(),
        signatures=(),
        bud_basis="",
    )
    text = flat("\n".join(page_texts(render(tmp_path, record))))
    assert "1. Balance recalibrated before weighing. 2. Filler lot changed mid-batch." in text
    for heading in ("Calculation", "Components weighed", "Trituration", "Quality checks"):
        assert f"{heading} None recorded" in text
    assert "Signatures None recorded" in text
    assert "BUD basis Not recorded" in text
    assert "Deviations None recorded" not in text


def test_a_liquid_shows_dose_and_strength_without_ismp_errors(tmp_path: Path) -> None:
    text = flat("\n".join(page_texts(render(tmp_path, liquid()))))
    assert "Dose / strength 500 mcg (0.5 mg) a dose; strength 1 mg/mL" in text
    assert "Naltrexone HCl 1 mg/mL oral liquid" in text
    assert "Units made 100 mL" in text
    assert "Dosage form oral liquid" in text


@pytest.mark.parametrize("dose", ["0.5", "3", "4.5", "1.25", "0.001", "10"])
def test_no_dose_breaks_the_ismp_rules(tmp_path: Path, dose: str) -> None:
    records = (
        capsules(dose_mg=Decimal(dose), units_made=Decimal(1000)),
        liquid(dose_mg=Decimal(dose), units_made=Decimal("1000.50")),
    )
    for n, record in enumerate(records):
        text = "\n".join(page_texts(render(tmp_path, record, f"r{n}.pdf")))
        # The calculation steps are the core's words; the sheet's own numbers are checked.
        assert ismp_violations(text.replace("2,019 mg ± 5%", "")) == []
        assert "3.0 mg" not in text and " .5 mg" not in text


def test_forty_steps_flow_to_a_second_page_with_the_header_repeated(tmp_path: Path) -> None:
    steps = tuple(f"Step number {i} of the worked calculation." for i in range(1, 41))
    texts = page_texts(render(tmp_path, capsules(steps=steps)))
    total = len(texts)
    assert total >= 2
    for n, text in enumerate(texts, start=1):
        assert f"page {n} of {total}" in text
    second = flat(texts[1])
    # The table's header row repeats above the steps that moved to the next page.
    assert second.index("No. Step") < second.index("Step number 40 of")
    assert "Step number 1 of" not in second
    for i in (1, 40):
        assert f"{i}. Step number {i} of the worked calculation." in flat("\n".join(texts))
    # The running header is on every page too.
    for text in texts:
        assert "Riverside Compounding Pharmacy — Compounding record" in text
        assert "Lot L261120-02" in text


def test_paper_is_letter_or_a4(tmp_path: Path) -> None:
    letter = PdfReader(render(tmp_path, capsules(), "l.pdf")).pages[0].mediabox
    a4 = PdfReader(render(tmp_path, capsules(), "a.pdf", paper=Paper.A4)).pages[0].mediabox
    assert (float(letter.width), float(letter.height)) == pytest.approx(LETTER)
    assert (float(a4.width), float(a4.height)) == pytest.approx(A4)


def test_the_output_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    first = render(tmp_path, capsules(), "1.pdf").read_bytes()
    second = render(tmp_path, capsules(), "2.pdf").read_bytes()
    assert first == second
    assert b"DejaVuSans" in first  # the embedded font, so "Łukasz Żółć" prints


def test_markup_characters_print_as_typed(tmp_path: Path) -> None:
    record = capsules(formula_name="LDN <4.5 mg> & MCC", deviations=("a < b & c",))
    text = flat("\n".join(page_texts(render(tmp_path, record))))
    assert "LDN <4.5 mg> & MCC" in text
    assert "1. a < b & c" in text


def test_an_entry_longer_than_a_page_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "record.pdf"
    with pytest.raises(DoesNotFit, match="longer than a page"):
        render_record(capsules(steps=("weigh " * 8000,)), out, printed=PRINTED)
    assert not out.exists()


def test_signature_times_are_printed_in_utc() -> None:
    toronto = timezone(timedelta(hours=-5))
    assert utc_text(datetime(2026, 11, 20, 21, 30, tzinfo=toronto)) == "21 Nov 2026 02:30 UTC"
    assert utc_text(datetime(2026, 11, 20, 9, 5)) == "20 Nov 2026 09:05 UTC"


def test_a_record_read_from_json_prints(tmp_path: Path) -> None:
    record = record_from_json(
        {
            "formula": {"name": "LDN cream 1 mg/g", "version": 2},
            "form": "cream",
            "dose": "1.5mg",
            "strength": "1mg/g",
            "lot": "C-0042",
            "compounded": "2026-11-20",
            "bud": "2026-12-20",
            "storage": "Store at room temperature",
            "units_made": "50mL",
            "verified": False,
            "components": [
                {"name": "Naltrexone HCl", "lot": "NX-1", "expiry": "2028-01-31", "weight": "50mg"}
            ],
            "signatures": [
                {"who": "A. Patel", "meaning": "compounded", "time": "2026-11-20T10:42"}
            ],
            "pharmacy": {"name": "Riverside", "address": "12 Mill St", "phone": "555"},
        }
    )
    text = flat("\n".join(page_texts(render(tmp_path, record))))
    assert "LDN cream 1 mg/g (version 2)" in text
    assert "Dose / strength 1.5 mg a dose; strength 1 mg/g" in text
    assert "Naltrexone HCl — NX-1 31 Jan 2028 50 mg" in text
    assert "Units made 50 mL" in text
    assert "NOT VERIFIED" in text


@needs_pdftoppm
def test_the_sheet_looks_like_its_reference_render(tmp_path: Path) -> None:
    steps = tuple(f"Step number {i} of the worked calculation." for i in range(1, 41))
    pdf = render(tmp_path, capsules(verified=False, steps=steps))
    assert_matches_reference(pdf, "record-sheet", tmp_path / "png")


def test_weights_are_printed_to_the_balance_places(tmp_path: Path) -> None:
    api = RecordComponent("Naltrexone HCl USP", "NX-2291", date(2028, 3, 31), Decimal("152.346"))
    default = flat("\n".join(page_texts(render(tmp_path, capsules(components=(api,))))))
    assert "152.3 mg" in default and "152.35" not in default
    fine = capsules(components=(api,), balance_readability_mg=Decimal("0.01"))
    assert "152.35 mg" in flat("\n".join(page_texts(render(tmp_path, fine, "fine.pdf"))))
    whole = capsules(components=(api,), balance_readability_mg=Decimal(1))
    assert "152 mg" in flat("\n".join(page_texts(render(tmp_path, whole, "whole.pdf"))))
