"""Shared test set-up: Qt offscreen, and every test's data in its own temporary folder."""

from __future__ import annotations

import os

# Without a screen and without this, Qt aborts the interpreter (PLATFORM.md).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import HealthCheck, settings

from ldn_desktop.paths import DATA_DIR_ENV

settings.register_profile(
    "ci", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test ever touches the real user's database, backups or settings."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path_factory.mktemp("ldn-data")))
