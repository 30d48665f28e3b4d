"""An mbox that grows by appended mail (Thunderbird's folders): the next load reads the file's
last message and the new ones, keeps the rows before, and the warehouse then holds exactly what
loading the grown file afresh writes. Anything else about the file (an edit in the part loaded
before, a last message that was quarantined) makes it be read whole."""

from __future__ import annotations

import random

import pytest

from pipelines import warehouse
from pipelines.lib import inbox
from pipelines.lib.loading import conservation_violations
from pipelines.lib.mail import ingest
from pipelines.lib.sample import mail
from pipelines.lib.sample.cast import build_cast

APPENDED = "mail appended since the last load"
# `source_sha256` is the file's fingerprint when the row was read: rows kept from the earlier
# load carry the earlier one.
TABLES = {
    "raw.email_messages": "SELECT * EXCLUDE (source_sha256) FROM raw.email_messages",
    "raw.email_recipients": "SELECT * EXCLUDE (source_sha256) FROM raw.email_recipients",
    "quality.quarantine": "SELECT path, record_number, raw_text, reason FROM quality.quarantine",
}


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory) -> bytes:
    """The first 1 MB of a realistic mailbox, ending after a whole message."""
    path = tmp_path_factory.mktemp("mailbox") / "real.mbox"
    mail.write_mailbox(path, build_cast(7), random.Random(5), 1, mail.REALISTIC)
    data = path.read_bytes()
    return data[: data.index(b"\n\nFrom ", 1_000_000) + 2]


def halfway(data: bytes) -> int:
    """Where the last message that starts before the middle of the mailbox starts."""
    return data.rfind(b"\n\nFrom ", 0, len(data) // 2) + 2


def load(root, db, *, workers: int = 1):
    files = [f for f in inbox.scan(root).files if ingest.sources.source_format(f)]
    with warehouse.connect(db) as con:
        outcome = ingest.load_mail_files(con, "test", files, store_snippets=True, workers=workers)
        tables = {name: warehouse.frame(con, sql + " ORDER BY ALL") for name, sql in TABLES.items()}
        assert conservation_violations(con, ingest.MESSAGES).is_empty()
    (result,) = outcome.files
    return result, tables


def fresh(data: bytes, tmp_path, name: str):
    root = tmp_path / name
    root.mkdir()
    (root / "Inbox.mbox").write_bytes(data)
    return load(root, tmp_path / f"{name}.duckdb")


@pytest.mark.parametrize("workers", [1, 2])
def test_appended_mail_is_read_alone_and_the_rows_equal_a_fresh_load(
    mailbox, tmp_path, monkeypatch, workers
):
    # With workers, the first load goes through worker processes (ranges of ~20 KB).
    monkeypatch.setattr(ingest, "PARALLEL_BYTES", 1024)
    monkeypatch.setattr(ingest, "RANGE_BYTES", 20_000)
    cut = halfway(mailbox)
    root = tmp_path / "inbox"
    root.mkdir()
    box = root / "Inbox.mbox"
    box.write_bytes(mailbox[:cut])
    first, _ = load(root, tmp_path / "w.duckdb", workers=workers)
    assert first.status == "loaded" and APPENDED not in first.message

    with box.open("ab") as handle:  # new mail arrives
        handle.write(mailbox[cut:])
    grown, tables = load(root, tmp_path / "w.duckdb", workers=workers)
    assert grown.status == "loaded" and APPENDED in grown.message

    expected, expected_tables = fresh(mailbox, tmp_path, "fresh")
    assert (grown.rows_read, grown.rows_loaded, grown.rows_quarantined) == (
        expected.rows_read,
        expected.rows_loaded,
        expected.rows_quarantined,
    )
    for name, frame in expected_tables.items():
        assert tables[name].equals(frame), name

    again, _ = load(root, tmp_path / "w.duckdb", workers=workers)
    assert again.status == "unchanged"


def test_an_edit_in_the_part_loaded_before_makes_the_file_be_read_whole(mailbox, tmp_path):
    cut = halfway(mailbox)
    root = tmp_path / "inbox"
    root.mkdir()
    box = root / "Inbox.mbox"
    box.write_bytes(mailbox[:cut])
    load(root, tmp_path / "w.duckdb")

    at = mailbox.index(b"\nSubject: ", 1000) + len(b"\nSubject: ")
    edited = mailbox[:at] + b"X" + mailbox[at + 1 :]  # same size, one subject changed
    box.write_bytes(edited)
    grown, tables = load(root, tmp_path / "w.duckdb")
    assert grown.status == "loaded" and APPENDED not in grown.message

    _, expected_tables = fresh(edited, tmp_path, "fresh")
    for name, frame in expected_tables.items():
        assert tables[name].equals(frame), name


def test_snippets_switched_off_in_between_make_the_grown_file_be_read_whole(mailbox, tmp_path):
    """Switching snippets off removes every stored snippet, also of files not read in that
    refresh; a file loaded with snippets that then grows is read whole, not kept without them."""
    cut = halfway(mailbox)
    root = tmp_path / "inbox"
    root.mkdir()
    box = root / "Inbox.mbox"
    box.write_bytes(mailbox[:cut])
    db = tmp_path / "w.duckdb"
    load(root, db)
    with warehouse.connect(db) as con:  # a refresh with snippets off that does not read the file
        ingest.load_mail_files(con, "off", [], store_snippets=False)
        assert warehouse.scalar(con, "SELECT count(snippet) FROM raw.email_messages") == 0

    with box.open("ab") as handle:
        handle.write(mailbox[cut:])
    grown, tables = load(root, db)
    assert grown.status == "loaded" and APPENDED not in grown.message
    _, expected_tables = fresh(mailbox, tmp_path, "fresh")
    for name, frame in expected_tables.items():
        assert tables[name].equals(frame), name
