"""Turn the messages of a mail file into rows, in batches of tuples.

Plain Python with no DuckDB, polars or Dagster, so that worker processes can run it on byte
ranges of a big mbox (`parse_range`) while the loading process writes; the serial path runs the
very same code (`batches`). Record numbers are a message's place in its file: a range numbers
its messages from 1 and `Batch.renumber` shifts them once the messages before are counted.
"""

from __future__ import annotations

import dataclasses
import logging
import mmap
import re
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from pipelines.lib.csvfile import Rejected
from pipelines.lib.keys import stable_key
from pipelines.lib.mail.headers import Headers, NoHeaders, blank_line, parse_headers
from pipelines.lib.mail.mbox import MboxMessage, iter_mbox_buffer, looks_like_separator
from pipelines.lib.mail.snippet import body_text, content_hash, new_text, quotes_an_earlier_message
from pipelines.lib.mail.x_names import paired_names, person_name
from pipelines.lib.rejected_values import RejectedValue

log = logging.getLogger(__name__)
SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|antw|tr|rif)\s*(?:\[\d+\])?\s*:\s*)+", re.I
)


class _Named(Protocol):
    path: str


@dataclass
class FileContext:
    """What a message's rows need to know about its file."""

    source: _Named  # a SourceFile, or anything with the file's inbox-relative `path`
    fmt: str
    folder: str | None
    store_snippets: bool
    last_offset: int | None = None  # of the last message read, for error messages


@dataclass(frozen=True)
class _Path:
    path: str


def normalized_subject(subject: str | None) -> str:
    """`RE: Fwd: Budget  Q3` and `budget q3` alike."""
    return " ".join(SUBJECT_PREFIX.sub("", subject or "").lower().split())


def thread_id(headers: Headers) -> str:
    """Gmail's thread id; else the first message of the reply chain (`root:<Message-ID>`); else
    the normalised subject and the participants, for archives without reply headers.
    `staging.email_messages` maps a `root:` id to the root message's own thread when the root
    is in the warehouse, so a thread's first message and its replies agree."""
    if headers.gmail_thread_id:
        return f"gmail:{headers.gmail_thread_id}"
    root = headers.references[0] if headers.references else headers.in_reply_to
    if root:
        return f"root:{root}"
    people = sorted({headers.from_address or ""} | {a for _, a, _ in headers.recipients})
    return "subject:" + stable_key(normalized_subject(headers.subject), *people)


def message_key(headers: Headers, body_hash: str) -> str:
    """Stable across files: copies of one message share it. The Message-ID with sender and date
    (some tools reuse ids for different messages); without an id, date, sender, subject, body."""
    date = headers.date_utc.isoformat() if headers.date_utc else None
    if headers.message_id:
        return stable_key("id", headers.message_id, headers.from_address, date)
    return stable_key("content", date, headers.from_address, headers.subject, body_hash)


MESSAGE_COLUMNS = (
    "message_key",
    "message_id",
    "date_utc",
    "date_offset_minutes",
    "date_problem",
    "from_address",
    "from_name",
    "from_x_name",
    "subject",
    "in_reply_to",
    "references",
    "thread_id",
    "gmail_labels",
    "folder",
    "list_id",
    "list_unsubscribe",
    "precedence",
    "auto_submitted",
    "is_bulk",
    "recipient_count",
    "size_bytes",
    "byte_offset",
    "source_format",
    "snippet",
    "quotes_earlier_message",
    "content_hash",
    "record_number",
)
RECIPIENT_COLUMNS = (
    "message_key",
    "address",
    "name",
    "x_name",
    "role",
    "position",
    "record_number",
)
DATE_PROBLEM = MESSAGE_COLUMNS.index("date_problem")
INVALID_DATE = "invalid: "  # how `headers.date` starts the problem of a Date that is no date


