"""Mail end to end through Dagster: every message accounted for per file, bad files named with
their byte offset, reloads idempotent, the snippet switch, and staging holding each message
once however many files hold a copy."""

from __future__ import annotations

import shutil

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.defs.raw.mail import email_messages as raw_mail
from pipelines.defs.resources import ConstellationResource
from pipelines.defs.staging.mail import email_messages as staged_mail
from pipelines.lib.mail import ingest
from tests.conftest import FIXTURES
from tests.lib.mail.corpus import MAIL

ASSETS = [raw_mail, staged_mail]


@pytest.fixture
def inbox(tmp_path):
    root = tmp_path / "inbox"
    shutil.copytree(MAIL, root, ignore=shutil.ignore_patterns("*.py", "__pycache__", "core"))
    return root


def refresh(inbox, db, config=None) -> dg.ExecuteInProcessResult:
    resource = ConstellationResource(
        inbox=str(inbox), db_path=str(db), config_path=str(config) if config else ""
    )
    result = dg.materialize(ASSETS, resources={"constellation": resource})
    assert result.success
    return result


def checks(result) -> dict[str, bool]:
    return {e.check_name: e.passed for e in result.get_asset_check_evaluations()}


def query(db, sql: str):
    with warehouse.connect(db, read_only=True) as con:
        return warehouse.frame(con, sql)


def loads(db):
    return {
        row["path"]: row
        for row in query(
            db,
            """SELECT * FROM quality.file_loads WHERE target_table = 'raw.email_messages'
               QUALIFY row_number() OVER (PARTITION BY path ORDER BY loaded_at DESC) = 1""",
        ).iter_rows(named=True)
    }


def test_every_message_is_loaded_or_quarantined_and_bad_files_are_named(inbox, tmp_path):
    db = tmp_path / "w.duckdb"
    result = refresh(inbox, db)
    assert checks(result) == {
        "schema_valid": True,
        "rows_conserved": True,
        "no_duplicate_messages": True,
    }
    ledger = loads(db)
    takeout = ledger["Takeout/Mail/All mail Including Spam and Trash.mbox"]
    assert (takeout["status"], takeout["rows_read"], takeout["rows_loaded"]) == ("loaded", 4, 4)
    classic = ledger["classic.mbox"]
    assert (classic["rows_read"], classic["rows_loaded"], classic["rows_quarantined"]) == (5, 4, 1)
    for bad in ("bad/garbage.mbox", "bad/not-mail.mbox"):
        assert ledger[bad]["status"] == "failed"
        assert ledger[bad]["message"].startswith(f"{bad}: not an mbox file — byte 0 ")
    truncated = ledger["bad/truncated.mbox"]
    assert (truncated["rows_loaded"], truncated["rows_quarantined"]) == (2, 1)
    reasons = query(db, "SELECT reason FROM quality.quarantine ORDER BY reason")["reason"].to_list()
    assert reasons == [
        "bad/truncated.mbox at byte 596: truncated — the file ends inside this message's headers",
        "classic.mbox at byte 757: no header block (the message starts with 'This message has "
        "no headers at all, only text.\\n\\nIt must be q')",
    ]
    assert query(db, "SELECT count(*) AS n FROM raw.email_messages")["n"][0] == 18
    recipients = query(
        db,
        """SELECT r.role, r.address, r.name FROM raw.email_recipients r
           JOIN raw.email_messages m USING (message_key, source_path)
           WHERE m.message_id = 'CAJ1abc.thread1@mail.example.com' AND m.source_format = 'mbox'
             AND m.folder <> 'classic'
           ORDER BY r.position""",
    ).rows()
    assert recipients == [
        ("to", "owner@example.com", "Owen Owner"),
        ("to", "jane.doe@example.net", "Doe, Jane"),
        ("cc", "joerg@example.de", "Jörg Müller"),
    ]


def test_staging_keeps_one_row_per_message(inbox, tmp_path):
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    staged = query(db, "SELECT * FROM staging.email_messages")
    # 18 raw rows: the Takeout message again in Maildir/new, the slides again in single.eml, the
    # pipermail pair again in truncated.mbox. A reused Message-ID (other sender) stays apart.
    assert staged.height == 14
    first = staged.filter(staged["message_id"] == "CAJ1abc.thread1@mail.example.com").sort("copies")
    assert first["copies"].to_list() == [1, 2]
    taken = first.row(1, named=True)
    assert taken["thread_id"] == "gmail:1723853304940284153"
    assert taken["folders"] == ["All mail Including Spam and Trash", "INBOX"]
    assert "Clients, 2022" in taken["gmail_labels"]
    # A reply chain: the reply takes the thread of its root message.
    threads = dict(
        query(db, "SELECT message_id, thread_id FROM staging.email_messages").iter_rows()
    )
    assert threads["pm.2@example.org"] == threads["pm.1@example.com"]
    assert threads["maildir.2@example.com"] == threads["maildir.1@example.com"]
    # Enron: no reply headers, the same subject (RE: stripped) and participants.
    enron = [t for m, t in threads.items() if m and "JavaMail" in m]
    assert len(enron) == 2 and enron[0] == enron[1]


