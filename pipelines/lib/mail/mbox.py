"""Split an mbox file into messages while reading it in large blocks.

A message starts at a `From ` line that follows a blank line (or opens the file) and looks like
an mbox separator: a sender and a ctime-style date, or at least a month name, a time and a year
with a header line right after it. That accepts the separators real files carry — classic
(`From a@example.com Sat Nov 14 21:29:28 2015`), Gmail Takeout (zone before the year),
Thunderbird (`From - ...`), pipermail (`From andy at example.com  Sat ...`), extra text or
non-ASCII bytes after the date — and leaves in the body the unquoted `From ` lines of mboxo
files, which carry no such date (or are followed by prose, not by a header).

The same splitter reads a stream in blocks (`iter_mbox`) or a whole file's bytes or memory map
(`iter_mbox_buffer`, used by worker processes on ranges of a big mbox). Messages are views into
what was read, never copies. Memory when streaming: one block plus the message being cut, so it
is bounded by the largest message (and a message over `max_message_bytes` is reported, not
held).
"""

from __future__ import annotations

import mmap
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
# A line that may be a separator (no `>`), or a `From ` line quoted mboxrd-style (`>From `).
CANDIDATE = re.compile(rb"\n>*From ")
LEADING_BLANKS = re.compile(rb"[\r\n]*")

Buffer = bytes | mmap.mmap


class NotMbox(ValueError):
    """The file does not start with an mbox separator line; the message says where and why."""


@dataclass(slots=True)
class MboxMessage:
    """One message: where its separator line starts in the file, the separator line itself, and
    the message bytes (headers and body, without the separator and the blank line that ends
    it): `buffer[start:end]`, a view into what the reader read. `oversized` messages keep only
    their first bytes and `size` says how big they were. `quoted_from` is False when the
    reader saw no `>From ` line in the message (None: not known)."""

    offset: int
    separator: bytes
    buffer: Buffer
    start: int
    end: int
    size: int
    oversized: bool = False
    quoted_from: bool | None = None

    @classmethod
    def whole(cls, separator: bytes, data: bytes, size: int | None = None) -> MboxMessage:
        """A message that is a file of its own (maildir, .eml), at offset 0; `size` larger
        than the data makes it an oversized one."""
        oversized = size is not None and size > len(data)
        return cls(0, separator, data, 0, len(data), size or len(data), oversized)

    @property
    def data(self) -> bytes:
        """The message bytes, copied."""
        return self.buffer[self.start : self.end]


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
    """The messages of an mbox read from a stream, in file order. Raises `NotMbox` when the
    file does not open with a separator line (blank lines before it are allowed).
    `first_offset` is the file offset of the handle's first byte (when it reads a range of the
    file)."""
    first = handle.read(block_size)
    return _split(first, first_offset, 0, len(first), handle, block_size, max_message_bytes)


def iter_mbox_buffer(
    buffer: Buffer,
    start: int = 0,
    end: int | None = None,
    *,
    max_message_bytes: int = MAX_MESSAGE_BYTES,
) -> Iterator[MboxMessage]:
    """The messages of `buffer[start:end]`: the bytes or memory map of a whole mbox, `start`
    being its first byte or a separator line. Offsets are the buffer's; nothing is copied."""
    stop = len(buffer) if end is None else end
    return _split(buffer, 0, start, stop, None, 0, max_message_bytes)