def message_values(
    message: MboxMessage, record_number: int, ctx: FileContext
) -> tuple[tuple, list[tuple]]:
    """The `raw.email_messages` row (values in `MESSAGE_COLUMNS` order) and the
    `raw.email_recipients` rows (`RECIPIENT_COLUMNS`) of one message; raises `NoHeaders` when it
    has no usable header block."""
    if message.oversized:
        raise NoHeaders(f"message of {message.size:,} bytes is larger than the limit")
    buffer, end = message.buffer, message.end
    headers, body_start = parse_headers(buffer, message.start, end)
    body_hash = content_hash(buffer, body_start, end, quoted_from=message.quoted_from)
    key = message_key(headers, body_hash)
    bulk = headers.is_bulk
    recipients = headers.recipients
    # Only mail between people is ever read: bulk and automated mail keeps no text (less
    # stored about strangers, and a third of the reading time saved).
    text = (
        None
        if bulk
        else body_text(message.data, fields=headers.mime, body_start=body_start - message.start)
    )
    row = (
        key,
        headers.message_id,
        headers.date_utc,
        headers.date_offset_minutes,
        headers.date_problem,
        headers.from_address,
        headers.from_name,
        person_name(headers.x_names.get("from")),
        headers.subject,
        headers.in_reply_to,
        headers.references,
        thread_id(headers),
        headers.gmail_labels,
        headers.x_folder if ctx.fmt == "eml" and headers.x_folder else ctx.folder,
        headers.list_id,
        headers.list_unsubscribe,
        headers.precedence,
        headers.auto_submitted,
        bulk,
        len(recipients),
        message.size,
        message.offset,
        ctx.fmt,
        new_text(text) if text and ctx.store_snippets else None,
        quotes_an_earlier_message(text),
        body_hash,
        record_number,
    )
    x_names = paired_names(recipients, headers.x_names) if headers.x_names else None
    return row, [
        (
            key,
            address,
            name,
            x_names[position - 1] if x_names else None,
            role,
            position,
            record_number,
        )
        for position, (role, address, name) in enumerate(recipients, start=1)
    ]


def message_rows(
    message: MboxMessage, record_number: int, ctx: FileContext
) -> tuple[dict, list[dict]]:
    """`message_values` keyed by column name."""
    row, recipients = message_values(message, record_number, ctx)
    return dict(zip(MESSAGE_COLUMNS, row, strict=True)), [
        dict(zip(RECIPIENT_COLUMNS, recipient, strict=True)) for recipient in recipients
    ]


def excerpt(message: MboxMessage, limit: int = 2000) -> str:
    return (message.separator + b"\n" + message.data[:limit]).decode("utf-8", "replace")


@dataclass
class Batch:
    """The rows of consecutive messages of one file (tuples in `MESSAGE_COLUMNS` and
    `RECIPIENT_COLUMNS` order, record numbers counted from 1 in the batch and shifted by
    `shift`), and the messages refused (quarantined) with the reason."""

    messages: list[tuple] = field(default_factory=list)
    recipients: list[tuple] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)  # byte offset of each loaded message
    rejected: list[Rejected] = field(default_factory=list)
    rejected_values: list[RejectedValue] = field(default_factory=list)  # of loaded messages
    notes: list[str] = field(default_factory=list)
    read: int = 0
    shift: int = 0  # added to the record numbers of `messages` and `recipients`
    last_offset: int | None = None  # of the last message read, for error messages

    def add(
        self, message: MboxMessage, record_number: int, ctx: FileContext, truncated: bool = False
    ) -> None:
        self.read += 1
        self.last_offset = ctx.last_offset = message.offset
        if truncated:
            where = self._where(message, ctx)
            reason = f"{where}: truncated — the file ends inside this message's headers"
            self.rejected.append(Rejected(record_number, None, excerpt(message), reason))
            return
        try:
            row, recipients = message_values(message, record_number, ctx)
        except NoHeaders as exc:
            reason = f"{self._where(message, ctx)}: {exc}"
            self.rejected.append(Rejected(record_number, None, excerpt(message), reason))
            return
        except Exception as exc:  # one odd message must not lose the file
            where = self._where(message, ctx)
            log.warning("message %s: %s", where, traceback.format_exc())
            reason = f"{where}: could not be read — {exc!r}"
            self.rejected.append(Rejected(record_number, None, excerpt(message), reason))
            return
        self.messages.append(row)
        self.recipients.extend(recipients)
        self.offsets.append(message.offset)
        problem = row[DATE_PROBLEM]
        if problem and problem.startswith(INVALID_DATE):
            # The message loads without a time; its Date header is kept aside, like any bad
            # optional value (`date_problem` says the same in the row).
            where = self._where(message, ctx)
            self.rejected_values.append(
                RejectedValue(
                    record_number,
                    None,
                    "date_utc",
                    problem[len(INVALID_DATE) :],
                    f"{where}: the Date header is not a date",
                )
            )

    @staticmethod
    def _where(message: MboxMessage, ctx: FileContext) -> str:
        return f"{ctx.source.path} at byte {message.offset:,}"

    def renumber(self, shift: int) -> None:
        """Record numbers counted from `shift + 1` instead of 1."""
        if not shift:
            return
        self.shift += shift
        self.rejected = [
            dataclasses.replace(r, record_number=r.record_number + shift) for r in self.rejected
        ]
        self.rejected_values = [
            dataclasses.replace(v, record_number=v.record_number + shift)
            for v in self.rejected_values
        ]


