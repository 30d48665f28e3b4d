"""Which files are mail, their format and folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipelines.lib import catalog, inbox
from pipelines.lib.mail.sources import folder_of, source_format


def source(path: str, data: bytes) -> inbox.SourceFile:
    return inbox.SourceFile(path, len(data), "", None, lambda: io.BytesIO(data))


HEADERS = b"Message-ID: <a@example.com>\nFrom: a@example.com\n\nbody\n"
MBOX = b"From a@example.com Sat Nov 14 21:29:28 2015\n" + HEADERS


@pytest.mark.parametrize(
    ("path", "data", "fmt", "folder"),
    [
        (
            "Takeout/Mail/All mail Including Spam and Trash.mbox",
            MBOX,
            "mbox",
            "All mail Including Spam and Trash",
        ),
        ("export.zip/Takeout/Mail/Sent.mbox", MBOX, "mbox", "Sent"),
        ("Thunderbird/Inbox", MBOX, "mbox", "Inbox"),
        ("lists/2015-November", MBOX, "mbox", "2015-November"),
        ("Maildir/cur/1700000000.M1P1.host:2,S", HEADERS, "maildir", "INBOX"),
        ("Maildir/.Sent/new/1700000000.M1P1.host", HEADERS, "maildir", "Sent"),
        ("maildir/allen-p/sent_items/12.", HEADERS, "maildir", "sent_items"),
        ("maildir/allen-p/discussion_threads/sub/3.", HEADERS, "maildir", "discussion_threads/sub"),
        ("saved/note.eml", HEADERS, "eml", "saved"),
        ("any.mbox", b"not mail at all", "mbox", "any"),  # named mbox: a failed load explains
    ],
)
def test_mail_files_are_recognised(path, data, fmt, folder):
    file = source(path, data)
    assert source_format(file) == fmt
    assert folder_of(file, fmt) == folder
    assert catalog.kind_of(file) == "email_messages"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("notes/README", b"From the desk of the owner\n"),
        ("Maildir/tmp/1700000000.M1P1.host", HEADERS),
        ("Maildir/cur/binary", bytes(range(256))),
        ("data/7.", b"7 apples\n"),
        ("Inbox.msf", b'// <!-- <mdb:mork:z v="1.4"/> -->'),
    ],
)
def test_other_files_are_not_mail(path, data):
    assert source_format(source(path, data)) is None


def test_maildir_plus_plus_subfolders_are_scanned(tmp_path: Path):
    sent = tmp_path / "Maildir" / ".Sent" / "cur"
    sent.mkdir(parents=True)
    (sent / "1.host:2,S").write_bytes(HEADERS)
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x").write_bytes(b"x")
    assert [f.path for f in inbox.scan(tmp_path).files] == ["Maildir/.Sent/cur/1.host:2,S"]
