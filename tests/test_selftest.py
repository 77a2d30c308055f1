"""`ldn-desktop --selftest` from source: passes on a whole installation, names what is broken."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

import ldn_desktop.paths
from ldn_desktop import selftest
from ldn_desktop.cli import main
from ldn_desktop.paths import DATA_DIR_ENV, resources_dir


def _lines(text: str) -> dict[str, str]:
    """The report's check lines by check name: {'label': '  ok     label  ...'}."""
    names = [name for name, _check in selftest.CHECKS]
    found = {}
    for line in text.splitlines():
        after_mark = line.strip()[len("FAILED ") :]
        for name in names:
            if after_mark.startswith(f"{name} "):
                found[name] = line
    return found


def test_a_whole_installation_passes_every_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--selftest"]) == 0
    out = capsys.readouterr().out
    lines = _lines(out)
    assert set(lines) == {name for name, _ in selftest.CHECKS}
    assert all(line.strip().startswith("ok") for line in lines.values()), out
    assert "make 33, drug 148.5 mg, weigh 151.5 mg" in lines["calculation"]
    assert str(resources_dir()) in lines["resources"]
    assert "self-test passed: 7 checks" in out


def test_it_leaves_the_data_folder_setting_as_it_found_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = os.environ[DATA_DIR_ENV]
    selftest.run_selftest()
    assert os.environ[DATA_DIR_ENV] == before
    assert not any(Path(before).iterdir())  # nothing written to the real data folder


def test_a_missing_resource_fails_and_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "resources"
    shutil.copytree(resources_dir(), broken)
    (broken / "leaflet" / "en.txt").unlink()
    monkeypatch.setattr(ldn_desktop.paths, "resources_dir", lambda: broken)

    assert selftest.run_selftest() == 1
    captured = capsys.readouterr()
    lines = _lines(captured.out)
    assert "FAILED" in lines["resources"]
    assert "en.txt" in lines["resources"]
    assert "FAILED" in lines["leaflet"]  # the leaflet's text is that file
    assert lines["calculation"].strip().startswith("ok")
    assert "self-test FAILED: resources, leaflet" in captured.err


def test_a_wrong_calculation_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ldn_desktop.core.capsules as capsules

    real = capsules.plan_capsules
    monkeypatch.setattr(
        capsules,
        "plan_capsules",
        lambda order: dataclasses.replace(real(order), units_to_make=30),
    )
    assert selftest.run_selftest() == 1
    line = _lines(capsys.readouterr().out)["calculation"]
    assert "FAILED" in line
    assert "expected (33, '148.5 mg', '151.5 mg')" in line


def test_without_a_database_the_checks_that_need_one_are_skipped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ldn_desktop.store

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(ldn_desktop.store, "open_store", refuse)
    assert selftest.run_selftest() == 1
    captured = capsys.readouterr()
    lines = _lines(captured.out)
    assert "OSError: disk full" in lines["database"]
    for name in selftest.NEEDS_STORE:
        assert "skipped: no database" in lines[name]
    assert "database" in captured.err


def test_every_resources_folder_has_a_file_the_selftest_requires() -> None:
    """A new kind of resource must be added to the self-test, or a bundle missing it passes."""
    folders = {p.name for p in resources_dir().iterdir() if p.is_dir() and any(p.iterdir())}
    required = {parts[0] for parts in selftest.REQUIRED_RESOURCES}
    assert folders <= required, f"add a file from {sorted(folders - required)} to the self-test"
