"""A refresh killed mid-run (SIGKILL: no clean-up code runs) leaves nothing broken: the next
refresh succeeds, every file's rows add up, nothing is duplicated, the killed run is marked
failed, and the warehouse holds what one clean refresh would have built."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.cli import main
from pipelines.instance import PID_TAG
from pipelines.lib.loading import FILE_LOADS, conservation_violations
from pipelines.settings import DEFAULT_SAMPLE, SAMPLE_AS_OF

AS_OF = SAMPLE_AS_OF.isoformat()
# Tables whose content depends on the run (ledger rows carry the run id and time).
PER_RUN = {"quality.file_loads"}


def refresh_argv(inbox: Path, db: Path) -> list[str]:
    return ["refresh", "--inbox", str(inbox), "--db", str(db), "--as-of", AS_OF]


def kill_after_first_table(inbox: Path, db: Path) -> int:
    """Start a refresh in its own process, SIGKILL it once the first raw table is done (the next
    ones are being loaded), and return its pid."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *refresh_argv(inbox, db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    seen = []
    deadline = time.monotonic() + 120
    try:
        for line in process.stderr:
            seen.append(line)
            if line.startswith("✓ raw/"):
                process.send_signal(signal.SIGKILL)
                break
            assert time.monotonic() < deadline, "no table finished in time:\n" + "".join(seen)
        else:
            pytest.fail("the refresh ended before a table was done:\n" + "".join(seen))
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    return process.pid


def table_counts(db: Path) -> dict[str, int]:
    with warehouse.connect(db, read_only=True) as con:
        names = warehouse.frame(
            con,
            "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' ORDER BY 1",
        )["name"].to_list()
        return {
            name: warehouse.scalar(con, f"SELECT count(*) FROM {name}")
            for name in names
            if name not in PER_RUN
        }


def test_a_refresh_killed_mid_run_is_recovered_by_the_next_one(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    shutil.copytree(DEFAULT_SAMPLE, inbox)
    db = tmp_path / "w.duckdb"

    killed_pid = kill_after_first_table(inbox, db)
    assert not (tmp_path / "w.snapshot.duckdb").exists()  # nothing half-built was published

    assert main(refresh_argv(inbox, db)) == 0
    out = capsys.readouterr().out
    with dg.DagsterInstance.get() as instance:
        (killed,) = [r for r in instance.get_runs() if r.tags.get(PID_TAG) == str(killed_pid)]
        assert killed.status == dg.DagsterRunStatus.FAILURE
        assert f"an earlier refresh ({killed.run_id}) was interrupted" in out
        (rerun,) = [r for r in instance.get_runs() if r.run_id != killed.run_id]
        assert rerun.status == dg.DagsterRunStatus.SUCCESS

    with warehouse.connect(db, read_only=True) as con:
        raw_tables = warehouse.frame(
            con, f"SELECT DISTINCT target_table FROM {FILE_LOADS} WHERE target_table <> ''"
        )["target_table"].to_list()
        assert len(raw_tables) >= 10
        for table in raw_tables:
            # Per file: rows read = loaded + quarantined, and the table holds exactly the loaded.
            assert conservation_violations(con, table).height == 0, table
            duplicates = warehouse.scalar(
                con,
                f"SELECT count(*) FROM (SELECT source_path, record_number FROM {table} "
                "GROUP BY ALL HAVING count(*) > 1)",
            )
            assert duplicates == 0, table
        # The files loaded before the kill were not loaded twice: the rerun skipped them.
        statuses = warehouse.frame(
            con,
            f"SELECT DISTINCT status FROM {FILE_LOADS} WHERE load_id = ?",
            [rerun.run_id],
        )["status"].to_list()
        assert "unchanged" in statuses and "loaded" in statuses

    clean = tmp_path / "clean.duckdb"
    assert main(refresh_argv(inbox, clean)) == 0
    assert table_counts(db) == table_counts(clean)
    assert table_counts(tmp_path / "w.snapshot.duckdb") == table_counts(clean)
