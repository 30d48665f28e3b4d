"""The persistent Dagster instance under data/dagster_home: run history, schedules and sensor
cursors survive restarts, and runs started from the command line show in the Dagster UI."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.settings import PROJECT_ROOT

if TYPE_CHECKING:
    import dagster as dg

DEFAULT_DAGSTER_HOME = PROJECT_ROOT / "data" / "dagster_home"
INSTANCE_SETTINGS = PROJECT_ROOT / "dagster.yaml"
# Tags on runs started by `constellation refresh`: which process runs them, on which machine.
PID_TAG = "constellation/pid"
HOST_TAG = "constellation/host"


def ensure_dagster_home() -> Path:
    """Set DAGSTER_HOME (unless the user did) and put the committed instance settings there."""
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME).resolve()
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    # The default home is Constellation's own: keep its settings in step with the committed
    # file. A DAGSTER_HOME the user chose keeps whatever dagster.yaml they put there.
    managed = home == DEFAULT_DAGSTER_HOME.resolve()
    if not target.exists() or (managed and target.read_bytes() != INSTANCE_SETTINGS.read_bytes()):
        shutil.copyfile(INSTANCE_SETTINGS, target)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def run_tags() -> dict[str, str]:
    """Tags that let a later command tell whether the process running this run is still alive."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def fail_abandoned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark as failed the runs of `constellation refresh` whose process is gone (killed, crashed,
    machine switched off). Otherwise they would show as in progress for ever and, with one run
    at a time, hold the queue of the schedule and the sensor. Their writes need no repair: every
    file is loaded in one transaction, which DuckDB rolls back if it was not committed."""
    from dagster import DagsterRunStatus, RunsFilter

    host = socket.gethostname()
    abandoned = []
    in_progress = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]
    for run in instance.get_runs(RunsFilter(statuses=in_progress)):
        pid = run.tags.get(PID_TAG, "")
        if run.tags.get(HOST_TAG) != host or not pid.isdigit() or _alive(int(pid)):
            continue
        instance.report_run_failed(
            run, f"the process running it (pid {pid}) stopped before the run finished"
        )
        abandoned.append(run.run_id)
    return abandoned
