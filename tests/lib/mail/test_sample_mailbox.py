"""The sample's Gmail Takeout mailbox: it reads back completely with the product's own reader,
tells the cast's story (the same people and addresses), carries the noise to filter, stays small
at scale 1 and grows linearly with the scale."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from pipelines.lib import inbox
from pipelines.lib.mail import ingest, sources
from pipelines.lib.sample import mail
from pipelines.lib.sample.cast import build_cast


def read_back(root: Path) -> list[tuple[dict, list[dict]]]:
    (source,) = [f for f in inbox.scan(root).files if f.path == mail.MBOX]
    fmt = sources.source_format(source)
    ctx = ingest.FileContext(source, fmt, "All mail", store_snippets=True)
    with source.open() as handle:
        return [
            ingest.message_rows(message, n, ctx)
            for n, message in enumerate(sources.iter_messages(source, fmt, handle), start=1)
        ]


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory) -> tuple[Path, list[tuple[dict, list[dict]]]]:
    root = tmp_path_factory.mktemp("mailbox")
    cast = build_cast(7)
    mail.generate(root, cast, random.Random("7:pipelines.lib.sample.mail"), 1)
    return root, read_back(root)


def test_every_message_reads_back_in_date_order_and_the_file_is_small(mailbox):
    root, messages = mailbox
    assert (root / mail.MBOX).stat().st_size < 2_000_000
    assert 1_500 <= len(messages) <= 2_500
    dates = [row["date_utc"] for row, _ in messages]
    assert None not in dates and dates == sorted(dates)
    assert all(row["thread_id"].startswith("gmail:") for row, _ in messages)


def test_the_story_is_the_casts_between_the_same_people(mailbox):
    _, messages = mailbox
    cast = build_cast(7)
    known = {e for c in cast.contacts for e in c.emails} | set(cast.owner.emails)
    personal = [(row, rcpts) for row, rcpts in messages if not row["is_bulk"]]
    story = [(row, rcpts) for row, rcpts in personal if row["from_address"] in known]
    threads = [t for t in cast.threads if t.channel == "email"]
    assert len(story) >= sum(len(t.messages) for t in threads)
    for _, recipients in story:
        assert {r["address"] for r in recipients} <= known
    owner_sent = [row for row, _ in story if row["from_address"] in cast.owner.emails]
    assert all(
        "Sent" in row["gmail_labels"] or "Drafts" in row["gmail_labels"] for row in owner_sent
    )
    # Replies point at their parent and quote it; the snippet keeps only the new text.
    replies = [row for row, _ in story if row["in_reply_to"]]
    assert len(replies) > 500
    assert not any("wrote:" in (row["snippet"] or "") for row in replies)
    intros = [row for row, rcpts in story if row["subject"].startswith("Intro:")]
    assert len(intros) == sum(1 for t in threads if len(t.participants) == 2)


def test_noise_of_every_kind_is_there_to_be_filtered(mailbox):
    _, messages = mailbox
    rows = [row for row, _ in messages]
    assert sum(1 for r in rows if r["list_id"]) > 100
    assert any(r["precedence"] == "bulk" for r in rows)
    assert any(r["auto_submitted"] == "auto-replied" for r in rows)
    assert any(r["from_address"].startswith("mailer-daemon@") for r in rows)
    assert any("Drafts" in r["gmail_labels"] for r in rows)
    assert any("Spam" in r["gmail_labels"] for r in rows)
    assert any(r["recipient_count"] > 15 for r in rows)


def test_scale_grows_the_mailbox_linearly_and_realistic_bodies_are_bigger(tmp_path):
    counts, sizes = {}, {}
    for scale in (1, 2):
        path = tmp_path / f"x{scale}.mbox"
        cast = build_cast(7, scale)
        counts[scale] = mail.write_mailbox(path, cast, random.Random(1), scale, mail.COMPACT)
        sizes[scale] = path.stat().st_size
    assert 1.8 <= counts[2] / counts[1] <= 2.2
    assert 1.8 <= sizes[2] / sizes[1] <= 2.2
    realistic = tmp_path / "realistic.mbox"
    count = mail.write_mailbox(realistic, build_cast(7), random.Random(1), 1, mail.REALISTIC)
    assert abs(count - counts[1]) < 0.02 * counts[1]  # the same story, bigger bodies
    assert realistic.stat().st_size > 5 * sizes[1]
    kinds = Counter(
        line.split(b";")[0]
        for line in realistic.read_bytes().splitlines()
        if line.startswith(b"Content-Type: ")
    )
    assert kinds[b"Content-Type: application/octet-stream"] > 20
