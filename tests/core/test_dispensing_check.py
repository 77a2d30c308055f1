from __future__ import annotations

from decimal import Decimal

import pytest

from ldn_desktop.core.dispensing_check import DoseStatement, three_way_check
from ldn_desktop.core.findings import InputRefused, Severity

RX = DoseStatement("prescription", Decimal("4.5"))
BATCH = DoseStatement("batch", Decimal("4.50"), Decimal(1), "mL")
LABEL = DoseStatement("label", Decimal("4.5"), Decimal("1.0"), "mL")


def test_three_that_agree_pass() -> None:
    check = three_way_check(RX, BATCH, LABEL)
    assert check.agrees
    assert check.findings == ()
    assert check.steps[-1] == "All three agree."
    assert check.steps[0] == "Prescription: 4.5 mg, no strength."
    assert check.to_dict()["agrees"] is True


def test_a_wrong_label_dose_is_a_stop_naming_the_pairs() -> None:
    label = DoseStatement("label", Decimal(45), Decimal(1), "mL")
    check = three_way_check(RX, BATCH, label)
    assert not check.agrees
    assert [f.code for f in check.findings] == ["dose-mismatch", "dose-mismatch"]
    assert all(f.severity is Severity.STOP for f in check.findings)
    assert "The prescription says 4.5 mg but the label says 45 mg" in check.findings[0].message
    assert "The batch says 4.5 mg but the label says 45 mg" in check.findings[1].message


def test_a_wrong_strength_is_a_stop() -> None:
    label = DoseStatement("label", Decimal("4.5"), Decimal(5), "mL")
    (finding,) = three_way_check(RX, BATCH, label).findings
    assert finding.code == "strength-mismatch"
    assert "The batch says 1 mg/mL but the label says 5 mg/mL" in finding.message
    per_g = DoseStatement("label", Decimal("4.5"), Decimal(1), "g")
    assert three_way_check(RX, BATCH, per_g).findings[0].code == "strength-mismatch"


def test_a_label_without_the_batch_strength_is_a_stop() -> None:
    (finding,) = three_way_check(RX, BATCH, DoseStatement("label", Decimal("4.5"))).findings
    assert finding.code == "label-without-strength"


def test_capsules_compare_mg_per_capsule() -> None:
    batch = DoseStatement("batch", Decimal("0.5"), Decimal("0.5"), "capsule")
    label = DoseStatement("label", Decimal("0.5"), Decimal("0.5"), "capsule")
    assert three_way_check(DoseStatement("prescription", Decimal("0.5")), batch, label).agrees


@pytest.mark.parametrize(
    "bad",
    [
        DoseStatement("label", Decimal(0)),
        DoseStatement("label", Decimal("NaN")),
        DoseStatement("label", Decimal(1), Decimal(1), None),
        DoseStatement("label", Decimal(1), Decimal(-1), "mL"),
        DoseStatement("label", Decimal(1), Decimal(1), "tsp"),
    ],
)
def test_unusable_statements_are_refused(bad: DoseStatement) -> None:
    with pytest.raises(InputRefused) as refused:
        three_way_check(RX, BATCH, bad)
    assert refused.value.field == "label"