def test_copies_with_their_own_message_ids_count_once(inbox, tmp_path):
    data = (inbox / "single.eml").read_bytes().replace(b"<attach.1@example.net>", b"<copy@x>")
    (inbox / "copy.eml").write_bytes(data)
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    slides = query(db, "SELECT copies FROM staging.email_messages WHERE subject = 'The slides'")
    assert slides["copies"].to_list() == [3]


def test_reload_skips_unchanged_and_replaces_changed_files(inbox, tmp_path):
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    before = query(db, "SELECT * EXCLUDE (source_sha256) FROM raw.email_messages ORDER BY ALL")
    refresh(inbox, db)
    ledger = loads(db)
    assert ledger["classic.mbox"]["status"] == "unchanged"
    assert ledger["classic.mbox"]["rows_read"] == 5
    assert query(
        db, "SELECT * EXCLUDE (source_sha256) FROM raw.email_messages ORDER BY ALL"
    ).equals(before)
    # New mail appended to an mbox: the file is loaded again, with no duplicates.
    pipermail = inbox / "lists" / "2015-November"
    pipermail.write_bytes(
        pipermail.read_bytes()
        + b"\nFrom cy at example.com  Mon Nov 16 08:00:00 2015\nFrom: cy at example.com (Cy)\n"
        b"Subject: Re: [dev] Release plan\nMessage-ID: <pm.3@example.com>\n\n+1\n"
    )
    result = refresh(inbox, db)
    assert checks(result)["rows_conserved"] is True
    assert loads(db)["lists/2015-November"]["rows_loaded"] == 3
    counts = query(
        db, "SELECT count(*) AS n FROM raw.email_messages WHERE source_path = 'lists/2015-November'"
    )
    assert counts["n"][0] == 3


def test_snippets_off_stores_no_body_text(inbox, tmp_path):
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    assert query(db, "SELECT count(snippet) AS n FROM raw.email_messages")["n"][0] > 10
    config = tmp_path / "constellation.toml"
    config.write_text("[email]\nstore_snippets = false\n")
    refresh(inbox, db, config)
    for table in ("raw.email_messages", "staging.email_messages"):
        assert query(db, f"SELECT count(snippet) AS n FROM {table}")["n"][0] == 0


def test_bulk_and_automated_mail_keeps_no_text(inbox, tmp_path):
    """Only mail between people is ever classified, so only it keeps a snippet."""
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    kept = query(
        db,
        """SELECT is_bulk, count(*) AS messages, count(snippet) AS with_text
           FROM raw.email_messages GROUP BY ALL ORDER BY is_bulk""",
    )
    personal, bulk = kept.rows()
    assert personal[0] is False and personal[2] > 10
    assert bulk[0] is True and bulk[1] > 0 and bulk[2] == 0


def test_a_ten_megabyte_header_line_is_quarantined_with_its_offset(inbox, tmp_path):
    good = (inbox / "lists" / "2015-November").read_bytes()
    huge = (
        b"From big@example.com Sat Nov 14 21:29:28 2015\nFrom: big@example.com\nSubject: "
        + b"x" * (10 << 20)
        + b"\n\nbody\n"
    )
    (inbox / "huge.mbox").write_bytes(huge + b"\n" + good)
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    ledger = loads(db)["huge.mbox"]
    assert (ledger["rows_read"], ledger["rows_loaded"], ledger["rows_quarantined"]) == (3, 2, 1)
    reason = query(db, "SELECT reason FROM quality.quarantine WHERE path = 'huge.mbox'")["reason"]
    assert reason[0].startswith("huge.mbox at byte 0: header block of 10,485,")


def test_a_message_whose_date_header_is_no_date_loads_and_the_date_is_kept_aside(inbox, tmp_path):
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    first = loads(db)
    refresh(inbox, db)  # unchanged files: kept as they were, never twice
    message = query(
        db,
        "SELECT source_path, record_number, date_utc, subject FROM raw.email_messages "
        "WHERE message_id = 'invalid.date@example.com'",
    ).row(0, named=True)
    assert message["date_utc"] is None
    assert message["subject"].startswith("Café au lait")
    values = query(
        db,
        "SELECT path, kind, target_table, record_number, column_name, value, reason "
        "FROM quality.rejected_values WHERE target_table = 'raw.email_messages'",
    )
    assert values.to_dicts() == [
        {
            "path": message["source_path"],
            "kind": "email_messages",
            "target_table": "raw.email_messages",
            "record_number": message["record_number"],
            "column_name": "date_utc",
            "value": "Mon, 3 Jan 2022 27:39:33 +0100",
            "reason": f"{message['source_path']} at byte 0: the Date header is not a date",
        }
    ]
    assert "1 value(s) left out" in first[message["source_path"]]["message"]


