"""The patient leaflet: every required element on paper, ISMP dose writing, stable bytes."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from ldn_desktop.core.directions import DosePhase
from ldn_desktop.core.dose_text import dose_text
from ldn_desktop.core.findings import InputRefused
from ldn_desktop.core.quantities import Strength
from ldn_desktop.documents import leaflet
from ldn_desktop.documents.data import LeafletData, Paper, Prescription, leaflet_from_json
from ldn_desktop.documents.fit import DoesNotFit
from ldn_desktop.documents.leaflet import (
    LeafletTextError,
    calendar_rows,
    leaflet_blocks,
    read_text,
    render_leaflet,
)
from ldn_desktop.documents.wording import date_text, label_directions
from tests.documents.leaflet_cases import REFERENCE_CASES, capsules, cream, liquid
from tests.documents.references import HAVE_PDFTOPPM, assert_matches_reference

# ISMP / Joint Commission "Do Not Use" (DOMAIN.md, "Labels and dose writing").
ISMP_BREACHES = {
    "trailing zero": re.compile(r"\d\.\d*0\s*(mg|mcg|mL)\b"),
    "naked decimal": re.compile(r"(?<![\d.])\.\d"),
    "µg": re.compile(r"[µμ]g"),
    "cc": re.compile(r"\d\s*cc\b|\bcc\b"),
    "no space before the unit": re.compile(r"\d(mg|mcg|mL)\b"),
}


def breaches(text: str) -> list[str]:
    return [
        f"{name}: {m.group(0)!r}" for name, rx in ISMP_BREACHES.items() for m in rx.finditer(text)
    ]


def render(data: LeafletData, tmp_path: Path, name: str = "leaflet.pdf") -> tuple[Path, int]:
    out = tmp_path / name
    pages = render_leaflet(data, out)
    return out, pages


def words(pdf: Path) -> str:
    """The PDF's text as pypdf extracts it, whitespace collapsed so wrapped lines read as one."""
    reader = PdfReader(pdf)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def phase_date(p: Prescription, day: int) -> date:
    return p.start_date + timedelta(days=day - 1)


def weekday_date(day: date) -> str:
    return f"{day.strftime('%a')} {date_text(day)}"


# ---------------------------------------------------------------- what is on paper


def test_capsule_leaflet_holds_every_required_element(tmp_path: Path) -> None:
    p = capsules()
    pdf, pages = render(LeafletData(p, Paper.LETTER), tmp_path)
    text = words(pdf)
    assert pages == len(PdfReader(pdf).pages) >= 2
    assert "Łukasz Żółć" in text
    assert "Naltrexone HCl 1.5 mg capsules" in text
    assert "RX-104233" in text and "L-2026-1120-03" in text
    assert "Dr Anna Kowalska" in text
    # The calendar: start date + day - 1, each dose and what to take for it.
    assert "Days 1 to 14 Fri 20 Nov 2026 to Thu 3 Dec 2026 1.5 mg 1 capsule" in text
    assert "Days 15 to 28 Fri 4 Dec 2026 to Thu 17 Dec 2026 3 mg 2 capsules" in text
    assert "Day 29 onwards From Fri 18 Dec 2026 4.5 mg 3 capsules" in text
    # How to take it: the label's directions, bedtime, morning when sleep is disturbed.
    assert "Days 1 to 14: Take 1 capsule (1.5 mg) by mouth at bedtime, then see schedule." in text
    assert "once a day at bedtime" in text
    assert "in the morning instead" in text
    # Side effects.
    for effect in ("vivid or strange dreams", "trouble sleeping", "headache"):
        assert effect in text
    # Precautions: opioids and the washout, surgery, the card, thyroid, transplant, gut.
    assert "do not take LDN together with opioid pain medicines" in text
    assert "withdrawal" in text
    assert "about two weeks before your first dose" in text
    assert "stop LDN 2 to 3 days before it" in text
    assert "Carry your LDN card" in text
    assert "Hashimoto's" in text and "thyroid hormone" in text
    assert "Organ transplant" in text and "rejecting a transplant" in text
    assert "loose stools" in text and "made as a cream" in text
    # Missed dose, storage, BUD, pharmacy.
    assert "Skip the missed dose" in text and "Never take two doses together" in text
    assert "Store at room temperature, 20 to 25 °C, in a dry place." in text
    assert "Do not use after 19 May 2027" in text
    assert "Riverside Compounding Pharmacy, 12 Mill Lane, Springfield IL 62701" in text
    assert "Telephone (217) 555-0142" in text
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "NOT VERIFIED" not in text
    assert breaches(text) == []