def batches(
    messages: Iterable[MboxMessage],
    ctx: FileContext,
    *,
    size: int,
    ends_file: bool = True,
) -> Iterator[Batch]:
    """The rows of the messages in batches of `size` messages (each numbered from 1; see
    `Batch.renumber`). When the
    messages run to the end of the file, an mbox whose last line is cut is noticed: a last
    message cut inside its headers is quarantined, one cut in its body loaded with a note."""
    batch = Batch()
    record = 0
    last: MboxMessage | None = None
    for message in messages:
        if last is not None:
            record += 1
            batch.add(last, record, ctx)
            if batch.read >= size:
                yield batch
                batch, record = Batch(), 0
        last = message
    if last is not None:
        record += 1
        cut = ends_file and ctx.fmt == "mbox" and not last.data.endswith(b"\n")
        if cut and blank_line(last.data) is None:
            batch.add(last, record, ctx, truncated=True)
        else:
            if cut:
                batch.notes.append(
                    f"the file does not end with a line break: the last message "
                    f"(byte {last.offset:,}) may be truncated"
                )
            batch.add(last, record, ctx)
    yield batch


# --- byte ranges of a big mbox, for worker processes ---------------------------------------------
@dataclass(frozen=True)
class Range:
    """Messages `[start, end)` of an mbox on disk; `start` is a separator line."""

    disk_path: str
    path: str  # inbox-relative, for row lineage and reasons
    start: int
    end: int
    ends_file: bool
    folder: str | None
    store_snippets: bool


def split_ranges(
    disk_path: str, path: str, size: int, chunk: int, folder: str | None, store_snippets: bool
) -> list[Range]:
    """The file cut into ranges of about `chunk` bytes, each cut at a separator line the serial
    reader would also take (a `From ` line after a blank line, followed by what a separator
    needs), so that the ranges read together give exactly the messages of the whole file."""
    cuts = [0]
    window = 1 << 20
    with open(disk_path, "rb") as handle:
        target = chunk
        while target < size:
            handle.seek(target)
            data = handle.read(window)
            found = _separator_in(data)
            if found is not None:
                cuts.append(target + found)
                target = target + found + chunk
            else:
                target += window  # a message bigger than the window: look further on
    ranges = []
    for i, start in enumerate(cuts):
        last = i == len(cuts) - 1
        end = size if last else _message_end(disk_path, cuts[i + 1])
        ranges.append(Range(disk_path, path, start, end, last, folder, store_snippets))
    return ranges


def _separator_in(data: bytes) -> int | None:
    """Where the first separator line starts in `data` that the serial reader takes: after a
    blank line, with its line and the next one complete."""
    at = data.find(b"\nFrom ", 2)
    while at >= 0:
        before = data[at - 1] == 0x0A or (data[at - 1] == 0x0D and data[at - 2] == 0x0A)
        line_end = data.find(b"\n", at + 1)
        next_end = data.find(b"\n", line_end + 1) if line_end >= 0 else -1
        if next_end < 0:
            return None
        line = data[at + 1 : line_end].rstrip(b"\r")
        if before and looks_like_separator(line, data[line_end + 1 : next_end]):
            return at + 1
        at = data.find(b"\nFrom ", at + 1)
    return None


def _message_end(disk_path: str, separator: int) -> int:
    """Where the message before a separator line ends, as the serial reader cuts it: before the
    line break of the blank line (and its CR)."""
    with open(disk_path, "rb") as handle:
        handle.seek(max(0, separator - 2))
        before = handle.read(separator - max(0, separator - 2))
    end = separator - 1
    if before.endswith(b"\r\n"):
        end -= 1
    return end


def parse_range(spec: Range) -> Batch:
    """Every message of one range as one batch (record numbers from 1), read from the file
    mapped into memory: messages are views into the page cache, nothing is copied."""
    ctx = FileContext(_Path(spec.path), "mbox", spec.folder, spec.store_snippets)
    with (
        open(spec.disk_path, "rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buffer,
    ):
        if hasattr(buffer, "madvise"):
            buffer.madvise(mmap.MADV_SEQUENTIAL, *_pages(spec.start, spec.end))
        found = batches(
            iter_mbox_buffer(buffer, spec.start, spec.end),
            ctx,
            size=1 << 62,
            ends_file=spec.ends_file,
        )
        try:
            return next(found)
        finally:
            found.close()


def _pages(start: int, end: int) -> tuple[int, int]:
    """(start, length) of `[start, end)` widened to whole pages, for `madvise`."""
    first = start - start % mmap.PAGESIZE
    return first, end - first
