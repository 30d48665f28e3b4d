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
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (8, 7, 1)
    assert rows.height == 7
    assert violations.height == 0
    with warehouse.connect(tmp_path / "w.duckdb", read_only=True) as con:
        quarantine = warehouse.frame(
            con,
            "SELECT record_number, line_number, raw_text, reason "
            "FROM quality.quarantine ORDER BY record_number",
        )
    assert quarantine["record_number"].to_list() == [7]
    assert quarantine["raw_text"].to_list() == ["Too,Few,Fields"]
    assert quarantine["line_number"].to_list() == [11]


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
    assert rows.height == 7
    assert violations.height == 0
    assert rejected_values(tmp_path / "w.duckdb").height == 1


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


def rejected_values(db) -> pl.DataFrame:
    with warehouse.connect(db, read_only=True) as con:
        return warehouse.frame(
            con,
            "SELECT path, kind, target_table, record_number, line_number, column_name, value, "
            "reason FROM quality.rejected_values ORDER BY path, record_number, column_name",
        )


def test_a_value_failing_an_optional_columns_schema_check_costs_the_value_not_the_row(tmp_path):
    data = (
        b"First Name,Last Name,Email Address,Company,Position,Connected On\n"
        b"Ada,Byron,not-an-email,Analytical,Engineer,16 Dec 2019\n"
        b"Lea,Martin,lea@example.net,Tailspin,Designer,05 Jan 2020"
    )
    write_export(tmp_path / "inbox", "x", {"Connections.csv": data})
    outcome, rows, violations = load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-1")
    assert rows["full_name"].to_list() == ["Ada Byron", "Lea Martin"]
    assert rows["email"].to_list() == [None, "lea@example.net"]
    assert rows["company"].to_list() == ["Analytical", "Tailspin"]
    assert outcome.files[0].rows_quarantined == 0
    assert violations.height == 0
    [value] = rejected_values(tmp_path / "w.duckdb").iter_rows(named=True)
    assert value["path"] == "x/Connections.csv"
    assert (value["record_number"], value["line_number"]) == (1, 2)
    assert (value["column_name"], value["value"]) == ("email", "not-an-email")
    assert "email" in value["reason"]
    assert "1 value(s) left out" in outcome.files[0].message


def test_a_2018_connection_with_a_member_urn_for_an_email_address_loads_whole(tmp_path):
    # As in a real 2018 export: a URN where the address would be.
    data = (
        b"First Name,Last Name,Email Address,Company,Position,Connected On\n"
        b'Jonas,Weber,urn:li:member:664293716,Fabrikam,Engineer,"3/2/18, 9:41 AM"\n'
    )
    write_export(tmp_path / "inbox", "x", {"Connections.csv": data})
    outcome, rows, _ = load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-1")
    [jonas] = rows.iter_rows(named=True)
    assert (jonas["full_name"], jonas["member_urn"], jonas["email"]) == (
        "Jonas Weber",
        "urn:li:member:664293716",
        None,
    )
    assert str(jonas["connected_on"]) == "2018-03-02"
    assert outcome.files[0].rows_quarantined == 0


def test_reloading_a_changed_file_replaces_its_rejected_values(tmp_path):
    header = b"First Name,Last Name,Email Address,Company,Position,Connected On\n"
    folder = write_export(
        tmp_path / "inbox",
        "x",
        {"Connections.csv": header + b"Ada,Byron,not-an-email,Analytical,Engineer,31 Foo 2019\n"},
    )
    load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-1")
    assert rejected_values(tmp_path / "w.duckdb")["column_name"].to_list() == [
        "connected_on",
        "email",
    ]
    load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-2")  # unchanged: kept, not doubled
    assert rejected_values(tmp_path / "w.duckdb").height == 2
    (folder / "Connections.csv").write_bytes(
        header + b"Ada,Byron,ada@example.org,Analytical,Engineer,31 Foo 2019\n"
    )
    load(tmp_path / "inbox", tmp_path / "w.duckdb", "run-3")
    assert rejected_values(tmp_path / "w.duckdb")["column_name"].to_list() == ["connected_on"]
