"""The load ledger: conservation, skipping unchanged files, replacing changed ones, and keeping
earlier rows when a file turns bad."""

import polars as pl

from pipelines import warehouse
from pipelines.lib.inbox import scan
from pipelines.lib.linkedin import connections
from pipelines.lib.loading import conservation_violations, load_files
from pipelines.schemas.linkedin_connections import LinkedinConnectionsSchema
from tests.conftest import fixture_bytes, write_export

TABLE = "raw.linkedin_connections"


def load(inbox, db, load_id):
    with warehouse.connect(db) as con:
        outcome = load_files(
            con,
            load_id,
            table=TABLE,
            kind="linkedin_connections",
            model=LinkedinConnectionsSchema,
            parse=connections.parse,
            sources=scan(inbox).files,
        )
        rows = warehouse.frame(con, f"SELECT * FROM {TABLE} ORDER BY source_path, record_number")
        violations = conservation_violations(con, TABLE)
    return outcome, rows, violations


def test_rows_read_equal_rows_loaded_plus_quarantined(tmp_path):
    write_export(
        tmp_path / "inbox",
        "Basic_LinkedInDataExport_01-15-2025",
        {"Connections.csv": fixture_bytes("linkedin/connections_2024.csv")},
    )
    outcome, rows, violations = load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-1")
    (result,) = outcome.files
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (8, 6, 2)
    assert rows.height == 6
    assert violations.height == 0
    with warehouse.connect(tmp_path / "w.duckdb", read_only=True) as con:
        quarantine = warehouse.frame(
            con,
            "SELECT record_number, line_number, raw_text, reason "
            "FROM quality.quarantine ORDER BY record_number",
        )
    assert quarantine["record_number"].to_list() == [6, 7]
    assert quarantine["raw_text"].to_list()[1] == "Too,Few,Fields"
    assert quarantine["line_number"].to_list() == [10, 11]


def test_rows_carry_their_file_hash_record_number_and_snapshot_date(tmp_path):
    write_export(
        tmp_path / "inbox",
        "Basic_LinkedInDataExport_01-15-2025",
        {"Connections.csv": fixture_bytes("linkedin/connections_2020.csv")},
    )
    _, rows, _ = load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-1")
    assert rows["source_path"].unique().to_list() == [
        "Basic_LinkedInDataExport_01-15-2025/Connections.csv"
    ]
    assert rows["record_number"].to_list() == [1, 2]
    assert rows["source_sha256"].str.len_chars().to_list() == [64, 64]
    assert str(rows["snapshot_date"][0]) == "2025-01-15"


def test_loading_the_same_file_twice_skips_it_and_never_duplicates(tmp_path):
    write_export(
        tmp_path / "inbox",
        "Basic_LinkedInDataExport_01-15-2025",
        {"Connections.csv": fixture_bytes("linkedin/connections_2024.csv")},
    )
    load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-1")
    outcome, rows, violations = load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-2")
    assert outcome.files[0].status == "unchanged"
    assert rows.height == 6
    assert violations.height == 0


def test_a_changed_file_replaces_its_rows(tmp_path):
    folder = write_export(
        tmp_path / "inbox",
        "Basic_LinkedInDataExport_01-15-2025",
        {"Connections.csv": fixture_bytes("linkedin/connections_2024.csv")},
    )
    load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-1")
    (folder / "Connections.csv").write_bytes(fixture_bytes("linkedin/connections_2020.csv"))
    outcome, rows, violations = load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-2")
    assert outcome.files[0].status == "loaded"
    assert rows["full_name"].to_list() == ["Amara Okafor", "Lea Martin"]
    assert violations.height == 0  # the old quarantine rows went with the old content


def test_a_file_that_turns_unreadable_keeps_its_earlier_rows_and_says_why(tmp_path):
    folder = write_export(
        tmp_path / "inbox",
        "Basic_LinkedInDataExport_01-15-2025",
        {"Connections.csv": fixture_bytes("linkedin/connections_2020.csv")},
    )
    load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-1")
    (folder / "Connections.csv").write_bytes(b"Totally,Different,Header\n1,2,3\n")
    outcome, rows, _ = load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-2")
    (result,) = outcome.failed
    assert "Connections.csv" in result.message and "unrecognised header" in result.message
    assert rows.height == 2


def test_pandera_failures_are_quarantined_not_loaded(tmp_path):
    data = (
        b"First Name,Last Name,Email Address,Company,Position,Connected On\n"
        b"Ada,Byron,not-an-email,Analytical,Engineer,16 Dec 2019\n"
        b"Lea,Martin,lea@example.net,Tailspin,Designer,05 Jan 2020"
    )
    write_export(tmp_path / "inbox", "x", {"Connections.csv": data})
    outcome, rows, violations = load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-1")
    assert rows["full_name"].to_list() == ["Lea Martin"]
    assert outcome.schema_failures == 1
    assert violations.height == 0
    with warehouse.connect(tmp_path / "w.duckdb", read_only=True) as con:
        reason = warehouse.scalar(con, "SELECT reason FROM quality.quarantine")
    assert "email" in reason and "not-an-email" in reason
    assert isinstance(rows, pl.DataFrame)