ONE_MESSAGE = MAIL.parent / "mail_one_message" / "minutes.mbox"


def test_an_mbox_holding_one_message_without_a_from_line_is_read_as_one_message(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(ONE_MESSAGE, inbox / "minutes.mbox")
    shutil.copy(MAIL / "bad" / "not-mail.mbox", inbox / "not-mail.mbox")
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    ledger = loads(db)
    one = ledger["minutes.mbox"]
    assert (one["status"], one["rows_read"], one["rows_loaded"], one["rows_quarantined"]) == (
        "loaded",
        1,
        1,
        0,
    )
    assert one["variant"] == "mbox holding one message"
    assert "one RFC 822 message without a leading `From ` line" in one["message"]
    message = query(
        db, "SELECT from_address, subject, folder, date_utc FROM raw.email_messages"
    ).row(0, named=True)
    assert message["from_address"] == "ann.example@example.org"
    assert message["subject"] == "Minutes of Monday's call"
    assert message["folder"] == "minutes"
    assert message["date_utc"] is not None
    # a file that is neither an mbox nor one message is still refused, as before
    refused = ledger["not-mail.mbox"]
    assert refused["status"] == "failed"
    assert refused["message"].startswith(
        "not-mail.mbox: not an mbox file — byte 0 does not start an mbox message"
    )


def test_an_mbox_that_lost_only_its_first_from_line_is_not_read_as_one_message(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    second = b"\nFrom bo@example.net Wed Mar 13 10:00:00 2019\nFrom: bo@example.net\n\nThanks\n"
    (inbox / "cut.mbox").write_bytes(ONE_MESSAGE.read_bytes() + second)
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    cut = loads(db)["cut.mbox"]
    assert cut["status"] == "failed"
    assert "does not start an mbox message" in cut["message"]


def test_a_maildir_loads_as_one_batch_yet_each_file_keeps_its_own_account(tmp_path):
    """The files of a maildir are validated and written together, but each keeps its rows, its
    ledger row and its quarantine: a changed file is replaced alone, a new one added, a broken
    one quarantined, the rest skipped as unchanged."""
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "enron", inbox)
    db = tmp_path / "w.duckdb"
    refresh(inbox, db)
    folder = inbox / "maildir/allen-p/inbox"
    first = {p: r["rows_loaded"] for p, r in loads(db).items()}
    assert first == dict.fromkeys(first, 1) and len(first) == 5
    changed = folder / "2."
    changed.write_bytes(changed.read_bytes().replace(b"Subject: ", b"Subject: Changed ", 1))
    (folder / "9.").write_bytes(
        (folder / "3.").read_bytes().replace(b"Message-ID: <", b"Message-ID: <new.", 1)
    )
    (folder / "10.").write_bytes(b"From: someone@enron.com\r\nSubject: no end")  # no body, no date
    result = refresh(inbox, db)
    assert checks(result)["rows_conserved"] is True
    ledger = loads(db)
    status = {path.removeprefix("maildir/allen-p/"): row["status"] for path, row in ledger.items()}
    assert status == {
        "inbox/1.": "unchanged",
        "inbox/2.": "loaded",
        "inbox/3.": "unchanged",
        "inbox/9.": "loaded",
        "inbox/10.": "loaded",
        "sent/1.": "unchanged",
        "sent_items/1.": "unchanged",
    }
    counts = query(
        db,
        "SELECT source_path, count(*) AS n, min(record_number) AS r FROM raw.email_messages GROUP BY ALL",
    )
    assert set(counts["n"]) == {1} and set(counts["r"]) == {1}  # one row per file, numbered in it
    subjects = query(
        db, "SELECT subject FROM raw.email_messages WHERE source_path LIKE '%inbox/2.'"
    )
    assert subjects["subject"][0].startswith("Changed ")
    broken = ledger["maildir/allen-p/inbox/10."]
    assert (broken["rows_read"], broken["rows_loaded"] + broken["rows_quarantined"]) == (1, 1)


def test_when_a_maildir_cannot_be_written_together_each_file_is_loaded_alone(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "enron", inbox)

    def refuse(*args, **kwargs):
        raise RuntimeError("a write the group could not take")

    monkeypatch.setattr(ingest, "_write_members", refuse)
    db = tmp_path / "w.duckdb"
    result = refresh(inbox, db)
    assert checks(result)["rows_conserved"] is True
    ledger = loads(db)
    assert len(ledger) == 5
    assert {row["status"] for row in ledger.values()} == {"loaded"}
    assert query(db, "SELECT count(*) AS n FROM raw.email_messages")["n"][0] == 5
