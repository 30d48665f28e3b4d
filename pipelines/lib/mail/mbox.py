"""Split an mbox file into messages while reading it in large blocks.

A message starts at a `From ` line that follows a blank line (or opens the file) and looks like
an mbox separator: a sender and a ctime-style date, or at least a month name, a time and a year
with a header line right after it. That accepts the separators real files carry — classic
(`From a@example.com Sat Nov 14 21:29:28 2015`), Gmail Takeout (zone before the year),
Thunderbird (`From - ...`), pipermail (`From andy at example.com  Sat ...`), extra text or
non-ASCII bytes after the date — and leaves in the body the unquoted `From ` lines of mboxo
files, which carry no such date (or are followed by prose, not by a header).

Memory: the reader holds one block plus the message being cut, so it is bounded by the largest
message (and a message over `max_message_bytes` is reported, not held).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

BLOCK_SIZE = 8 << 20
MAX_MESSAGE_BYTES = 256 << 20
OVERSIZED_KEEP = 64 << 10  # what an oversized message keeps of its start, for the quarantine

MONTH = rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# The ctime-style date every writer uses: `[Sat ]Nov 14 21:29:28 [+0000 ]2015`.
CTIME = (
    rb"(?:[A-Z][a-z]{2},? +)?" + MONTH + rb" +\d{1,2} +\d{1,2}:\d{2}(?::\d{2})?"
    rb" +(?:[+-]\d{4} +|[A-Z]{3,5} +)?(?:19|20)\d\d\b"
)
STRICT_SEPARATOR = re.compile(rb"From (?:\S+ at \S+|\S+) +" + CTIME)
# Anything else with a month, a time and a year, trusted only when a header line follows.
LOOSE_SEPARATOR = re.compile(
    rb"From \S(?=.*\b" + MONTH + rb"\b)(?=.*\b\d{1,2}:\d{2}\b)(?=.*\b(?:19|20)\d\d\b)"
)
# A header line after the separator (`Name:`), as the email package recognises one.
HEADER_LINE = re.compile(rb"[!-9;-~]+:")


class NotMbox(ValueError):
    """The file does not start with an mbox separator line; the message says where and why."""


@dataclass(frozen=True, slots=True)
class MboxMessage:
    """One message: where its separator line starts in the file, the separator line itself, and
    the message bytes (headers and body, without the separator and the blank line that ends
    it). `oversized` messages keep only their first bytes and `size` says how big they were."""

    offset: int
    separator: bytes
    data: bytes
    size: int
    oversized: bool = False


def looks_like_separator(line: bytes, next_line: bytes) -> bool:
    """True for an mbox `From ` line: one with a ctime-style date (sender, then
    `Sat Nov 14 21:29:28 2015`, Gmail's zone before the year allowed), or any `From ` line
    with a month, a time and a year that is followed by a header line."""
    if STRICT_SEPARATOR.match(line):
        return True
    return LOOSE_SEPARATOR.match(line) is not None and HEADER_LINE.match(next_line) is not None


def iter_mbox(
    handle: BinaryIO,
    *,
    block_size: int = BLOCK_SIZE,
    max_message_bytes: int = MAX_MESSAGE_BYTES,
    first_offset: int = 0,
) -> Iterator[MboxMessage]:
    """The messages of an mbox, in file order. Raises `NotMbox` when the file does not open with
    a separator line (blank lines before it are allowed). `first_offset` is the file offset of
    the handle's first byte (when it reads a range of the file)."""
    buf = handle.read(block_size)
    eof = not buf
    base = first_offset  # file offset of buf[0]
    start = len(buf) - len(buf.lstrip(b"\r\n"))
    while not eof and start == len(buf):  # a file that opens with many blank lines
        more = handle.read(block_size)
        eof = not more
        base += len(buf)
        buf = more
        start = len(buf) - len(buf.lstrip(b"\r\n"))
    if not buf:
        return
    first_end = buf.find(b"\n", start)
    second_end = buf.find(b"\n", first_end + 1) if first_end >= 0 else -1
    while second_end < 0 and not eof and len(buf) - start < max_message_bytes:
        more = handle.read(block_size)
        eof = not more
        buf += more
        first_end = buf.find(b"\n", start)
        second_end = buf.find(b"\n", first_end + 1) if first_end >= 0 else -1
    first = buf[start : first_end if first_end >= 0 else len(buf)].rstrip(b"\r")
    second = buf[first_end + 1 : second_end if second_end >= 0 else len(buf)]
    if not looks_like_separator(first, second):
        shown = first[:80].decode("utf-8", "replace")
        raise NotMbox(
            f"byte {base + start} does not start an mbox message (expected a line like "
            f"'From sender@example.com Mon Jan  1 10:00:00 2024' followed by headers, "
            f"found {shown!r})"
        )
    # `start` is where the current message's separator line begins in `buf` (or, for an
    # oversized message, where its unkept rest continues); `offset` is that message's place in
    # the file; `scan` is where the search for the next separator resumes.
    offset = base + start
    scan = first_end + 1
    kept: bytes | None = None
    while True:
        found = buf.find(b"\nFrom ", scan)
        while found >= 0:
            if _blank_before(buf, found, start):
                line_end = buf.find(b"\n", found + 1)
                next_end = buf.find(b"\n", line_end + 1) if line_end >= 0 else -1
                if next_end < 0 and not eof:
                    break  # the candidate's lines are not complete yet: read more first
                line = buf[found + 1 : line_end if line_end >= 0 else len(buf)].rstrip(b"\r")
                following = buf[line_end + 1 : next_end] if line_end >= 0 else b""
                if looks_like_separator(line, following):
                    yield _message(buf, offset, base + found, start, found, kept)
                    start = found + 1
                    offset = base + start
                    kept = None
            found = buf.find(b"\nFrom ", found + 1)
        if eof:
            if start < len(buf) or kept is not None:
                yield _message(buf, offset, base + len(buf), start, len(buf), kept)
            return
        # Resume at the candidate that needs more bytes, else where a `\nFrom ` cut by the
        # block's end could begin.
        resume = found if found >= 0 else max(start, len(buf) - 5)
        if len(buf) - start > max_message_bytes:
            if kept is None:
                kept = buf[start : start + OVERSIZED_KEEP]
            # Drop what is not needed, keeping two bytes to see whether a line before was blank.
            start = max(start, resume - 2)
        more = handle.read(block_size)
        eof = not more
        base += start
        scan = resume - start
        buf = buf[start:] + more
        start = 0


def _blank_before(buf: bytes, newline: int, start: int) -> bool:
    """Whether the line ending at `buf[newline]` is blank (LF or CRLF)."""
    if newline - 1 < start:
        return False
    before = buf[newline - 1]
    if before == 0x0A:
        return True
    return before == 0x0D and newline - 2 >= start and buf[newline - 2] == 0x0A


def _message(
    buf: bytes, offset: int, end_offset: int, start: int, stop: int, kept: bytes | None
) -> MboxMessage:
    """The message whose separator line starts at file offset `offset` (`buf[start]`) and which
    ends before `buf[stop]` (the newline of the blank line before the next separator)."""
    if kept is not None:
        separator, _, data = kept.partition(b"\n")
        return MboxMessage(offset, separator.rstrip(b"\r"), data, end_offset - offset, True)
    line_end = buf.find(b"\n", start, stop)
    if line_end < 0:
        return MboxMessage(offset, buf[start:stop].rstrip(b"\r"), b"", 0)
    data = buf[line_end + 1 : stop]
    if data.endswith(b"\r") and stop < len(buf):
        data = data[:-1]  # the CR of the blank CRLF line before the next separator
    return MboxMessage(offset, buf[start:line_end].rstrip(b"\r"), data, len(data))
