"""The instance's event log (pipelines/event_log.py): run history written by one process is
read by another, as the Dagster UI reads what `constellation refresh` ran; history that Dagster's
own storage wrote before is kept; connections stay open but only to a few files."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import dagster as dg

from pipelines.event_log import OPEN_RUN_DATABASES
from pipelines.instance import ensure_dagster_home

ROOT = Path(__file__).resolve().parents[1]


@dg.asset
def greeting() -> str:
    return "hello"


@dg.asset(deps=[greeting])
def reply() -> None:
    return None


MATERIALIZE = """
import dagster as dg
from tests.test_event_log import greeting, reply
with dg.DagsterInstance.get() as instance:
    result = dg.materialize([greeting, reply], instance=instance)
    print(result.run_id)
"""


def _run_in_another_process() -> str:
    done = subprocess.run(
        [sys.executable, "-c", MATERIALIZE],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()[-1]


def test_a_run_of_one_process_is_in_the_history_another_process_reads(tmp_path):
    home = tmp_path / "home"
    os.environ["DAGSTER_HOME"] = str(home)  # conftest restores it after the test
    ensure_dagster_home()
    run_id = _run_in_another_process()
    with dg.DagsterInstance.get() as instance:
        assert type(instance.event_log_storage).__name__ == "ReusedConnectionsEventLogStorage"
        assert instance.get_run_by_id(run_id).is_success
        steps = [
            e.step_key for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)
        ]
        assert sorted(steps) == ["greeting", "reply"]
        latest = instance.get_latest_materialization_event(dg.AssetKey("reply"))
        assert latest is not None and latest.run_id == run_id
    # where Dagster keeps them
    runs = home / "history" / "runs"
    assert {p.name for p in runs.glob("*.db")} == {"index.db", f"{run_id}.db"}


@dg.op
def three_slow_lines(context) -> None:
    for line in range(3):
        context.log.info(f"line {line}")
        time.sleep(0.5)


@dg.job
def slow_job() -> None:
    three_slow_lines()


SLOW_RUN = """
import sys
import dagster as dg
from tests.test_event_log import slow_job
with dg.DagsterInstance.get() as instance:
    slow_job.execute_in_process(instance=instance, run_id=sys.argv[1])
"""


def test_the_uis_live_run_log_gets_every_event_of_a_run_in_another_process(tmp_path):
    # The UI follows a run with `watch_event_logs`: it must see the run's events as they come,
    # to the run's success, while another process writes them.
    os.environ["DAGSTER_HOME"] = str(tmp_path / "home")
    ensure_dagster_home()
    run_id = str(uuid.uuid4())
    seen: list[dg.EventLogEntry] = []
    with dg.DagsterInstance.get() as instance:
        instance.watch_event_logs(run_id, None, lambda entry, _cursor: seen.append(entry))
        writer = subprocess.Popen(
            [sys.executable, "-c", SLOW_RUN, run_id],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert writer.wait(timeout=120) == 0
        stored = len(instance.all_logs(run_id))
        deadline = time.monotonic() + 15
        while len(seen) < stored and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(seen) == stored
        assert seen[-1].dagster_event.event_type == dg.DagsterEventType.RUN_SUCCESS
        assert [e.user_message for e in seen if not e.is_dagster_event] == [
            "line 0",
            "line 1",
            "line 2",
        ]


def test_history_that_dagsters_own_event_log_wrote_is_kept(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    os.environ["DAGSTER_HOME"] = str(home)
    # an instance from before: Dagster's default storage, no event_log_storage in dagster.yaml
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    old_run = _run_in_another_process()
    (home / "dagster.yaml").unlink()
    ensure_dagster_home()
    with dg.DagsterInstance.get() as instance:
        assert type(instance.event_log_storage).__name__ == "ReusedConnectionsEventLogStorage"
        assert instance.get_latest_materialization_event(dg.AssetKey("reply")).run_id == old_run
        new_run = dg.materialize([greeting, reply], instance=instance).run_id
        records = instance.fetch_materializations(dg.AssetKey("reply"), limit=10).records
        assert {r.run_id for r in records} == {old_run, new_run}


def _open_run_databases(runs: Path) -> set[str]:
    """The run databases under `runs` this process has open."""
    opened = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = Path(os.readlink(fd))
        except OSError:
            continue
        if target.parent == runs and target.suffix == ".db" and target.name != "index.db":
            opened.add(target.name)
    return opened


def test_a_long_running_process_keeps_only_the_latest_run_databases_open(tmp_path):
    home = tmp_path / "home"
    os.environ["DAGSTER_HOME"] = str(home)
    ensure_dagster_home()
    runs = (home / "history" / "runs").resolve()
    with dg.DagsterInstance.get() as instance:
        ids = [
            dg.materialize([greeting, reply], instance=instance).run_id
            for _ in range(OPEN_RUN_DATABASES + 3)
        ]
        opened = _open_run_databases(runs)
        assert opened and opened <= {f"{run_id}.db" for run_id in ids[-OPEN_RUN_DATABASES:]}
        # every run is still read back, an evicted one by opening its file again
        assert all(instance.get_run_by_id(run_id).is_success for run_id in ids)
        assert len(instance.all_logs(ids[0], of_type=dg.DagsterEventType.STEP_SUCCESS)) == 2
    assert _open_run_databases(runs) == set()
