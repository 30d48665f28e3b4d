"""The fixture corpus as (file, message) pairs, read the way the loader reads it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipelines.lib import inbox
from pipelines.lib.mail import sources
from pipelines.lib.mail.mbox import MboxMessage

MAIL = Path(__file__).resolve().parents[2] / "fixtures" / "mail"


def mail_files() -> list[inbox.SourceFile]:
    return [f for f in inbox.scan(MAIL).files if sources.source_format(f)]


def corpus_messages() -> Iterator[tuple[inbox.SourceFile, str, MboxMessage]]:
    """Every message of every readable fixture file (files that are not mail are skipped)."""
    for source in mail_files():
        if source.parts[0] == "bad":
            continue
        fmt = sources.source_format(source)
        with source.open() as handle:
            for message in sources.iter_messages(source, fmt, handle):
                yield source, fmt, message
