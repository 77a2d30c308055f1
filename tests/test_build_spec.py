"""build.spec and packaging/buildinfo.py, checked without running PyInstaller.

The spec is executed with recording stand-ins for PyInstaller's build steps (Analysis,
EXE, COLLECT, BUNDLE), once per operating system, and what it would build is inspected.
"""

from __future__ import annotations

import ast
import pkgutil
import sys
from pathlib import Path
from typing import Any

import pytest

import ldn_desktop.cli
from ldn_desktop import __version__
from ldn_desktop.paths import resources_dir

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
sys.path.insert(0, str(ROOT / "packaging"))
import buildinfo  # noqa: E402


class Step:
    """Records one PyInstaller build step's arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        self.binaries: list[tuple[str, str, str]] = [
            ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
            ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY"),
            ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", "/x/libqsqlite.so", "BINARY"),
        ]
        self.datas: list[tuple[str, str, str]] = []
        self.pure: list[Any] = []
        self.scripts: list[Any] = []


def run_spec(platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(sys, "platform", platform)
    steps: dict[str, Any] = {}

    def recorder(name: str) -> Any:
        def make(*args: Any, **kwargs: Any) -> Step:
            steps[name] = Step(*args, **kwargs)
            return steps[name]

        return make

    namespace = {
        "SPECPATH": str(ROOT),
        "workpath": str(tmp_path),
        "__file__": str(SPEC),
        **{name: recorder(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")},
    }
    saved_path = list(sys.path)
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        sys.path[:] = saved_path
    return steps


@pytest.fixture(scope="module")
def linux(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as mp:
        return run_spec("linux", tmp_path_factory.mktemp("spec"), mp)


def test_the_spec_is_valid_python() -> None:
    ast.parse(SPEC.read_text(encoding="utf-8"), str(SPEC))


def test_it_bundles_the_whole_resources_folder_where_the_app_looks(linux: dict[str, Any]) -> None:
    datas = linux["Analysis"].kwargs["datas"]
    assert (str(resources_dir()), "resources") in datas
    # resources_dir() frozen is <_MEIPASS>/resources: the same name inside the bundle.
    bundled = {Path(src).name for src, _dest in datas}
    assert "resources" in bundled


def test_every_cli_command_module_is_a_hidden_import(linux: dict[str, Any]) -> None:
    hidden = set(linux["Analysis"].kwargs["hiddenimports"])
    commands = {f"ldn_desktop.cli.{m.name}" for m in pkgutil.iter_modules(ldn_desktop.cli.__path__)}
    assert commands, "no CLI modules found"
    assert commands <= hidden
    assert {"ldn_desktop.selftest", "ldn_desktop.ui.app"} <= hidden


def test_unused_qt_is_left_out_and_linux_is_stripped(linux: dict[str, Any]) -> None:
    assert "PySide6.QtQml" in linux["Analysis"].kwargs["excludes"]
    assert linux["Analysis"].binaries == [
        ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY"),
    ]
    assert linux["EXE"].kwargs["strip"] is True
    assert linux["COLLECT"].kwargs["strip"] is True
    assert linux["COLLECT"].kwargs["name"] == "ldn-desktop"
    assert linux["EXE"].kwargs["console"] is True
    assert "BUNDLE" not in linux


def test_windows_gets_a_version_resource_and_the_ico(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = run_spec("win32", tmp_path, monkeypatch)
    exe = steps["EXE"].kwargs
    assert exe["strip"] is False
    assert exe["console"] is False  # no console window behind the app
    assert Path(exe["icon"]).name == "ldn-desktop.ico" and Path(exe["icon"]).is_file()
    text = Path(exe["version"]).read_text(encoding="utf-8")
    ast.parse(text, mode="eval")
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert f"filevers={buildinfo.version_tuple(__version__)}" in text


def test_macos_gets_an_app_bundle_with_its_info_plist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = run_spec("darwin", tmp_path, monkeypatch)
    bundle = steps["BUNDLE"].kwargs
    assert bundle["name"] == "LDN Desktop.app"
    assert Path(bundle["icon"]).name == "ldn-desktop.icns" and Path(bundle["icon"]).is_file()
    assert bundle["info_plist"]["CFBundleShortVersionString"] == __version__
    assert bundle["bundle_identifier"] == buildinfo.BUNDLE_ID
    assert steps["EXE"].kwargs["strip"] is False  # stripping breaks the code signature
    assert steps["EXE"].kwargs["console"] is False  # an app bundle, not a Terminal program


@pytest.mark.parametrize(
    ("version", "expected"), [("0.1.0", (0, 1, 0, 0)), ("12.3.45", (12, 3, 45, 0))]
)
def test_version_tuple(version: str, expected: tuple[int, int, int, int]) -> None:
    assert buildinfo.version_tuple(version) == expected


@pytest.mark.parametrize("version", ["1.2", "1.2.3rc1", "v1.2.3", ""])
def test_a_version_windows_cannot_show_is_refused(version: str) -> None:
    with pytest.raises(ValueError, match=r"MAJOR\.MINOR\.PATCH"):
        buildinfo.version_tuple(version)


def test_the_package_version_suits_every_installer() -> None:
    buildinfo.version_tuple(__version__)


@pytest.mark.parametrize(
    ("destination", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6\\plugins\\tls\\qopensslbackend.dll", False),
        ("PySide6/Qt/lib/libQt6Network.so.6", True),
        ("PySide6/Qt/plugins", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6\\translations\\qtbase_de.qm", False),
        ("resources/leaflet/en.txt", True),
    ],
)
def test_keep_qt_file(destination: str, kept: bool) -> None:
    assert buildinfo.keep_qt_file(destination) is kept


def test_the_icons_the_recipes_name_exist() -> None:
    icons = resources_dir() / "icons"
    for name in ("ldn-desktop.svg", "ldn-desktop.ico", "ldn-desktop.icns", "ldn-desktop-256.png"):
        assert (icons / name).stat().st_size > 0
    iss = (ROOT / "packaging" / "windows" / "ldn-desktop.iss").read_text(encoding="utf-8")
    assert r"resources\icons\ldn-desktop.ico" in iss
    desktop = (ROOT / "packaging" / "linux" / "ldn-desktop.desktop").read_text(encoding="utf-8")
    assert "Icon=ldn-desktop\n" in desktop and "Exec=ldn-desktop\n" in desktop


@pytest.mark.parametrize(
    ("destination", "kept"),
    [
        ("libcairo.so.2", False),
        ("libpango-1.0.so.0", False),
        ("libfreetype.so.6", True),  # QtGui's fonts
        ("libpng16.so.16", True),  # freetype needs it
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/lib/libQt6Gui.so.6", True),
    ],
)
def test_keep_binary(destination: str, kept: bool) -> None:
    assert buildinfo.keep_binary(destination) is kept
