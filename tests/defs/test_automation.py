"""What starts runs by itself: the inbox sensor, the daily schedule, the refresh job, and the
instance settings that keep to one writer. Real definitions, a real Dagster instance, a real
DuckDB file."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import dagster as dg
import pytest
import yaml

from pipelines import warehouse
from pipelines.definitions import REFRESH_JOB, ConstellationResource, defs
from pipelines.defs.resources import WRITER_POOL
from pipelines.instance import ensure_dagster_home
from pipelines.lib import inbox_watch
from pipelines.settings import ENV_AS_OF, ENV_CONFIG, ENV_DB, ENV_INBOX
from tests.conftest import fixture_bytes, write_export

EXPORT = "Basic_LinkedInDataExport_01-15-2025"
CONNECTIONS = f"{EXPORT}/Connections.csv"
LOG = "interaction_log.csv"


def age(path: Path, seconds: float = 120) -> None:
    """Make a file look written a while ago, past the sensor's settling time."""
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


@pytest.fixture
def inbox(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "inbox"
    write_export(root, EXPORT, {"Connections.csv": fixture_bytes("linkedin/connections_2024.csv")})
    (root / LOG).write_bytes(fixture_bytes("contacts/interaction_log_dmy.csv"))
    for path in (root / CONNECTIONS, root / LOG):
        age(path)
    monkeypatch.setenv(ENV_INBOX, str(root))
    monkeypatch.setenv(ENV_DB, str(tmp_path / "w.duckdb"))
    monkeypatch.setenv(ENV_AS_OF, "2025-02-01")
    return root


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


def tick(instance: dg.DagsterInstance, cursor: str | None) -> dg.SensorResult:
    sensor = defs.resolve_sensor_def("inbox_sensor")
    # As the daemon does: the resource has set-up and tear-down (it holds the warehouse open
    # during a run), and Dagster then builds it only inside a `with` block.
    with dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        definitions=defs,
        resources={"constellation": ConstellationResource()},
    ) as context:
        result = sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def names(keys) -> set[str]:
    return {key.to_user_string() for key in keys}


def run(instance: dg.DagsterInstance, asset_selection=None) -> dg.ExecuteInProcessResult:
    job = defs.resolve_job_def(REFRESH_JOB)
    result = job.execute_in_process(instance=instance, asset_selection=asset_selection)
    assert result.success
    return result


def test_first_tick_requests_a_complete_refresh_and_remembers_every_file(inbox, instance):
    result = tick(instance, None)
    (request,) = result.run_requests
    assert request.job_name in (None, REFRESH_JOB)
    # Nothing was ever built on this instance: the marts need every table, so all of them.
    assert request.asset_selection is None
    assert request.tags["constellation/kinds"] == "interaction_log,linkedin_connections"
    assert set(json.loads(result.cursor)["files"]) == {CONNECTIONS, LOG}


def test_after_a_complete_refresh_new_files_run_only_their_tables(inbox, instance):
    first = tick(instance, None)
    run(instance)
    write_export(
        inbox,
        "Complete_LinkedInDataExport_02-20-2025",
        {
            "Connections.csv": fixture_bytes("linkedin/connections_2024.csv"),
            "Invitations.csv": fixture_bytes("linkedin/invitations_2025.csv"),
        },
        as_zip=True,
    )
    age(inbox / "Complete_LinkedInDataExport_02-20-2025.zip")
    (request,) = tick(instance, first.cursor).run_requests
    assert request.tags["constellation/kinds"] == "linkedin_connections,linkedin_invitations"
    selected = names(request.asset_selection)
    assert {"raw/linkedin_connections", "raw/linkedin_invitations", "quality/inbox_files"} <= (
        selected
    )
    assert {"staging/linkedin_connections", "core/people", "published_snapshot"} <= selected
    # Nothing from kinds the new export does not hold.
    assert not {"raw/interaction_log", "raw/calendar_events", "raw/email_messages"} & selected


def test_no_change_is_a_skip_and_keeps_the_cursor(inbox, instance):
    first = tick(instance, None)
    second = tick(instance, first.cursor)
    assert not second.run_requests
    assert "nothing new" in second.skip_reason.skip_message
    assert second.cursor == first.cursor


