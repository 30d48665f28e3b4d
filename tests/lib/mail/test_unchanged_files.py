"""A maildir that is loaded again: the files whose size and modification time are those of their
last load are skipped without being read; a file touched but not changed is read, found the same
and skipped; a changed one is loaded again; the ledger keeps each file's size and time."""

from __future__ import annotations

import os

from pipelines import warehouse
from pipelines.lib import inbox
from pipelines.lib.mail import ingest

MESSAGE = (
    "Return-Path: <ana@example.com>\n"
    "Delivered-To: owner@example.org\n"
    "From: Ana Berg <ana@example.com>\n"
    "To: owner@example.org\n"
    "Subject: Lunch {n}\n"
    "Date: Mon, 4 Mar 2024 12:0{n}:00 +0000\n"
    "Message-ID: <lunch.{n}@example.com>\n"
    "\n"
    "Are you free on Thursday?\n"
)


def maildir(root):
    for sub in ("cur", "new", "tmp"):
        (root / "Maildir" / sub).mkdir(parents=True)
    for n in range(4):
        path = root / "Maildir" / "cur" / f"170900000{n}.1234_{n}.host:2,S"
        path.write_text(MESSAGE.format(n=n))
        os.utime(path, ns=(1_709_000_000_000_000_000 + n, 1_709_000_000_000_000_000 + n))


def load(root, db, monkeypatch) -> tuple[dict[str, str], list[str]]:
    """(status per file, the files whose content was fingerprinted) of one load."""
    read: list[str] = []
    fingerprint = ingest.fingerprint

    def counted(source, size=None):
        read.append(source.name)
        return fingerprint(source, size)

    monkeypatch.setattr(ingest, "fingerprint", counted)
    files = [f for f in inbox.scan(root).files if ingest.sources.source_format(f)]
    with warehouse.connect(db) as con:
        outcome = ingest.load_mail_files(con, "test", files, store_snippets=True)
    return {f.path.rsplit("/", 1)[1][:11]: f.status for f in outcome.files}, sorted(read)


def test_unchanged_maildir_files_are_skipped_by_size_and_time_without_being_read(
    tmp_path, monkeypatch
):
    root = tmp_path / "inbox"
    maildir(root)
    db = tmp_path / "w.duckdb"
    status, read = load(root, db, monkeypatch)
    assert set(status.values()) == {"loaded"} and len(read) == 4

    status, read = load(root, db, monkeypatch)
    assert set(status.values()) == {"unchanged"}
    assert read == []  # not one file opened to hash it

    cur = root / "Maildir" / "cur"
    touched, edited = sorted(cur.iterdir())[1:3]
    os.utime(touched)  # a new time, the same bytes: read, found the same
    edited.write_text(MESSAGE.format(n=9))  # new content (and time): loaded again
    status, read = load(root, db, monkeypatch)
    assert read == sorted([touched.name, edited.name])
    assert status == {
        "1709000000.": "unchanged",
        "1709000001.": "unchanged",
        "1709000002.": "loaded",
        "1709000003.": "unchanged",
    }
    with warehouse.connect(db, read_only=True) as con:
        subjects = warehouse.frame(con, "SELECT subject FROM raw.email_messages ORDER BY ALL")
        ledger = warehouse.frame(
            con,
            "SELECT size_bytes, mtime_ns FROM quality.file_loads WHERE path = ? "
            "ORDER BY loaded_at DESC LIMIT 1",
            [touched.relative_to(root).as_posix()],
        )
    assert subjects["subject"].to_list() == ["Lunch 0", "Lunch 1", "Lunch 3", "Lunch 9"]
    info = touched.stat()
    assert ledger.row(0) == (info.st_size, info.st_mtime_ns)  # the next load skips it unread

    status, read = load(root, db, monkeypatch)
    assert set(status.values()) == {"unchanged"} and read == []
