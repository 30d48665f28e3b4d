"""Symbolic links in the inbox, through the real assets: a linked mail folder is read where it
is (`ln -s ~/Mail data/inbox/mail`), named by its path through the link, and every link that is
not followed is listed with the reason instead of being silently passed over."""

from __future__ import annotations

import os
import shutil

import dagster as dg

from pipelines import warehouse
from pipelines.defs.quality.inbox_files import inbox_files
from pipelines.defs.raw.mail import email_messages as raw_mail
from pipelines.defs.resources import ConstellationResource
from tests.lib.mail.corpus import MAIL


def refresh(inbox, db) -> None:
    resource = ConstellationResource(inbox=str(inbox), db_path=str(db))
    result = dg.materialize([inbox_files, raw_mail], resources={"constellation": resource})
    assert result.success


def query(db, sql: str) -> list[tuple]:
    with warehouse.connect(db, read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_linked_mail_folder_is_read_and_links_not_followed_are_listed(tmp_path):
    home_mail = tmp_path / "home" / "Mail"  # the user's mail, outside the inbox
    shutil.copytree(MAIL / "Maildir", home_mail / "Maildir")
    shutil.copy(MAIL / "classic.mbox", home_mail / "classic.mbox")
    os.symlink(home_mail, home_mail / "again")  # a loop inside the linked folder
    inbox = tmp_path / "inbox"
    (inbox / "exports").mkdir(parents=True)
    os.symlink(home_mail, inbox / "mail")
    os.symlink(home_mail, inbox / "mail-too")  # the same folder linked twice
    os.symlink(inbox / "exports", inbox / "exports-link")  # back into the inbox
    os.symlink(tmp_path / "gone", inbox / "old-mail")  # broken
    db = tmp_path / "w.duckdb"

    refresh(inbox, db)

    loaded = dict(query(db, "SELECT source_path, count(*) FROM raw.email_messages GROUP BY ALL"))
    assert set(loaded) == {
        "mail/classic.mbox",
        "mail/Maildir/cur/1700000000.M1P1.host:2,S",
        "mail/Maildir/new/1700000200.M3P1.host",
        "mail/Maildir/.Sent/cur/1700000100.M2P1.host:2,S",
    }, "read once, through the link, named inbox-relative"
    reasons = dict(query(db, "SELECT path, note FROM quality.inbox_files WHERE kind IS NULL"))
    assert "a loop" in reasons["mail/again"]
    assert "the same folder as mail" in reasons["mail-too"]
    assert "back into the inbox (exports)" in reasons["exports-link"]
    assert "which does not exist" in reasons["old-mail"]
    skipped = dict(
        query(db, "SELECT path, message FROM quality.file_loads WHERE status = 'skipped'")
    )
    assert "not followed" in skipped["old-mail"]

    refresh(inbox, db)  # a rerun reads the same, once
    again = dict(query(db, "SELECT source_path, count(*) FROM raw.email_messages GROUP BY ALL"))
    assert again == loaded
