"""Reading document data from JSON: good data in, one refusal naming the field otherwise."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from ldn_desktop.core.findings import InputRefused
from ldn_desktop.documents.data import (
    Form,
    Paper,
    leaflet_from_json,
    prescription_from_json,
    prescriptions_from_json,
    record_from_json,
)
from ldn_desktop.paths import resource_path
from tests.documents.helpers import sample


def test_a_titrated_liquid_reads_exactly() -> None:
    p = prescription_from_json(sample("liquid-titration"))
    assert p.patient.name == "Łukasz Żółć"
    assert p.form is Form.ORAL_LIQUID
    assert p.dose_mg == D("4.5") and p.quantity == D(100)
    assert p.strength is not None and (p.strength.mg, p.strength.per) == (D(1), "mL")
    assert [(t.from_day, t.to_day, t.dose_mg) for t in p.titration] == [
        (1, 14, D("1.5")),
        (15, 28, D(3)),
        (29, 90, D("4.5")),
    ]
    # Calendar dates: start date + day − 1.
    assert p.phase_dates(p.titration[1]) == (date(2026, 12, 4), date(2026, 12, 17))
    assert p.date_filled == date(2026, 11, 20)
    assert p.prescriber.phone == "(555) 201-3344"


def test_capsules_cream_and_leaflet_settings() -> None:
    capsules = prescription_from_json(sample("capsules"))
    assert capsules.quantity == 30 and capsules.strength is None and capsules.capsule_mg is None
    assert capsules.prescriber.name == "Dr Samuel Lee"
    cream = leaflet_from_json(sample("cream"))
    assert cream.paper is Paper.A4 and cream.surgery_stop_days == (2, 3)
    assert cream.prescription.titration[0].dose_mg == D("0.75")
    assert cream.prescription.click_volume_ml == D("0.25")


def test_many_labels_in_one_file_name_the_label_at_fault() -> None:
    one = sample("capsules")
    assert len(prescriptions_from_json({"labels": [one, one]})) == 2
    bad = copy.deepcopy(one)
    bad["rx_number"] = ""
    with pytest.raises(InputRefused) as refused:
        prescriptions_from_json({"labels": [one, bad]})
    assert refused.value.field == "labels[1].rx_number"
    with pytest.raises(InputRefused, match="labels: must be a non-empty list"):
        prescriptions_from_json({"labels": []})


def _broken(name: str, path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(sample(name))
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is KeyError:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("patient.name", KeyError, "patient.name"),
        ("patient.name", "   ", "patient.name"),
        ("patient.dob", "03/04/1968", "patient.dob"),
        ("dose", "4.5", "dose"),
        ("dose", "50.5mg", "dose"),
        ("dose", "0mg", "dose"),
        ("form", "tablet", "form"),
        ("strength", "1mg/g", "strength"),
        ("strength", "0mg/mL", "strength"),
        ("quantity", "100", "quantity"),
        ("quantity", "0mL", "quantity"),
        ("verified", "yes", "verified"),
        ("bud", "2026-11-01", "bud"),
        ("pharmacy.phone", KeyError, "pharmacy.phone"),
        ("prescriber", {"phone": "1"}, "prescriber.name"),
        ("titration.1.from_day", 16, "titration[1].from_day"),
        ("titration.1.to_day", 3, "titration[1].to_day"),
        ("titration.1.dose", "3", "titration[1].dose"),
        ("titration.0.from_day", True, "titration[0].from_day"),
        ("titration", {"a": 1}, "titration"),
        ("lot", "L1\r", "lot"),
    ],
)
def test_bad_prescription_fields_are_named(path: str, value: Any, field: str) -> None:
    with pytest.raises(InputRefused) as refused:
        prescription_from_json(_broken("liquid-titration", path, value))
    assert refused.value.field == field


def test_patient_must_be_an_object_and_cream_click_volume_positive() -> None:
    with pytest.raises(InputRefused, match="patient: must be a JSON object"):
        prescription_from_json(_broken("capsules", "patient", "Jo"))
    with pytest.raises(InputRefused) as refused:
        prescription_from_json(_broken("cream", "click_volume", "0mL"))
    assert refused.value.field == "click_volume"


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("paper", "legal", "paper"),
        ("surgery_stop_days", [3], "surgery_stop_days"),
        ("surgery_stop_days", [3, 2], "surgery_stop_days"),
        ("surgery_stop_days", [0, 2], "surgery_stop_days[0]"),
    ],
)
def test_bad_leaflet_settings_are_named(key: str, value: Any, field: str) -> None:
    data = sample("cream")
    data[key] = value
    with pytest.raises(InputRefused) as refused:
        leaflet_from_json(data)
    assert refused.value.field == field


def test_a_record_reads_exactly() -> None:
    r = record_from_json(sample("record-capsules"))
    assert r.units_made == 33 and r.formula_version == "3"
    assert r.components[1].weighed_mg == D("6451.5")
    assert r.signatures[1].meaning == "verified" and r.signatures[1].at.hour == 11
    assert r.quality_checks[0].passed is True


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("components.0.weight", "151.5", "components[0].weight"),
        ("components.0.weight", "0mg", "components[0].weight"),
        ("components.1.expiry", "soon", "components[1].expiry"),
        ("signatures.0.time", "at ten", "signatures[0].time"),
        ("quality_checks.0.passed", None, "quality_checks[0].passed"),
        ("steps", ["ok", ""], "steps[1]"),
        ("formula", KeyError, "formula"),
        ("units_made", 0, "units_made"),
    ],
)
def test_bad_record_fields_are_named(path: str, value: Any, field: str) -> None:
    with pytest.raises(InputRefused) as refused:
        record_from_json(_broken("record-capsules", path, value))
    assert refused.value.field == field


SCHEMA = json.loads(
    resource_path("schema", "document-data.schema.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(
    ("definition", "sample_name", "reader"),
    [
        ("prescription", "liquid-titration", prescription_from_json),
        ("prescription", "cream", leaflet_from_json),
        ("record", "record-capsules", record_from_json),
    ],
)
def test_the_schema_matches_what_the_reader_accepts(
    definition: str, sample_name: str, reader: Any
) -> None:
    shape = SCHEMA["$defs"][definition]
    data = sample(sample_name)
    assert set(data) <= set(shape["properties"])  # the examples use documented keys only
    for key in shape["required"]:
        missing = {k: v for k, v in data.items() if k != key}
        with pytest.raises(InputRefused) as refused:
            reader(missing)
        assert refused.value.field.split(".")[0].split("[")[0] == key


def test_a_capsule_strength_is_one_capsules_content() -> None:
    p = prescription_from_json(sample("capsules") | {"strength": "1.5mg"})
    assert p.capsule_mg == D("1.5") and p.strength is None


def test_a_record_names_its_balance_or_keeps_one_place() -> None:
    assert record_from_json(sample("record-capsules")).balance_readability_mg == D("0.1")
    fine = record_from_json(sample("record-capsules") | {"balance": "0.01mg"})
    assert fine.balance_readability_mg == D("0.01")
    for bad in ("0mg", "0.01", "a tenth"):
        with pytest.raises(InputRefused) as refused:
            record_from_json(sample("record-capsules") | {"balance": bad})
        assert refused.value.field == "balance"
