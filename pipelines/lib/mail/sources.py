"""Which inbox files hold mail, in which format, and the messages each one holds.

- mbox: a `.mbox` file (Gmail Takeout, Apple Mail, Thunderbird export), or a file without an
  extension whose first line is an mbox separator (Thunderbird's `Inbox`, `Sent`, pipermail
  archives saved as `2015-November`). Read as a stream, message by message. A `.mbox` file that
  holds one RFC 822 message, headers first, without a `From ` line (`holds_one_message`) is
  read as one message, as a `.eml` file is.
- maildir: one message per file in `cur/` or `new/` (`tmp/` is a delivery area and ignored),
  or the Enron layout `maildir/<user>/<folder>/<n>.`.
- eml: a single `.eml` file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from pipelines.lib.inbox import SourceFile
from pipelines.lib.mail.headers import header_fields, split_message
from pipelines.lib.mail.mbox import MAX_MESSAGE_BYTES, MboxMessage, iter_mbox, looks_like_separator

KIND = "email_messages"
ENRON_FILE = re.compile(r"^\d+\.$")
HEADER_START = re.compile(rb"(?:From [^\n]*\n)?[!-9;-~]+:[ \t]")
MAILDIR_SUBFOLDERS = {"cur", "new"}
# A header block is a message's when it has one of these (a CSV's `Name: x` line has none).
MESSAGE_HEADERS = frozenset({"from", "date", "message-id"})
# A `From ` line after a blank line: where a second message of an mbox would start.
SEPARATOR_AFTER_BLANK = re.compile(rb"\n\r?\n(From [^\r\n]*)\r?\n([^\r\n]*)")


def _head(source: SourceFile, size: int = 4096) -> bytes:
    with source.open() as handle:
        return handle.read(size)


def source_format(source: SourceFile) -> str | None:
    """`mbox`, `maildir` or `eml` for a mail file, None for anything else."""
    name = source.name.lower()
    if name.endswith(".mbox"):
        return "mbox"
    if name.endswith(".eml"):
        return "eml"
    parts = source.parts
    in_maildir = len(parts) >= 2 and parts[-2] in MAILDIR_SUBFOLDERS
    if in_maildir or ENRON_FILE.match(source.name):
        return "maildir" if HEADER_START.match(_head(source)) else None
    if "." not in source.name and source.size > 0:
        lines = _head(source).split(b"\n", 2)
        if len(lines) >= 2 and looks_like_separator(lines[0].rstrip(b"\r"), lines[1]):
            return "mbox"
    return None


def holds_one_message(source: SourceFile) -> bool:
    """Whether a `.mbox` file is one RFC 822 message without the `From ` line an mbox starts
    with: it opens with a header block holding From, Date or Message-ID, and no separator line
    follows (an mbox that lost only its first `From ` line is not read as one message)."""
    head = _head(source)
    if source.size > MAX_MESSAGE_BYTES or head.startswith(b"From ") or not HEADER_START.match(head):
        return False
    with source.open() as handle:
        data = handle.read()
    block, _ = split_message(data)
    if not MESSAGE_HEADERS & header_fields(block, MESSAGE_HEADERS).keys():
        return False
    return not any(
        looks_like_separator(m.group(1), m.group(2)) for m in SEPARATOR_AFTER_BLANK.finditer(data)
    )


def mail_kind(source: SourceFile) -> str | None:
    """The catalog classifier: every mail file is of kind `email_messages`."""
    return KIND if source_format(source) else None


def folder_of(source: SourceFile, fmt: str) -> str | None:
    """The mail folder a file stands for: an mbox's name, the maildir folder holding `cur/` or
    `new/` (`.Sent` is `Sent`, the top level `INBOX`), the Enron folder path under the user."""
    path = PurePosixPath(source.path)
    if fmt == "mbox":
        return path.stem if path.suffix.lower() == ".mbox" else path.name
    if fmt == "maildir":
        parts = path.parts[:-1]
        if parts and parts[-1] in MAILDIR_SUBFOLDERS:
            parent = parts[-2] if len(parts) >= 2 else ""
            if not parent or parent.lower() == "maildir":
                return "INBOX"
            return parent.lstrip(".") or "INBOX"  # Maildir++ subfolders are `.Name`
        # Enron: maildir/<user>/<folder...>/<n>.
        if "maildir" in parts:
            below = parts[parts.index("maildir") + 2 :]
            return "/".join(below) or None
        return parts[-1] if parts else None
    return path.parent.name or None


def iter_messages(source: SourceFile, fmt: str, handle: BinaryIO) -> Iterator[MboxMessage]:
    """The messages of a mail file; a maildir file or .eml is one message at offset 0 (an
    mbox-style `From ` line at its top is dropped, as some tools write one)."""
    if fmt == "mbox":
        yield from iter_mbox(handle)
        return
    data = handle.read(MAX_MESSAGE_BYTES + 1)
    if len(data) > MAX_MESSAGE_BYTES:
        yield MboxMessage.whole(b"", data[: 64 << 10], source.size)
        return
    separator = b""
    if data.startswith(b"From "):
        line, _, rest = data.partition(b"\n")
        if HEADER_START.match(rest):
            separator, data = line.rstrip(b"\r"), rest
    yield MboxMessage.whole(separator, data)