def test_liquid_leaflet_gives_the_millilitres_of_each_dose(tmp_path: Path) -> None:
    pdf, _ = render(LeafletData(liquid(), Paper.A4), tmp_path)
    text = words(pdf)
    assert "Naltrexone HCl 1 mg/mL oral liquid" in text
    assert "How much to measure" in text
    assert "1.5 mg 1.5 mL" in text and "3 mg 3 mL" in text and "4.5 mg 4.5 mL" in text
    assert "oral syringe" in text and "Shake the bottle well" in text
    assert "Days 1 to 14: Take 1.5 mL (1.5 mg) by mouth at bedtime" in text
    assert "Keep in the refrigerator, 2 to 8 °C." in text
    assert "must not be used after 4 Dec 2026" in text
    assert breaches(text) == []


def test_cream_leaflet_gives_the_clicks_and_its_own_gut_advice(tmp_path: Path) -> None:
    pdf, _ = render(LeafletData(cream(), Paper.A4), tmp_path)
    text = words(pdf)
    # 3 mg/mL x 0.25 mL a click = 0.75 mg a click: 4.5 mg is 6 clicks (DOMAIN.md).
    assert "Every day From Fri 20 Nov 2026 4.5 mg 6 clicks" in text
    # The leaflet's directions are the label's own (core/directions.py writes both).
    assert f"{label_directions(cream())}." in text
    assert "Apply 6 clicks (4.5 mg)" in text
    assert "Use it once a day at bedtime" in text and "use it in the morning" in text
    assert "stop using the cream and ask your prescriber" in text
    # A patient on the cream is not told to ask about the cream, nor to swallow anything.
    assert "made as a cream" not in text
    assert "Take it once a day" not in text and "Swallow" not in text
    assert "Your dose goes up step by step" not in text


def test_the_clicks_follow_the_pharmacys_calibrated_click_volume(tmp_path: Path) -> None:
    # A base measured at 0.125 mL a click: 0.375 mg a click, 4.5 mg = 12 clicks.
    p = cream(click_volume_ml=Decimal("0.125"))
    assert [row.amount for row in calendar_rows(p)] == ["12 clicks"]


def test_doses_below_1_mg_are_written_in_mcg_with_the_mg(tmp_path: Path) -> None:
    titration = (
        DosePhase(1, 7, Decimal("0.5")),
        DosePhase(8, 14, Decimal(1)),
        DosePhase(15, 21, Decimal("1.5")),
    )
    p = liquid(titration=titration, dose_mg=Decimal("1.5"), strength=Strength(Decimal("0.5"), "mL"))
    pdf, _ = render(LeafletData(p), tmp_path)
    text = words(pdf)
    assert "500 mcg (0.5 mg) 1 mL" in text
    assert "1 mg 2 mL" in text and "1.5 mg 3 mL" in text
    assert breaches(text) == []


def test_a_single_day_phase_reads_as_one_day() -> None:
    p = capsules(titration=(DosePhase(1, 1, Decimal("1.5")), DosePhase(2, 30, Decimal(3))))
    first, last = calendar_rows(p)
    assert (first.days, first.dates) == ("Day 1", "Fri 20 Nov 2026")
    assert (last.days, last.dates) == ("Day 2 onwards", "From Sat 21 Nov 2026")


def test_prescribers_own_directions_are_printed_as_written(tmp_path: Path) -> None:
    p = capsules(directions="Take 1 capsule at bedtime for 2 weeks, then 2 capsules")
    pdf, _ = render(LeafletData(p), tmp_path)
    assert "Take 1 capsule at bedtime for 2 weeks, then 2 capsules." in words(pdf)


@pytest.mark.parametrize(
    ("days", "words_"), [((2, 3), "2 to 3 days"), ((5, 5), "5 days"), ((1, 1), "1 day")]
)
def test_surgery_stop_days_come_from_the_setting(tmp_path: Path, days, words_) -> None:
    pdf, _ = render(LeafletData(capsules(), surgery_stop_days=days), tmp_path)
    assert f"stop LDN {words_} before it" in words(pdf)


def test_not_verified_leaflet_says_so_on_every_page(tmp_path: Path) -> None:
    pdf, _ = render(LeafletData(capsules(verified=False)), tmp_path)
    pages = PdfReader(pdf).pages
    assert len(pages) > 1
    for page in pages:
        assert "NOT VERIFIED — DO NOT DISPENSE" in page.extract_text()


