"""A published snapshot built by the real pipeline from a tiny inbox, shared by the dashboard
tests, and the environment that points the dashboard at it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.defs.quality.inbox_files import inbox_files
from pipelines.defs.raw.linkedin import linkedin_connections
from pipelines.defs.resources import ConstellationResource
from pipelines.settings import (
    ENV_DB,
    ENV_INBOX,
    load_settings,
)
from tests.conftest import copy_of_sample, fixture_bytes, write_export

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Built:
    inbox: Path
    db_path: Path

    @property
    def snapshot_path(self) -> Path:
        return load_settings(inbox=self.inbox, db_path=self.db_path).snapshot_path


def fill_inbox(inbox: Path) -> None:
    """Two LinkedIn exports, both with rows that must be quarantined and values that must be
    left out, and a file not used."""
    write_export(
        inbox,
        "Basic_LinkedInDataExport_03-15-2024",
        {"Connections.csv": fixture_bytes("linkedin/connections_2024.csv")},
    )
    write_export(
        inbox,
        "Basic_LinkedInDataExport_01-10-2022",
        {
            "Connections.csv": fixture_bytes("linkedin/connections_2022.csv")
            + b"\nBad,Date,,Acme,CTO,31 Foo 2022\nToo,Few\n"
        },
    )
    (inbox / "holiday-notes.txt").write_text("not an export\n")


def refresh(inbox: Path, db_path: Path) -> None:
    """Materialise the real assets the dashboard reads today, then publish the snapshot as the
    refresh job does. (Only these assets: the tests stay independent of unrelated ones.)"""
    resource = ConstellationResource(inbox=str(inbox), db_path=str(db_path))
    result = dg.materialize(
        [inbox_files, linkedin_connections],
        resources={"constellation": resource},
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success, "the refresh of the dashboard fixture failed"
    settings = resource.settings()
    warehouse.publish_snapshot(settings.db_path, settings.snapshot_path)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("dashboard_warehouse")
    inbox = root / "inbox"
    fill_inbox(inbox)
    result = Built(inbox, root / "warehouse.duckdb")
    refresh(result.inbox, result.db_path)
    assert result.snapshot_path.exists()
    return result


@pytest.fixture
def dashboard_env(built: Built, monkeypatch: pytest.MonkeyPatch) -> Built:
    """Point the dashboard (in this process) at the built warehouse, as the CLI would."""
    monkeypatch.setenv(ENV_INBOX, str(built.inbox))
    monkeypatch.setenv(ENV_DB, str(built.db_path))
    return built


@pytest.fixture
def empty_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A dashboard with no snapshot published yet."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setenv(ENV_INBOX, str(inbox))
    monkeypatch.setenv(ENV_DB, str(tmp_path / "warehouse.duckdb"))
    return inbox


@pytest.fixture
def sample_dashboard(
    sample_built: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the dashboard (in this process) at a copy of the sample warehouse of this test's
    own; its snapshot path. The dashboard writes the user's feedback and people logs beside the
    warehouse, so a shared warehouse would let one test worker's feedback leak into (or be wiped
    by) another's: every test gets its own, starting with empty logs."""
    for name, value in copy_of_sample(sample_built, tmp_path / "sample").items():
        monkeypatch.setenv(name, value)
    return load_settings().snapshot_path