def test_a_file_still_being_copied_waits_for_a_later_tick(inbox, instance):
    first = tick(instance, None)
    (inbox / "Contacts export.csv").write_bytes(fixture_bytes("contacts/google_current_bom.csv"))
    second = tick(instance, first.cursor)
    assert not second.run_requests
    assert "1 file(s) still being written" in second.skip_reason.skip_message
    assert "Contacts export.csv" not in json.loads(second.cursor)["files"]
    age(inbox / "Contacts export.csv")
    (request,) = tick(instance, second.cursor).run_requests
    assert request.tags["constellation/kinds"] == "contacts"


def test_a_changed_file_runs_only_its_table_and_what_is_built_from_it(inbox, instance, tmp_path):
    first = tick(instance, None)
    run(instance)
    with warehouse.connect(tmp_path / "w.snapshot.duckdb", read_only=True) as con:
        connections_before = warehouse.scalar(con, "SELECT count(*) FROM raw.linkedin_connections")
        log_before = warehouse.scalar(con, "SELECT count(*) FROM raw.interaction_log")

    # The user adds a line to their interaction log.
    log = inbox / LOG
    log.write_bytes(log.read_bytes() + b"2025-01-20,Nadia Ferreira,,,call,out,give,sent slides\r\n")
    age(log, 60)
    second = tick(instance, first.cursor)
    (request,) = second.run_requests
    assert request.tags["constellation/kinds"] == "interaction_log"
    selected = names(request.asset_selection)
    assert {"raw/interaction_log", "staging/interaction_log", "core/interactions"} <= selected
    assert "published_snapshot" in selected
    # people you asked to forget are purged from the new rows before they are staged
    assert "quality/forgotten_rows" in selected
    assert "raw/linkedin_connections" not in selected
    assert "staging/linkedin_connections" not in selected
    assert request.run_key != first.run_requests[0].run_key
    assert json.loads(second.cursor)["files"][LOG] == list(inbox_watch.fingerprints(inbox)[LOG])

    result = run(instance, request.asset_selection)
    with warehouse.connect(tmp_path / "w.snapshot.duckdb", read_only=True) as con:
        loads = warehouse.frame(
            con,
            "SELECT path, status FROM quality.file_loads WHERE load_id = ? ORDER BY path",
            [result.run_id],
        )
        assert loads.rows() == [(LOG, "loaded")]  # the LinkedIn export was not even opened
        assert warehouse.scalar(con, "SELECT count(*) FROM raw.interaction_log") == log_before + 1
        assert (
            warehouse.scalar(con, "SELECT count(*) FROM raw.linkedin_connections")
            == connections_before
        )


def test_a_file_that_leaves_the_inbox_keeps_its_data(inbox, instance, tmp_path):
    first = tick(instance, None)
    run(instance)
    query = "SELECT count(*) FROM {} WHERE source_path = ?"
    with warehouse.connect(tmp_path / "w.duckdb", read_only=True) as con:
        raw_rows = warehouse.scalar(con, query.format("raw.linkedin_connections"), [CONNECTIONS])
        people = warehouse.scalar(con, "SELECT count(*) FROM core.people")
    assert raw_rows > 0

    (inbox / CONNECTIONS).unlink()
    (inbox / EXPORT).rmdir()
    second = tick(instance, first.cursor)
    assert not second.run_requests
    assert f"1 file(s) left the inbox; their data stays: {CONNECTIONS}" in (
        second.skip_reason.skip_message
    )
    assert set(json.loads(second.cursor)["files"]) == {LOG}

    run(instance)  # the next daily refresh
    with warehouse.connect(tmp_path / "w.snapshot.duckdb", read_only=True) as con:
        assert (
            warehouse.scalar(con, query.format("raw.linkedin_connections"), [CONNECTIONS])
            == raw_rows
        )
        assert warehouse.scalar(con, "SELECT count(*) FROM core.people") == people
        listed = warehouse.frame(con, "SELECT path FROM quality.inbox_files")["path"].to_list()
        assert listed == [LOG]