def test_names_with_markup_characters_print_literally(tmp_path: Path) -> None:
    p = capsules(patient=replace(capsules().patient, name="Zoë <b>O'Brien</b> & Søn"))
    pdf, _ = render(LeafletData(p), tmp_path)
    assert "Zoë <b>O'Brien</b> & Søn" in words(pdf)


# ---------------------------------------------------------------- paper, bytes, refusals


@pytest.mark.parametrize(
    ("paper", "size"), [(Paper.LETTER, (612.0, 792.0)), (Paper.A4, (595.2756, 841.8898))]
)
def test_page_size_follows_the_paper_setting(tmp_path: Path, paper: Paper, size) -> None:
    pdf, _ = render(LeafletData(capsules(), paper), tmp_path)
    for page in PdfReader(pdf).pages:
        assert float(page.mediabox.width) == pytest.approx(size[0], abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(size[1], abs=0.01)


def test_same_data_gives_the_same_bytes(tmp_path: Path) -> None:
    data = LeafletData(liquid(), Paper.A4)
    first, _ = render(data, tmp_path, "one.pdf")
    second, _ = render(data, tmp_path, "two.pdf")
    assert first.read_bytes() == second.read_bytes()
    other, _ = render(replace(data, prescription=liquid(lot="L-OTHER")), tmp_path, "three.pdf")
    assert other.read_bytes() != first.read_bytes()


def test_writes_to_an_open_binary_file_as_the_command_line_does(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    pages = render_leaflet(LeafletData(capsules()), buffer)
    path_pdf, _ = render(LeafletData(capsules()), tmp_path)
    assert buffer.getvalue() == path_pdf.read_bytes()
    assert pages == len(PdfReader(buffer).pages)


def test_the_font_is_embedded(tmp_path: Path) -> None:
    pdf, _ = render(LeafletData(capsules()), tmp_path)
    fonts = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in font["/FontDescriptor"]
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVuSans" in name for name in fonts), fonts


def test_a_dose_the_patient_cannot_measure_stops_before_anything_is_written(tmp_path: Path) -> None:
    # 1 mg from 1.5 mg capsules is not a whole number of capsules.
    p = capsules(titration=(DosePhase(1, 14, Decimal(1)), DosePhase(15, 28, Decimal(3))))
    out = tmp_path / "leaflet.pdf"
    with pytest.raises(InputRefused) as refused:
        render_leaflet(LeafletData(p), out)
    assert refused.value.field == "titration[0].dose"
    assert not out.exists()


def test_leaflet_from_json_renders(tmp_path: Path) -> None:
    raw = {
        "patient": {"name": "Ana Núñez", "dob": "1980-02-29"},
        "prescriber": "Dr Lee",
        "rx_number": "RX-9",
        "form": "oral-liquid",
        "dose": "4.5mg",
        "strength": "1mg/mL",
        "quantity": "100mL",
        "lot": "L-9",
        "bud": "2026-12-04",
        "storage": "Keep in the refrigerator",
        "start_date": "2026-11-20",
        "verified": True,
        "paper": "a4",
        "surgery_stop_days": [3, 4],
        "pharmacy": {"name": "Mill Pharmacy", "address": "1 Mill St", "phone": "555-0199"},
    }
    pdf, _ = render(leaflet_from_json(raw), tmp_path)
    text = words(pdf)
    assert "Ana Núñez" in text and "4.5 mg 4.5 mL" in text and "stop LDN 3 to 4 days" in text
    assert float(PdfReader(pdf).pages[0].mediabox.width) == pytest.approx(595.2756, abs=0.01)


# ---------------------------------------------------------------- the text file


def use_text(monkeypatch: pytest.MonkeyPatch, main_text: str) -> None:
    real = leaflet.read_text
    monkeypatch.setattr(
        leaflet, "read_text", lambda name: main_text if name == "en.txt" else real(name)
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# Title\n{patient_nam}\n[[schedule]]\n", "unknown fact {patient_nam}"),
        ("# Title\n- [tablet] Swallow\n[[schedule]]\n", "unknown condition [tablet]"),
        ("# Title\nNo calendar here.\n", "no [[schedule]] line"),
        ("Not a heading\n[[schedule]]\n", "must start with a # heading"),
    ],
)
def test_a_broken_text_file_is_refused_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    use_text(monkeypatch, text)
    out = tmp_path / "leaflet.pdf"
    with pytest.raises(LeafletTextError, match=re.escape(message)) as error:
        render_leaflet(LeafletData(capsules()), out)
    assert isinstance(error.value, DoesNotFit)  # the CLI reports it as one line
    assert not out.exists()


def test_the_shipped_text_uses_only_known_facts_and_conditions() -> None:
    for p in (capsules(), liquid(), cream(), capsules(titration=())):
        blocks = leaflet_blocks(read_text("en.txt"), LeafletData(p))
        kinds = [block.kind for block in blocks]
        assert kinds[0] == "heading" and kinds.count("schedule") == 1
        for block in blocks:
            assert "{" not in block.markup and "[" not in block.markup
            assert "**" not in block.markup


def test_paragraph_lines_join_and_conditions_apply_to_paragraphs(monkeypatch) -> None:
    text = "# T\nOne line\nand the next.\n[titration] Only when titrated.\n\n[[schedule]]\n"
    plain = leaflet_blocks(text, LeafletData(capsules(titration=())))
    titrated = leaflet_blocks(text, LeafletData(capsules()))
    assert [b.markup for b in plain if b.kind == "paragraph"] == ["One line and the next."]
    assert [b.markup for b in titrated if b.kind == "paragraph"] == [
        "One line and the next. Only when titrated."
    ]


# ---------------------------------------------------------------- every dose, ISMP

doses = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("4.5"), places=3)


