from __future__ import annotations

from ldn_desktop.core.findings import Finding, InputRefused, Severity, has_stop


def test_a_finding_goes_to_json_with_its_severity_as_text() -> None:
    finding = Finding("dose-above-usual-range", Severity.WARNING, "Check it.", "dose")
    assert finding.to_dict() == {
        "code": "dose-above-usual-range",
        "severity": "warning",
        "message": "Check it.",
        "field": "dose",
    }


def test_only_a_stop_forbids_making_the_preparation() -> None:
    info = Finding("a", Severity.INFO, "x")
    warning = Finding("b", Severity.WARNING, "y")
    stop = Finding("c", Severity.STOP, "z")
    assert not has_stop([info, warning])
    assert has_stop([info, stop])
    assert not has_stop([])


def test_a_refusal_names_its_field() -> None:
    refused = InputRefused("dose", "has no unit")
    assert refused.field == "dose"
    assert refused.message == "has no unit"
    assert str(refused) == "dose: has no unit"


def test_a_refusal_quoting_typed_text_stays_on_one_line() -> None:
    refused = InputRefused("dose", "'4.5\nmg' is not a mass")
    assert str(refused) == "dose: '4.5\\nmg' is not a mass"
    assert "\n" not in str(refused)
