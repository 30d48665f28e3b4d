"""A warehouse refreshed step by step, as a user's is, holds what one refresh from scratch of the
same final inbox holds, table for table.

The steps: a first refresh; an overlapping newer LinkedIn export (with messages), one more
e-mail and a calendar arrive; the address book and the interaction log are replaced by edited
versions; a person is forgotten. Once with complete refreshes (the schedule), once with the
runs the inbox sensor asks for (only what the changed files feed), once with `constellation
refresh`, which runs only what the changed files feed when nothing else changed.
The small inbox is the one of `tests/marts/test_user_state.py` (Freya is the person forgotten).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.cli import main
from pipelines.definitions import defs
from pipelines.defs.automation import REFRESH_JOB, inbox_run_selection
from pipelines.lib import user_state
from pipelines.settings import ENV_AS_OF, ENV_CONFIG, ENV_DB, ENV_INBOX
from tests.conftest import fixture_bytes
from tests.marts.test_user_state import (
    AS_OF,
    CONNECTIONS,
    CONTACTS,
    eml,
    log_lines,
    person_id,
    refresh,
    write_inbox,
)

# Columns that say when or in which run a row was written, not what it holds.
VOLATILE = {"load_id", "loaded_at", "run_id"}
# The ledger of every load ever made has a row per file and refresh by design, and its status
# and message say what that refresh did ("unchanged; skipped"); what it says about each file
# now (hash, size, time, rows read, loaded and quarantined) is compared on its latest rows.
LEDGER = "quality.file_loads"
LEDGER_RUN_COLUMNS = {"status", "message"}
# The record of each SQL table's last build fingerprints the rows it read, load ids and times
# included, so it differs between any two warehouses; which tables it records must not.
BUILDS = "quality.table_builds"
BUILDS_COMPARED = ("table_name",)


def use(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    monkeypatch.setenv(ENV_INBOX, str(root / "inbox"))
    monkeypatch.setenv(ENV_DB, str(root / "w.duckdb"))
    monkeypatch.setenv(ENV_AS_OF, AS_OF)
    monkeypatch.setenv(ENV_CONFIG, str(root / "constellation.toml"))


# the kinds of input each step brings, as the inbox sensor names them
GROWN = ("linkedin_connections", "linkedin_messages", "email_messages", "calendar_events")
EDITED = ("contacts", "interaction_log")
# tables that must hold rows on both sides, so that empty never passes for equal
FILLED = (
    "raw.calendar_events",
    "staging.linkedin_messages",
    "staging.email_messages",
    "core.interactions",
    "core.people",
    "marts.relationship_health",
    "marts.weekly_trends",
)


def grow_inbox(inbox: Path) -> None:
    """A newer export repeating the older one's connections plus one, with messages; one more
    e-mail; a calendar."""
    newer = inbox / "Basic_LinkedInDataExport_12-15-2024"
    newer.mkdir()
    (newer / "Connections.csv").write_text(
        CONNECTIONS + "Ivo,Asker,https://www.linkedin.com/in/ivo-asker-9d,,Harbor Ventures,Partner,"
        "14 Dec 2024\n"
    )
    (newer / "messages.csv").write_bytes(fixture_bytes("linkedin/messages_2024_12.csv"))
    (inbox / "mail" / "5.eml").write_text(
        eml(5, "Olga Other <olga@example.com>", "Maya Owner <maya@owner.example>", "Coffee?", 16)
    )
    (inbox / "calendar.ics").write_bytes(fixture_bytes("calendar/google.ics"))


def edit_inbox(inbox: Path) -> None:
    """The address book and the log, exported again with changes, over the old files."""
    (inbox / "contacts.csv").write_text(
        CONTACTS.replace("Oakline Bank,Analyst", "Oakline Bank,Senior Analyst")
        + "Ivo,,Asker,,,,,,,Ivo Asker,Harbor Ventures,Partner,,,,,* myContacts,"
        "* Work,ivo@example.org,,,,\n"
    )
    (inbox / "interaction_log.csv").write_text(
        log_lines() + "2024-12-12,Olga Other,olga@example.com,,coffee,out,give,brought the book\n"
    )


def table_columns(con, catalog: str) -> dict[str, list[str]]:
    rows = warehouse.frame(
        con,
        """SELECT table_schema || '.' || table_name AS t, list(column_name ORDER BY ordinal_position)
           FROM information_schema.columns WHERE table_catalog = ? GROUP BY ALL""",
        [catalog],
    ).rows()
    return {table: columns for table, columns in rows}


def differences(incremental: Path, full: Path) -> dict[str, str]:
    """Per table, what differs between the two warehouses (rows compared as multisets)."""
    found = {}
    with warehouse.connect(incremental, read_only=True) as con:
        warehouse.run(con, f"ATTACH '{full}' AS full_build (READ_ONLY)")
        mine = table_columns(con, "w")
        theirs = table_columns(con, "full_build")
        if set(mine) != set(theirs):
            found["tables"] = f"{sorted(set(mine) ^ set(theirs))}"
        for table in sorted(set(mine) & set(theirs)):
            if mine[table] != theirs[table]:
                found[table] = f"columns {mine[table]} vs {theirs[table]}"
                continue
            left_out = VOLATILE | (LEDGER_RUN_COLUMNS if table == LEDGER else set())
            compared = BUILDS_COMPARED if table == BUILDS else mine[table]
            columns = ", ".join(f'"{c}"' for c in compared if c not in left_out)
            latest = ""
            if table == LEDGER:  # every row of its latest time (one transaction shares it)
                latest = (
                    " QUALIFY rank() OVER (PARTITION BY path, target_table "
                    "ORDER BY loaded_at DESC) = 1"
                )
            a = f"SELECT {columns} FROM w.{table}{latest}"
            b = f"SELECT {columns} FROM full_build.{table}{latest}"
            only_a = warehouse.frame(con, f"{a} EXCEPT ALL {b}")
            only_b = warehouse.frame(con, f"{b} EXCEPT ALL {a}")
            if only_a.height or only_b.height:
                found[table] = f"only step by step:\n{only_a}\nonly from scratch:\n{only_b}"
    return found


def empty_tables(db: Path) -> list[str]:
    with warehouse.connect(db, read_only=True) as con:
        return [t for t in FILLED if not warehouse.scalar(con, f"SELECT count(*) FROM {t}")]


def refresh_from_scratch(steps: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One complete refresh of a copy of `steps`' inbox, settings and user state."""
    scratch.mkdir()
    shutil.copytree(steps / "inbox", scratch / "inbox")
    shutil.copy(steps / "constellation.toml", scratch / "constellation.toml")
    # what the user said in the dashboard (forget Freya) lives beside the warehouse
    said = user_state.user_state_path(steps / "w.duckdb").parent
    if said.exists():
        shutil.copytree(said, user_state.user_state_path(scratch / "w.duckdb").parent)
    use(monkeypatch, scratch)
    refresh(scratch)