@given(st.lists(doses, min_size=1, max_size=6), st.integers(min_value=1, max_value=21))
def test_every_calendar_dose_is_written_the_ismp_way(
    phase_doses: list[Decimal], length: int
) -> None:
    phases = tuple(
        DosePhase(i * length + 1, (i + 1) * length, dose) for i, dose in enumerate(phase_doses)
    )
    # Each dose is one capsule of its own strength, so every dose is measurable.
    p = capsules(titration=phases, capsule_mg=None, dose_mg=phase_doses[-1])
    rows = calendar_rows(p)
    for row, phase in zip(rows, phases, strict=True):
        assert row.dose == dose_text(phase.dose_mg)
        assert breaches(row.dose) == [], row.dose
        assert row.amount == "1 capsule"
    blocks = leaflet_blocks(read_text("en.txt"), LeafletData(p))
    assert breaches(" ".join(block.markup for block in blocks)) == []


@given(st.lists(st.integers(min_value=1, max_value=45), min_size=1, max_size=5))
def test_liquid_mL_is_written_the_ismp_way(tenths: list[int]) -> None:
    # 0.1 to 4.5 mg of a 1 mg/mL liquid: the mL equals the mg.
    phases = tuple(DosePhase(i * 7 + 1, i * 7 + 7, Decimal(t) / 10) for i, t in enumerate(tenths))
    p = liquid(titration=phases)
    for row, phase in zip(calendar_rows(p), phases, strict=True):
        assert breaches(f"{row.dose} {row.amount}") == []
        assert row.amount.endswith(" mL")
        assert Decimal(row.amount.removesuffix(" mL")) == phase.dose_mg


# ---------------------------------------------------------------- how it looks


@pytest.mark.skipif(not HAVE_PDFTOPPM, reason="pdftoppm (poppler-utils) draws the pages")
@pytest.mark.parametrize("name", sorted(REFERENCE_CASES))
def test_leaflet_looks_as_it_did_when_a_person_last_checked_it(tmp_path: Path, name: str) -> None:
    pdf, _ = render(REFERENCE_CASES[name], tmp_path)
    assert_matches_reference(name, pdf)


def test_long_names_print_whole_on_every_page(tmp_path: Path) -> None:
    """Nothing is clipped: a 120-character name shrinks, then wraps, in the footer too."""
    name = " ".join(["Maximiliana-Wilhelmina Szczepańska-Żółkiewska"] * 3)[:120].strip()
    pharmacy = replace(
        capsules().pharmacy, name="The Very Long Named Riverside Community Compounding Pharmacy"
    )
    p = capsules(patient=replace(capsules().patient, name=name), pharmacy=pharmacy)
    pdf, _ = render(LeafletData(p, Paper.A4), tmp_path)
    for page in PdfReader(pdf).pages:
        text = " ".join(page.extract_text().split())
        assert f"{name} · Rx RX-104233" in text
        assert pharmacy.name in text