def test_the_daily_schedule_requests_the_refresh_job_at_six_local_time(instance):
    schedule = defs.resolve_schedule_def(f"{REFRESH_JOB}_schedule")
    assert schedule.job_name == REFRESH_JOB
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    when = dt.datetime(2025, 3, 3, 6, 0, tzinfo=dt.UTC)
    context = dg.build_schedule_context(instance=instance, scheduled_execution_time=when)
    (request,) = schedule.evaluate_tick(context).run_requests
    assert request.asset_selection is None  # the whole job: every asset and check
    assert defs.resolve_job_def(REFRESH_JOB).asset_layer.selected_asset_keys == (
        defs.resolve_asset_graph().materializable_asset_keys
    )


def test_a_failed_run_keeps_the_last_good_snapshot_and_the_next_good_run_replaces_it(
    inbox, instance, tmp_path, monkeypatch
):
    run(instance)
    snapshot = tmp_path / "w.snapshot.duckdb"
    published = snapshot.read_bytes()
    # New data arrives, but the configuration has a mistake that one asset trips over after the
    # raw tables were loaded.
    (inbox / "log2.csv").write_bytes(
        b"date,person,email,linkedin_url,channel,direction,kind,note\r\n"
        b"2025-01-21,Nadia Ferreira,,,call,out,give,sent slides\r\n"
    )
    config = tmp_path / "constellation.toml"
    config.write_text('[freshness]\nmax_age_days = "soon"\n')
    monkeypatch.setenv(ENV_CONFIG, str(config))
    job = defs.resolve_job_def(REFRESH_JOB)
    failed = job.execute_in_process(instance=instance, raise_on_error=False)
    assert not failed.success
    assert "max_age_days" in str(failed.get_step_failure_events()[0].step_failure_data.error)
    with warehouse.connect(tmp_path / "w.duckdb", read_only=True) as con:
        assert warehouse.scalar(
            con, "SELECT count(*) FROM raw.interaction_log WHERE source_path = 'log2.csv'"
        )  # the working copy has the new rows ...
    assert snapshot.read_bytes() == published  # ... the snapshot readers see does not

    config.write_text("[freshness]\nmax_age_days = 30\n")
    run(instance)
    with warehouse.connect(snapshot, read_only=True) as con:
        assert (
            warehouse.scalar(
                con, "SELECT count(*) FROM raw.interaction_log WHERE source_path = 'log2.csv'"
            )
            == 1
        )
    assert not list(tmp_path.glob("*.tmp"))  # no half-written copies left beside it


def test_definitions_load_from_workspace_yaml_and_agree_with_pyproject():
    root = Path(__file__).resolve().parents[2]
    workspace = yaml.safe_load((root / "workspace.yaml").read_text())
    (location,) = workspace["load_from"]
    target = location["python_module"]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    assert (
        target["module_name"] == pyproject["tool"]["dg"]["project"]["code_location_target_module"]
    )
    assert target["module_name"] == pyproject["tool"]["dagster"]["module_name"]
    assert target["location_name"] == pyproject["tool"]["dagster"]["code_location_name"]
    # What `dagster dev -w workspace.yaml` loads is this module's `defs`.
    loaded = importlib.import_module(target["module_name"]).defs
    assert loaded.resolve_job_def(REFRESH_JOB)
    assert [s.name for s in loaded.schedules] == [f"{REFRESH_JOB}_schedule"]
    assert [s.name for s in loaded.sensors] == ["inbox_sensor"]