def test_refreshing_step_by_step_equals_one_refresh_from_scratch(tmp_path, monkeypatch):
    steps = tmp_path / "steps"
    write_inbox(steps)
    use(monkeypatch, steps)
    refresh(steps)
    grow_inbox(steps / "inbox")
    refresh(steps)
    edit_inbox(steps / "inbox")
    refresh(steps)
    user_state.forget_person(
        user_state.user_state_path(steps / "w.duckdb"),
        person_id(steps, "Freya Forget"),
        snapshot=steps / "w.snapshot.duckdb",
    )
    refresh(steps)

    refresh_from_scratch(steps, tmp_path / "scratch", monkeypatch)
    assert empty_tables(steps / "w.duckdb") == []
    assert differences(steps / "w.duckdb", tmp_path / "scratch" / "w.duckdb") == {}


def test_the_sensors_runs_equal_one_refresh_from_scratch(tmp_path, monkeypatch):
    """After one complete refresh, each change runs only what the inbox sensor selects for the
    kinds of the files that changed (`inbox_run_selection`), on one Dagster instance."""
    steps = tmp_path / "steps"
    write_inbox(steps)
    use(monkeypatch, steps)
    job = defs.resolve_job_def(REFRESH_JOB)
    with dg.DagsterInstance.ephemeral() as instance:
        assert job.execute_in_process(instance=instance).success
        for change, kinds in ((grow_inbox, GROWN), (edit_inbox, EDITED)):
            change(steps / "inbox")
            selection = inbox_run_selection(kinds, defs.resolve_asset_graph(), instance)
            assert selection is not None  # a partial run, not the whole job
            assert dg.AssetKey(["raw", "linkedin_invitations"]) not in selection
            assert job.execute_in_process(instance=instance, asset_selection=selection).success

    refresh_from_scratch(steps, tmp_path / "scratch", monkeypatch)
    assert empty_tables(steps / "w.duckdb") == []
    assert differences(steps / "w.duckdb", tmp_path / "scratch" / "w.duckdb") == {}


def test_refreshes_of_new_files_alone_equal_one_refresh_from_scratch(tmp_path, monkeypatch, capsys):
    """`constellation refresh` after files were only added or changed runs what they feed: the
    summary names their kinds' files alone, and the warehouse is what a complete refresh makes."""
    steps = tmp_path / "steps"
    write_inbox(steps)
    use(monkeypatch, steps)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    assert main(["refresh"]) == 0
    assert "only the" not in capsys.readouterr().out
    grow_inbox(steps / "inbox")
    assert main(["refresh"]) == 0
    out = capsys.readouterr().out
    assert "file(s) new or changed since the last refresh" in out
    assert "Basic_LinkedInDataExport_12-15-2024/Connections.csv" in out
    assert "contacts.csv" not in out  # the address book is as it was: not even looked at
    edit_inbox(steps / "inbox")
    assert main(["refresh"]) == 0
    out = capsys.readouterr().out
    assert "(contacts, interaction_log), nothing else: only the" in out
    assert "Connections.csv" not in out

    refresh_from_scratch(steps, tmp_path / "scratch", monkeypatch)
    assert empty_tables(steps / "w.duckdb") == []
    assert differences(steps / "w.duckdb", tmp_path / "scratch" / "w.duckdb") == {}