def _split(
    buf: Buffer,
    base: int,
    start: int,
    limit: int,
    handle: BinaryIO | None,
    block_size: int,
    max_message_bytes: int,
) -> Iterator[MboxMessage]:
    """The messages of `buf[start:limit]` (`base` is the file offset of `buf[0]`), then of what
    `handle` gives, read in blocks of `block_size` (None: `buf` holds everything)."""
    eof = handle is None or limit == 0
    start = LEADING_BLANKS.match(buf, start, limit).end()
    while not eof and start == limit:  # a file that opens with many blank lines
        buf, eof = _read_more(handle, block_size, buf, start, limit)
        base, start, limit = base + start, 0, len(buf)
        start = LEADING_BLANKS.match(buf, 0, limit).end()
    if start >= limit:
        return
    first_end = buf.find(b"\n", start, limit)
    second_end = buf.find(b"\n", first_end + 1, limit) if first_end >= 0 else -1
    while second_end < 0 and not eof and limit - start < max(max_message_bytes, OVERSIZED_KEEP):
        buf, eof = _read_more(handle, block_size, buf, start, limit)
        base, start, limit = base + start, 0, len(buf)
        first_end = buf.find(b"\n", start, limit)
        second_end = buf.find(b"\n", first_end + 1, limit) if first_end >= 0 else -1
    first = buf[start : first_end if first_end >= 0 else limit].rstrip(b"\r")
    second = (
        buf[first_end + 1 : second_end if second_end >= 0 else limit] if first_end >= 0 else b""
    )
    if not looks_like_separator(first, second):
        shown = first[:80].decode("utf-8", "replace")
        raise NotMbox(
            f"byte {base + start} does not start an mbox message (expected a line like "
            f"'From sender@example.com Mon Jan  1 10:00:00 2024' followed by headers, "
            f"found {shown!r})"
        )
    # `start` is where the current message's separator line begins in `buf` (or, for an
    # oversized message, where its unkept rest continues); `offset` is that message's place in
    # the file; `scan` is where the search for the next separator resumes. Every `\n>*From `
    # is looked at once: with no `>` after a blank line it may be the next separator; with a
    # `>` it marks the message as holding a quoted `From ` line.
    offset = base + start
    scan = first_end + 1 if first_end >= 0 else limit
    kept: bytes | None = None
    quoted = False
    while True:
        waiting = -1  # a candidate separator whose lines are not complete yet
        found = CANDIDATE.search(buf, scan, limit)
        while found is not None:
            at = found.start()
            if buf[at + 1] == 0x3E:  # `>From `
                quoted = True
            elif _blank_before(buf, at, start):
                line_end = buf.find(b"\n", at + 1, limit)
                next_end = buf.find(b"\n", line_end + 1, limit) if line_end >= 0 else -1
                if next_end < 0 and not eof:
                    waiting = at
                    break
                line = buf[at + 1 : line_end if line_end >= 0 else limit].rstrip(b"\r")
                following = (
                    buf[line_end + 1 : next_end if next_end >= 0 else limit]
                    if line_end >= 0
                    else b""
                )
                if looks_like_separator(line, following):
                    yield _message(
                        buf, offset, base + at, start, at, limit, kept, quoted, max_message_bytes
                    )
                    start = at + 1
                    offset = base + start
                    kept, quoted = None, False
            found = CANDIDATE.search(buf, at + 1, limit)
        if eof:
            if start < limit or kept is not None:
                yield _message(
                    buf, offset, base + limit, start, limit, limit, kept, quoted, max_message_bytes
                )
            return
        # Resume at the candidate that needs more bytes, else at the last line break: a
        # `\n>*From ` cut by the block's end starts there.
        resume = waiting if waiting >= 0 else max(start, buf.rfind(b"\n", start, limit))
        # The message runs at least to `resume`: when that is over the limit (and past what an
        # oversized message keeps), keep its start and drop the rest as it is read.
        known = resume - start - 1
        if kept is not None or (known > max_message_bytes and known >= OVERSIZED_KEEP):
            if kept is None:
                kept = buf[start : start + OVERSIZED_KEEP]
            # Drop what is not needed, keeping two bytes to see whether a line before was blank.
            start = max(start, resume - 2)
        buf, eof = _read_more(handle, block_size, buf, start, limit)
        base, scan, start, limit = base + start, resume - start, 0, len(buf)


def _read_more(
    handle: BinaryIO, block_size: int, buf: Buffer, keep_from: int, limit: int
) -> tuple[bytes, bool]:
    """`buf[keep_from:limit]` followed by the stream's next block, and whether it has ended."""
    more = handle.read(block_size)
    return buf[keep_from:limit] + more, not more


def _blank_before(buf: Buffer, newline: int, start: int) -> bool:
    """Whether the line ending at `buf[newline]` is blank (LF or CRLF)."""
    if newline - 1 < start:
        return False
    before = buf[newline - 1]
    if before == 0x0A:
        return True
    return before == 0x0D and newline - 2 >= start and buf[newline - 2] == 0x0A


def _message(
    buf: Buffer,
    offset: int,
    end_offset: int,
    start: int,
    stop: int,
    limit: int,
    kept: bytes | None,
    quoted: bool,
    max_message_bytes: int,
) -> MboxMessage:
    """The message whose separator line starts at file offset `offset` (`buf[start]`) and which
    ends before `buf[stop]` (the newline of the blank line before the next separator) and file
    offset `end_offset`. One of more than `max_message_bytes` keeps only its first bytes."""
    cr = stop < limit and stop > start and buf[stop - 1] == 0x0D  # of a blank CRLF line
    length = end_offset - offset - cr
    if kept is None and length > max_message_bytes:
        kept = buf[start : start + min(length, OVERSIZED_KEEP)]
    if kept is not None:
        separator, _, data = kept.partition(b"\n")
        return MboxMessage(
            offset, separator.rstrip(b"\r"), data, 0, len(data), length, True, quoted
        )
    line_end = buf.find(b"\n", start, stop)
    if line_end < 0:
        return MboxMessage(offset, buf[start:stop].rstrip(b"\r"), b"", 0, 0, 0, False, quoted)
    end = stop
    if end > line_end + 1 and buf[end - 1] == 0x0D and stop < limit:
        end -= 1  # the CR of the blank CRLF line before the next separator
    separator = buf[start:line_end].rstrip(b"\r")
    return MboxMessage(offset, separator, buf, line_end + 1, end, end - line_end - 1, False, quoted)
