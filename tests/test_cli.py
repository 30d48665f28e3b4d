"""The command line end to end, on a real DuckDB file and a real Dagster instance."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from pipelines import warehouse
from pipelines.cli import build_parser, main
from tests.conftest import fixture_bytes, write_export


@pytest.fixture
def inbox(tmp_path):
    root = tmp_path / "inbox"
    write_export(
        root,
        "Basic_LinkedInDataExport_06-01-2024",
        {"Connections.csv": fixture_bytes("linkedin/connections_2022.csv")},
        as_zip=True,
    )
    write_export(
        root,
        "Basic_LinkedInDataExport_01-15-2025",
        {
            "Connections.csv": fixture_bytes("linkedin/connections_2024.csv"),
            "Learning.csv": b"Content Title,Content Type\nx,y\n",
        },
    )
    return root


def test_refresh_loads_every_file_prints_a_summary_and_publishes_a_snapshot(
    inbox, tmp_path, capsys
):
    db = tmp_path / "w.duckdb"
    assert main(["refresh", "--inbox", str(inbox), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Basic_LinkedInDataExport_01-15-2025/Connections.csv" in out
    assert "Basic_LinkedInDataExport_06-01-2024.zip/Connections.csv" in out
    assert "a file of the export that Constellation does not use" in out
    learning = next(line for line in out.splitlines() if line.endswith("Learning.csv"))
    assert "export file, not used" in learning and "unknown" not in learning
    snapshot = tmp_path / "w.snapshot.duckdb"
    with warehouse.connect(snapshot, read_only=True) as con:
        per_snapshot = warehouse.frame(
            con,
            "SELECT snapshot_date, count(*) AS n FROM raw.linkedin_connections "
            "GROUP BY ALL ORDER BY 1",
        )
    # 2025: 7 rows, one loaded without its unreadable date (a rejected value)
    assert per_snapshot["n"].to_list() == [3, 7]


def test_a_refresh_with_nothing_new_does_no_table_work_and_says_so(inbox, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    argv = ["refresh", "--inbox", str(inbox), "--db", str(db), "--as-of", "2025-02-01"]
    assert main(argv) == 0
    snapshot = tmp_path / "w.snapshot.duckdb"
    before = (db.stat().st_mtime_ns, snapshot.stat().st_mtime_ns)
    capsys.readouterr()
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Nothing new since the refresh of" in out
    assert f"Snapshot unchanged: {snapshot}" in out
    assert (db.stat().st_mtime_ns, snapshot.stat().st_mtime_ns) == before
    # A new export in the inbox: the next refresh runs and loads it.
    write_export(
        inbox,
        "Basic_LinkedInDataExport_03-01-2025",
        {"Connections.csv": fixture_bytes("linkedin/connections_2020.csv")},
    )
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Nothing new" not in out
    assert "Basic_LinkedInDataExport_03-01-2025/Connections.csv" in out
    # Another as-of date is new work too, with no file changed.
    assert main([*argv[:-1], "2025-03-01"]) == 0
    assert "Nothing new" not in capsys.readouterr().out


def test_a_forced_refresh_skips_unchanged_files_and_duplicates_nothing(inbox, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    main(["refresh", "--inbox", str(inbox), "--db", str(db)])
    capsys.readouterr()
    assert main(["refresh", "--inbox", str(inbox), "--db", str(db), "--force"]) == 0
    out = capsys.readouterr().out
    assert "Nothing new" not in out
    assert "unchanged" in out
    with warehouse.connect(db, read_only=True) as con:
        assert warehouse.scalar(con, "SELECT count(*) FROM raw.linkedin_connections") == 10


def test_a_broken_archive_is_named_the_rest_loads_and_the_exit_code_says_so(
    inbox, tmp_path, capsys
):
    (inbox / "Complete_LinkedInDataExport_02-02-2025.zip").write_bytes(b"not a zip at all")
    db = tmp_path / "w.duckdb"
    assert main(["refresh", "--inbox", str(inbox), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "Complete_LinkedInDataExport_02-02-2025.zip: not a readable zip archive" in out
    with warehouse.connect(db, read_only=True) as con:
        assert warehouse.scalar(con, "SELECT count(*) FROM raw.linkedin_connections") == 10


def test_environment_variables_mean_the_same_as_options(inbox, tmp_path, monkeypatch):
    db = tmp_path / "env.duckdb"
    monkeypatch.setenv("CONSTELLATION_INBOX", str(inbox))
    monkeypatch.setenv("CONSTELLATION_DB", str(db))
    assert main(["refresh"]) == 0
    assert (tmp_path / "env.snapshot.duckdb").exists()


def test_invalid_as_of_date_is_a_clear_error(inbox, tmp_path, capsys):
    code = main(
        [
            "refresh",
            "--inbox",
            str(inbox),
            "--db",
            str(tmp_path / "w.duckdb"),
            "--as-of",
            "31/12/2025",
        ]
    )
    assert code == 2
    assert "not a date like 2026-03-31" in capsys.readouterr().err


def test_missing_inbox_is_a_clear_error(tmp_path, capsys):
    assert main(["refresh", "--inbox", str(tmp_path / "nope"), "--db", str(tmp_path / "w")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_zip_entry_escaping_its_folder_fails_that_entry_only(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with zipfile.ZipFile(inbox / "Basic_LinkedInDataExport_01-15-2025.zip", "w") as zf:
        zf.writestr("../outside.csv", b"x")
        zf.writestr("Connections.csv", fixture_bytes("linkedin/connections_2020.csv"))
    assert main(["refresh", "--inbox", str(inbox), "--db", str(tmp_path / "w.duckdb")]) == 1
    out = capsys.readouterr().out
    assert "points outside the archive" in out
    assert not (tmp_path / "outside.csv").exists()


def test_refresh_reports_who_the_owner_is(inbox, tmp_path, capsys):
    config = tmp_path / "constellation.toml"
    config.write_text('[owner]\nnames = ["Maya Lindqvist"]\nemails = ["maya@example.com"]\n')
    args = ["refresh", "--inbox", str(inbox), "--db", str(tmp_path / "w.duckdb")]
    assert main([*args, "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "You are: name Maya Lindqvist (from configuration); email maya@example.com" in out


def test_the_command_exits_with_its_output_complete_and_every_file_closed(inbox, tmp_path):
    """`constellation refresh` in its own process ends without tearing the interpreter down
    (`cli.run`): what it printed still arrives whole through a pipe, its exit code is the
    refresh's, and the warehouse, the snapshot and Dagster's history are closed files."""

    command = shutil.which("constellation", path=os.path.dirname(sys.executable))
    db = tmp_path / "w.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}

    def refresh() -> subprocess.CompletedProcess:
        argv = [command, "refresh", "--inbox", str(inbox), "--db", str(db)]
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)

    done = refresh()
    assert done.returncode == 0, done.stdout + done.stderr
    snapshot = tmp_path / "w.snapshot.duckdb"
    assert done.stdout.rstrip().endswith(f"Done. Snapshot for the dashboard and SQL: {snapshot}")
    left_open = [
        str(p.relative_to(tmp_path))
        for p in tmp_path.rglob("*")
        if p.name.endswith((".wal", "-wal", "-shm", "-journal"))
    ]
    assert left_open == []
    (inbox / "Complete_LinkedInDataExport_02-02-2025.zip").write_bytes(b"not a zip at all")
    failed = refresh()
    assert failed.returncode == 1
    assert failed.stdout.rstrip().endswith("everything else was loaded.")


def test_the_command_still_runs_what_was_registered_for_its_exit(tmp_path):
    """`cli.run` skips the interpreter's teardown, not the exit handlers (the mail reader's
    worker processes remove their temporary folder in one)."""
    ran = tmp_path / "ran.txt"
    code = (
        "import atexit, sys\n"
        "from pipelines import cli\n"
        f"atexit.register(lambda: open({str(ran)!r}, 'w').write('ran'))\n"
        f"sys.argv = ['constellation', 'refresh', '--inbox', {str(tmp_path / 'nowhere')!r}]\n"
        "cli.run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2
    assert "inbox folder" in done.stderr and "does not exist" in done.stderr
    assert ran.read_text() == "ran"


def test_a_changed_file_reached_through_a_link_into_the_inbox_is_loaded(tmp_path, capsys):
    """The inbox is read through `z/` and not through the link to it; the record of the last
    refresh names the file by the link. A change to it refreshes every table, not none; a new
    `Thumbs.db` or `.DS_Store`, which are never read, refreshes only the inbox listing."""
    inbox = tmp_path / "inbox"
    export = write_export(
        inbox / "z",
        "Basic_LinkedInDataExport_01-15-2025",
        {"Connections.csv": fixture_bytes("linkedin/connections_2024.csv")},
    )
    (inbox / "a_link").symlink_to(inbox / "z", target_is_directory=True)
    db = tmp_path / "w.duckdb"
    argv = ["refresh", "--inbox", str(inbox), "--db", str(db), "--as-of", "2025-02-01"]
    assert main(argv) == 0
    with warehouse.connect(db, read_only=True) as con:
        before = warehouse.scalar(con, "SELECT count(*) FROM raw.linkedin_connections")
    with (export / "Connections.csv").open("ab") as out:
        out.write(
            b"\nIvo,Asker,https://www.linkedin.com/in/ivo-asker-9d,,Harbor,Partner,14 Jan 2025\n"
        )
    capsys.readouterr()
    assert main(argv) == 0
    assert "not where the inbox is read from: every table is refreshed" in capsys.readouterr().out
    with warehouse.connect(db, read_only=True) as con:
        after = warehouse.scalar(con, "SELECT count(*) FROM raw.linkedin_connections")
    assert after == before + 1  # the file ends without a line break: the new row starts one
    # Files the inbox is never read for are no reason to refresh everything.
    (inbox / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    (inbox / "z" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    assert main(argv) == 0
    assert "(nothing Constellation reads), nothing else: only the" in capsys.readouterr().out


def test_dashboard_command_serves_the_sample_and_opens_the_browser_without_asking_anything(
    sample_built, tmp_path
):
    """`constellation dashboard` as `make run` starts it: no question on the terminal (Streamlit's
    first-run e-mail prompt), the page answers on 127.0.0.1, and the browser is opened on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"  # $BROWSER: what webbrowser.open runs
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    env = {**os.environ, **sample_built, "BROWSER": str(browser), "HOME": str(tmp_path)}
    command = shutil.which("constellation", path=os.path.dirname(sys.executable))
    server = subprocess.Popen(
        [command, "dashboard", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not opened.exists() and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.5)
        assert opened.exists(), "the browser was not opened"
        assert opened.read_text().strip() == f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as response:
            assert response.status == 200
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Email:" not in output, output


def test_the_readme_lists_every_command_in_one_table():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    # A Markdown table ends at its first line that is not a row: a blank line cuts it in two.
    tables, rows = [], None
    for line in section.splitlines():
        if line.startswith("|"):
            rows = [] if rows is None else rows
            rows.append(line)
        elif rows is not None:
            tables.append(rows)
            rows = None
    if rows is not None:
        tables.append(rows)
    [table] = [t for t in tables if t[0].startswith("| command")]
    assert len(tables) == 1, "the command table is cut in two"
    listed = {line.split("`")[1].split()[1] for line in table[2:] if "`constellation " in line}
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert listed == set(commands)
