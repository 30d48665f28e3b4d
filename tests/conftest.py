"""Shared test set-up: every test gets a clean environment and its own Dagster home, and never
touches data/ (the user's inbox and warehouse)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipelines.settings import (
    DEFAULT_SAMPLE,
    ENV_AS_OF,
    ENV_CONFIG,
    ENV_DB,
    ENV_INBOX,
    SAMPLE_AS_OF,
    SAMPLE_CONFIG,
    load_settings,
)

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


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


def refresh_with_cli(env: dict[str, str]) -> subprocess.Popen:
    """`constellation refresh` in its own process, as a user runs it, with the settings in `env`."""
    found = shutil.which("constellation", path=str(Path(sys.executable).parent))
    command = [found] if found else [sys.executable, "-m", "pipelines.cli"]
    return subprocess.Popen(
        [*command, "refresh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def sample_env(root: Path, inbox: Path = DEFAULT_SAMPLE) -> dict[str, str]:
    """The settings of a sample warehouse under `root`: the bundled sample's configuration (its
    goals) and as-of date, a warehouse and a Dagster home of its own."""
    return {
        ENV_INBOX: str(inbox),
        ENV_DB: str(root / "warehouse.duckdb"),
        ENV_CONFIG: str(SAMPLE_CONFIG),
        ENV_AS_OF: SAMPLE_AS_OF.isoformat(),
        "DAGSTER_HOME": str(root / "dagster_home"),
    }


@pytest.fixture(scope="session")
def sample_built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The settings of a warehouse `constellation refresh` built from the bundled sample, built
    once for the whole run (the test workers share it: the first one builds it under a lock).
    Treat it as read-only; a test that writes takes `copy_of_sample`."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder all workers' temporary folders live in
    root = shared / "sample_warehouse"
    root.mkdir(exist_ok=True)
    settings = sample_env(root)
    with (shared / "sample_warehouse.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / "built.txt"
        if not done.exists():
            run = refresh_with_cli({**os.environ, **settings})
            output, _ = run.communicate(timeout=600)
            assert run.returncode == 0, output
            done.write_text(output)
    return settings


def copy_of_sample(sample_built: dict[str, str], root: Path, inbox: Path = DEFAULT_SAMPLE):
    """A copy of the shared sample warehouse and its snapshot under `root`, which the caller may
    write to and refresh again; its settings."""
    source = load_settings(db_path=Path(sample_built[ENV_DB]))
    root.mkdir(parents=True, exist_ok=True)
    settings = sample_env(root, inbox)
    copy = load_settings(db_path=Path(settings[ENV_DB]))
    shutil.copy(source.db_path, copy.db_path)
    shutil.copy(source.snapshot_path, copy.snapshot_path)
    return settings
