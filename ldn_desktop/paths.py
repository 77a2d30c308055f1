"""Where the app's files are: bundled resources, and the pharmacy's own data.

One helper finds `resources/` both from a source checkout and from the frozen
(PyInstaller) build, so leaflet text, label stocks and fonts are found the same way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "LDN Desktop"
APP_AUTHOR = "LDN Desktop"

#: Set to a folder to keep all of the app's data (database, backups, settings) there.
DATA_DIR_ENV = "LDN_DESKTOP_DATA_DIR"


def resources_dir() -> Path:
    """The `resources/` folder: next to the frozen executable's bundle, or the source tree."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A file under `resources/`, e.g. resource_path("leaflet", "en.txt")."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"resource missing from this installation: {path}")
    return path


def data_dir() -> Path:
    """The folder for the pharmacy's database and backups (platformdirs' user data dir)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def default_database_path() -> Path:
    return data_dir() / "ldn-desktop.sqlite3"
