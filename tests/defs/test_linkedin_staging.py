"""Messages and invitations end to end through Dagster: raw load, quarantine, and staging tables
that hold each message and invitation once however many overlapping exports contain it."""

import datetime as dt

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.defs.raw.linkedin import linkedin_invitations as raw_invitations
from pipelines.defs.raw.linkedin import linkedin_messages as raw_messages
from pipelines.defs.resources import ConstellationResource
from pipelines.defs.staging.linkedin import linkedin_invitations, linkedin_messages
from tests.conftest import fixture_bytes, write_export

ASSETS = [raw_messages, raw_invitations, linkedin_messages, linkedin_invitations]
OLDER = "Basic_LinkedInDataExport_01-15-2025"
NEWER = "Complete_LinkedInDataExport_06-01-2025"


@pytest.fixture
def inbox(tmp_path):
    root = tmp_path / "inbox"
    write_export(
        root,
        OLDER,
        {
            "messages.csv": fixture_bytes("linkedin/messages_2024_12.csv"),
            "Invitations.csv": fixture_bytes("linkedin/invitations_2024_01.csv"),
            "coach_messages.csv": fixture_bytes("linkedin/no_conversations.csv"),
        },
    )
    write_export(
        root,
        NEWER,
        {
            "messages.csv": fixture_bytes("linkedin/messages_2025.csv"),
            "Invitations.csv": fixture_bytes("linkedin/invitations_2025.csv"),
            "guide_messages.csv": fixture_bytes("linkedin/guide_messages_2026.csv"),
        },
        as_zip=True,
    )
    return root


def refresh(inbox, db) -> dg.ExecuteInProcessResult:
    resource = ConstellationResource(inbox=str(inbox), db_path=str(db))
    result = dg.materialize(ASSETS, resources={"constellation": resource})
    assert result.success
    return result


def checks(result) -> dict[str, bool]:
    return {e.check_name: e.passed for e in result.get_asset_check_evaluations()}


def query(db, sql: str):
    with warehouse.connect(db, read_only=True) as con:
        return warehouse.frame(con, sql)


def test_overlapping_exports_give_each_message_once_from_the_newest_export(inbox, tmp_path):
    db = tmp_path / "w.duckdb"
    result = refresh(inbox, db)
    assert checks(result)["no_duplicate_messages"] is True
    assert query(db, "SELECT count(*) AS n FROM raw.linkedin_messages")["n"][0] == 8
    staged = query(
        db,
        """SELECT sent_at, sender_name, copies, source_path, snapshot_date,
                                 is_draft, conversation_source
                          FROM staging.linkedin_messages ORDER BY sent_at""",
    )
    assert staged.height == 6
    assert staged["copies"].to_list() == [2, 2, 1, 1, 1, 1]
    jonas = staged.row(0, named=True)
    assert jonas["sender_name"] == "Jonas Weber"
    assert jonas["source_path"] == f"{NEWER}.zip/messages.csv"
    assert jonas["snapshot_date"] == dt.date(2025, 6, 1)
    # Only the older export says whether it was a draft; its answer is kept.
    assert jonas["is_draft"] is False
    assert staged["conversation_source"].to_list().count("guide") == 2


def test_overlapping_exports_give_each_invitation_once(inbox, tmp_path):
    db = tmp_path / "w.duckdb"
    result = refresh(inbox, db)
    assert checks(result)["no_duplicate_invitations"] is True
    staged = query(
        db,
        """SELECT to_name, copies, invitee_slug, snapshot_date
                          FROM staging.linkedin_invitations ORDER BY sent_at""",
    )
    assert staged["to_name"].to_list() == ["Kenji 山田", "Priya Raman", "Tomas Berg"]
    kenji = staged.row(0, named=True)
    assert (kenji["copies"], kenji["invitee_slug"]) == (2, "山田-kenji")
    assert kenji["snapshot_date"] == dt.date(2025, 6, 1)


def test_loading_twice_changes_nothing(inbox, tmp_path):
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    snapshot = {
        table: query(db, f"SELECT * EXCLUDE (source_sha256) FROM {table} ORDER BY ALL")
        for table in (
            "raw.linkedin_messages",
            "staging.linkedin_messages",
            "raw.linkedin_invitations",
            "staging.linkedin_invitations",
        )
    }
    second = refresh(inbox, db)
    assert all(checks(second).values())
    for table, before in snapshot.items():
        after = query(db, f"SELECT * EXCLUDE (source_sha256) FROM {table} ORDER BY ALL")
        assert after.equals(before), table
    statuses = query(
        db,
        f"""SELECT status, count(*) AS n FROM quality.file_loads
                             WHERE load_id = '{second.run_id}' GROUP BY ALL""",
    )
    assert statuses.rows() == [("unchanged", 6)]  # every file skipped, none reloaded


def test_no_conversations_file_is_loaded_with_zero_rows_and_a_note(inbox, tmp_path):
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    load = query(
        db,
        f"""SELECT status, rows_read, rows_loaded, rows_quarantined, message
                         FROM quality.file_loads WHERE path = '{OLDER}/coach_messages.csv'""",
    )
    assert load.rows() == [
        ("loaded", 0, 0, 0, "the file says 'No conversations found': no messages to load")
    ]


def test_bad_rows_go_to_quarantine_and_every_row_is_counted(tmp_path):
    root = tmp_path / "inbox"
    write_export(
        root,
        OLDER,
        {
            "messages.csv": fixture_bytes("linkedin/messages_2021.csv"),
            "Invitations.csv": fixture_bytes("linkedin/invitations_2025.csv"),
        },
    )
    db = tmp_path / "w.duckdb"
    result = refresh(root, db)
    assert checks(result)["rows_conserved"] is True
    quarantine = query(
        db,
        """SELECT path, record_number, reason FROM quality.quarantine
                              ORDER BY path""",
    )
    assert quarantine["path"].to_list() == [f"{OLDER}/Invitations.csv", f"{OLDER}/messages.csv"]
    assert (
        quarantine["reason"][1] == "DATE '2022-02-30 10:00:00 UTC' is not a date in a known format"
    )
    assert "SIDEWAYS" in quarantine["reason"][0]
    counts = query(
        db,
        """SELECT path, rows_read, rows_loaded, rows_quarantined
                          FROM quality.file_loads ORDER BY path""",
    )
    assert counts.rows() == [
        (f"{OLDER}/Invitations.csv", 3, 2, 1),
        (f"{OLDER}/messages.csv", 3, 2, 1),
    ]


def test_html_content_of_2026_exports_reads_as_text(tmp_path):
    root = tmp_path / "inbox"
    write_export(
        root,
        "Complete_LinkedInDataExport_03-09-2026",
        {"messages.csv": fixture_bytes("linkedin/messages_2026.csv")},
    )
    db = tmp_path / "w.duckdb"
    refresh(root, db)
    rows = query(
        db, "SELECT content, content_text FROM staging.linkedin_messages ORDER BY sent_at"
    ).rows()
    plain, html = rows[0], rows[1]
    assert plain[1] == plain[0]  # text without markup is left as it is
    assert html[0].startswith("<p>Happy to help &amp;")  # the file's text is kept
    assert html[1] == 'Happy to help & good luck with the "launch"!\n\n— Priya'  # two paragraphs
