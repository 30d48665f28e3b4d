"""Shared test set-up: every test gets a clean environment and its own Dagster home, and never
touches data/ (the user's inbox and warehouse)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pipelines.settings import ENV_AS_OF, ENV_CONFIG, ENV_DB, ENV_INBOX

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> None:
    for name in (ENV_INBOX, ENV_DB, ENV_AS_OF, ENV_CONFIG, "DAGSTER_HOME"):
        # setenv then delenv records the variable as absent, so anything the code under test
        # exports (the CLI exports its settings) is removed again afterwards.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path_factory.mktemp("dagster_home")))


def write_export(root: Path, name: str, files: dict[str, bytes], *, as_zip: bool = False) -> Path:
    """A LinkedIn-style export folder (or zip) named `name` holding `files`."""
    root.mkdir(parents=True, exist_ok=True)
    if as_zip:
        target = root / f"{name}.zip"
        with zipfile.ZipFile(target, "w") as zf:
            for member, data in files.items():
                zf.writestr(member, data)
        return target
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for member, data in files.items():
        (folder / member).write_bytes(data)
    return folder


def fixture_bytes(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()