def test_the_committed_instance_settings_allow_one_run_and_one_writer_at_a_time(tmp_path):
    root = Path(__file__).resolve().parents[2]
    home = tmp_path / "home"
    os.environ["DAGSTER_HOME"] = str(home)  # conftest restores it after the test
    assert ensure_dagster_home() == home.resolve()
    assert (home / "dagster.yaml").read_bytes() == (root / "dagster.yaml").read_bytes()
    with dg.DagsterInstance.get() as instance:
        config = instance.get_concurrency_config()
        assert config.run_queue_config.max_concurrent_runs == 1
        assert config.pool_config.default_pool_limit == 1
        assert config.pool_config.pool_granularity.value == "run"
        assert instance.run_coordinator.__class__.__name__ == "QueuedRunCoordinator"
    # Every step that opens the warehouse (assets, multi-assets, checks) is in the writer pool.
    steps = [a for a in defs.resolve_asset_graph().assets_defs if a.is_executable]
    assert len(steps) > 40
    assert [a.node_def.name for a in steps if a.node_def.pools != {WRITER_POOL}] == []
    # Inside a run, one step at a time in one process: the refresh job and what the UI's
    # "Materialize" of a few assets runs (the implicit asset job) alike.
    for job in (defs.resolve_job_def(REFRESH_JOB), defs.resolve_implicit_global_asset_job_def()):
        assert job.executor_def.name == dg.in_process_executor.name


GRAPHQL = """{
  repositoriesOrError { ... on RepositoryConnection { nodes {
    location { name }
    schedules { name cronSchedule scheduleState { status } }
    sensors { name sensorState { status ticks(limit: 1) { status skipReason } } }
    assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } }
  } } }
  instance { runQueueConfig { maxConcurrentRuns } }
}"""


def graphql(port: int) -> dict | None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": GRAPHQL}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)["data"]
    except (OSError, ValueError, KeyError):
        return None


def test_constellation_dagster_serves_the_asset_graph_schedule_and_sensor(tmp_path):
    """The real `constellation dagster` (UI + daemon) on a free port and a temporary instance."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "inbox").mkdir()
    home = tmp_path / "home"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        ENV_INBOX: str(tmp_path / "inbox"),
        ENV_DB: str(tmp_path / "w.duckdb"),
    }
    log = (tmp_path / "dagster.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "dagster", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        data, deadline = None, time.monotonic() + 240
        # Ready when the daemon has evaluated the sensor once.
        while time.monotonic() < deadline and process.poll() is None:
            data = graphql(port)
            nodes = (data or {}).get("repositoriesOrError", {}).get("nodes") or [{}]
            if any(s["sensorState"]["ticks"] for s in nodes[0].get("sensors", [])):
                break
            time.sleep(2)
        assert process.poll() is None, (tmp_path / "dagster.log").read_text()
        (repository,) = data["repositoriesOrError"]["nodes"]
        assert repository["location"]["name"] == "pipelines"
        assert repository["schedules"] == [
            {
                "name": f"{REFRESH_JOB}_schedule",
                "cronSchedule": "0 6 * * *",
                "scheduleState": {"status": "RUNNING"},
            }
        ]
        (sensor,) = repository["sensors"]
        assert sensor["name"] == "inbox_sensor"
        assert sensor["sensorState"]["status"] == "RUNNING"
        (first_tick,) = sensor["sensorState"]["ticks"]
        assert first_tick["status"] == "SKIPPED"
        assert first_tick["skipReason"].startswith("nothing new in")
        assets = {
            "/".join(node["assetKey"]["path"]): {
                check["name"] for check in node["assetChecksOrError"]["checks"]
            }
            for node in repository["assetNodes"]
        }
        assert set(assets) == names(defs.resolve_asset_graph().materializable_asset_keys)
        assert {"schema_valid", "rows_conserved", "data_is_fresh"} <= assets[
            "raw/linkedin_connections"
        ]
        assert data["instance"]["runQueueConfig"]["maxConcurrentRuns"] == 1
        # The instance is the one named by DAGSTER_HOME, with the committed settings.
        root = Path(__file__).resolve().parents[2]
        assert (home / "dagster.yaml").read_bytes() == (root / "dagster.yaml").read_bytes()
        process.terminate()  # what `kill` does; Ctrl-C is handled the same way
        process.wait(timeout=90)
        stopped = time.monotonic() + 30
        while group_alive(process.pid) and time.monotonic() < stopped:
            time.sleep(0.5)
        assert not group_alive(process.pid), "UI, daemon or code server left running"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # only its own process group
        process.wait()
        log.close()


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
