"""Load mail files into `raw.email_messages` and `raw.email_recipients`, streaming.

Same contract as `loading.load_files` (see there), kept by a streaming loader: messages are
turned into rows in batches of `BATCH_SIZE`, validated with the pandera model and written inside
one transaction per file, which first removes the file's earlier rows (both tables) and
quarantine and finally appends the file's `quality.file_loads` row. A failure part-way rolls the
whole file back, so its earlier rows stay and the ledger says `failed`, naming the byte offset.

Unchanged files are recognised by a fingerprint: the SHA-256 of the content for files up to
`FULL_HASH_BYTES`; for larger files on disk, the SHA-256 of the size, the first and last
`EDGE_BYTES` and `SAMPLES` evenly spaced 64 KiB blocks. A mail client that rewrites a flag in
the middle of a huge mbox without changing its size is then not noticed — those bytes carry no
metadata Constellation keeps — while an appended message (size and tail change) always is.
"""

from __future__ import annotations

import hashlib
import logging
import re
import traceback
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import duckdb
import polars as pl
import pyarrow as pa

from pipelines import warehouse
from pipelines.lib.csvfile import Rejected
from pipelines.lib.inbox import SourceFile
from pipelines.lib.keys import stable_key
from pipelines.lib.loading import (
    QUARANTINE,
    QUARANTINE_SCHEMA,
    FileResult,
    ParsedFile,
    TableLoad,
    ensure_quality_tables,
    record_file,
    table_schema,
    validate,
)
from pipelines.lib.mail import sources
from pipelines.lib.mail.headers import BLANK_LINE, Headers, NoHeaders, parse_headers
from pipelines.lib.mail.mbox import MboxMessage, NotMbox
from pipelines.lib.mail.snippet import content_hash, snippet
from pipelines.schemas.email_messages import EmailMessagesSchema
from pipelines.schemas.email_recipients import EmailRecipientsSchema

KIND = sources.KIND
MESSAGES = "raw.email_messages"
RECIPIENTS = "raw.email_recipients"
BATCH_SIZE = 5000
FULL_HASH_BYTES = 256 << 20
EDGE_BYTES = 8 << 20
SAMPLES = 64
SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|antw|tr|rif)\s*(?:\[\d+\])?\s*:\s*)+", re.I
)

log = logging.getLogger(__name__)


def fingerprint(source: SourceFile) -> str:
    """The content fingerprint compared with the last load to skip unchanged files."""
    if source.disk_path is None or source.size <= FULL_HASH_BYTES:
        return source.sha256()
    digest = hashlib.sha256(f"sampled:{source.size}".encode())
    step = (source.size - 2 * EDGE_BYTES) // (SAMPLES + 1)
    with source.open() as handle:
        digest.update(handle.read(EDGE_BYTES))
        for i in range(1, SAMPLES + 1):
            handle.seek(EDGE_BYTES + i * step)
            digest.update(handle.read(64 << 10))
        handle.seek(source.size - EDGE_BYTES)
        digest.update(handle.read(EDGE_BYTES))
    return digest.hexdigest()


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


@dataclass
class FileContext:
    source: SourceFile
    fmt: str
    folder: str | None
    store_snippets: bool


def message_rows(
    message: MboxMessage, record_number: int, ctx: FileContext
) -> tuple[dict, list[dict]]:
    """The `raw.email_messages` row and `raw.email_recipients` rows of one message; raises
    `NoHeaders` when it has no usable header block."""
    if message.oversized:
        raise NoHeaders(f"message of {message.size:,} bytes is larger than the limit")
    headers, body_start = parse_headers(message.data)
    body_hash = content_hash(message.data, body_start)
    key = message_key(headers, body_hash)
    row = {
        "message_key": key,
        "message_id": headers.message_id,
        "date_utc": headers.date_utc,
        "date_offset_minutes": headers.date_offset_minutes,
        "date_problem": headers.date_problem,
        "from_address": headers.from_address,
        "from_name": headers.from_name,
        "subject": headers.subject,
        "in_reply_to": headers.in_reply_to,
        "references": headers.references,
        "thread_id": thread_id(headers),
        "gmail_labels": headers.gmail_labels,
        "folder": headers.x_folder if ctx.fmt == "eml" and headers.x_folder else ctx.folder,
        "list_id": headers.list_id,
        "list_unsubscribe": headers.list_unsubscribe,
        "precedence": headers.precedence,
        "auto_submitted": headers.auto_submitted,
        "is_bulk": headers.is_bulk,
        "recipient_count": len(headers.recipients),
        "size_bytes": message.size,
        "byte_offset": message.offset,
        "source_format": ctx.fmt,
        "snippet": (
            snippet(message.data, fields=headers.mime, body_start=body_start)
            if ctx.store_snippets
            else None
        ),
        "content_hash": body_hash,
        "record_number": record_number,
    }
    recipients = [
        {
            "message_key": key,
            "address": address,
            "name": name,
            "role": role,
            "position": position,
            "record_number": record_number,
        }
        for position, (role, address, name) in enumerate(headers.recipients, start=1)
    ]
    return row, recipients


class _FileWriter:
    """Collects one file's rows column by column and writes them in validated batches (building
    a frame from columns is several times cheaper than from one dict per row)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, ctx: FileContext, sha: str) -> None:
        self.con, self.ctx, self.sha = con, ctx, sha
        self.messages_schema = table_schema(EmailMessagesSchema)
        self.recipients_schema = table_schema(EmailRecipientsSchema)
        self.rows = _Columns(_own(self.messages_schema))
        self.recipients = _Columns(_own(self.recipients_schema))
        self.locators: list[str] = []
        self.rejected: list[Rejected] = []
        self.read = self.loaded = 0
        self.schema_failures = 0

    def add(self, message: MboxMessage, *, truncated: bool = False) -> None:
        self.read += 1
        if truncated:
            reason = (
                f"{self._where(message)}: truncated — the file ends inside this message's headers"
            )
            self.rejected.append(Rejected(self.read, None, _excerpt(message), reason))
            return
        try:
            row, recipients = message_rows(message, self.read, self.ctx)
        except NoHeaders as exc:
            reason = f"{self._where(message)}: {exc}"
            self.rejected.append(Rejected(self.read, None, _excerpt(message), reason))
            return
        except Exception as exc:  # one odd message must not lose the file
            where = self._where(message)
            log.warning("message %s: %s", where, traceback.format_exc())
            reason = f"{where}: could not be read — {exc!r}"
            self.rejected.append(Rejected(self.read, None, _excerpt(message), reason))
            return
        self.rows.append(row)
        for recipient in recipients:
            self.recipients.append(recipient)
        self.locators.append(message.offset)
        if len(self.locators) >= BATCH_SIZE:
            self.flush()

    def _where(self, message: MboxMessage) -> str:
        return f"{self.ctx.source.path} at byte {message.offset:,}"

    def flush(self) -> None:
        if not self.locators:
            return
        frame = self.rows.frame()
        where = [f"{self.ctx.source.path} at byte {offset:,}" for offset in self.locators]
        valid, rejects = validate(ParsedFile("", frame, where), EmailMessagesSchema)
        self.rejected.extend(rejects)
        self.schema_failures += len(rejects)
        lineage = {
            "source_path": self.ctx.source.path,
            "source_sha256": self.sha,
            "snapshot_date": self.ctx.source.snapshot_date,
        }
        warehouse.insert_frame(
            self.con, MESSAGES, _with_lineage(valid, lineage, self.messages_schema)
        )
        recipients = self.recipients.frame()
        if rejects:
            recipients = recipients.filter(pl.col("record_number").is_in(valid["record_number"]))
        warehouse.insert_frame(
            self.con, RECIPIENTS, _with_lineage(recipients, lineage, self.recipients_schema)
        )
        self.loaded += valid.height
        self.rows.clear()
        self.recipients.clear()
        self.locators = []


class _Columns:
    """Rows of one table kept as one list per column."""

    def __init__(self, schema: pl.Schema) -> None:
        self.schema = schema
        self.columns: dict[str, list] = {name: [] for name in schema}
        self._appenders = [(name, self.columns[name].append) for name in schema]

    def append(self, row: dict) -> None:
        for name, append in self._appenders:
            append(row[name])

    def frame(self) -> pl.DataFrame:
        columns = []
        for name, dtype in self.schema.items():
            values = self.columns[name]
            if isinstance(dtype, pl.List):  # Arrow converts lists of str in C; polars per row
                array = pa.array(values, type=pa.list_(pa.string()))
                columns.append(pl.Series(name, array).cast(dtype))
            else:
                columns.append(pl.Series(name, values, dtype=dtype, strict=False))
        return pl.DataFrame(columns)

    def clear(self) -> None:
        self.columns = {name: [] for name in self.schema}
        self._appenders = [(name, self.columns[name].append) for name in self.schema]


def _own(schema: pl.Schema) -> pl.Schema:
    return pl.Schema(
        {
            k: v
            for k, v in schema.items()
            if k not in ("source_path", "source_sha256", "snapshot_date")
        }
    )


def _with_lineage(frame: pl.DataFrame, lineage: dict, schema: pl.Schema) -> pl.DataFrame:
    return frame.with_columns(
        source_path=pl.lit(lineage["source_path"], pl.String),
        source_sha256=pl.lit(lineage["source_sha256"], pl.String),
        snapshot_date=pl.lit(lineage["snapshot_date"], pl.Date),
    ).select(list(schema))


def _excerpt(message: MboxMessage, limit: int = 2000) -> str:
    return (message.separator + b"\n" + message.data[:limit]).decode("utf-8", "replace")


def _previous_loads(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Per path, the fingerprint and counts of its latest successful load (one query, so a
    maildir of many files does not ask once per file)."""
    frame = warehouse.frame(
        con,
        """SELECT path, sha256, variant, rows_read, rows_loaded, rows_quarantined
           FROM quality.file_loads
           WHERE target_table = ? AND status IN ('loaded', 'unchanged')
           QUALIFY row_number() OVER (PARTITION BY path ORDER BY loaded_at DESC) = 1""",
        [MESSAGES],
    )
    return {row[0]: row[1:] for row in frame.iter_rows()}


def load_mail_files(
    con: duckdb.DuckDBPyConnection,
    load_id: str,
    sources_: Iterable[SourceFile],
    *,
    store_snippets: bool,
    progress: Callable[[FileResult], None] = lambda result: None,
) -> TableLoad:
    """Load every mail file; one `quality.file_loads` row per file (target raw.email_messages)."""
    ensure_quality_tables(con)
    warehouse.ensure_table(con, MESSAGES, table_schema(EmailMessagesSchema))
    warehouse.ensure_table(con, RECIPIENTS, table_schema(EmailRecipientsSchema))
    if not store_snippets:
        # Switched off: no body text stays, not even in rows of files that fail to reload.
        warehouse.run(con, f"UPDATE {MESSAGES} SET snippet = NULL WHERE snippet IS NOT NULL")
    previous = _previous_loads(con)
    outcome = TableLoad(MESSAGES)
    for source in sources_:
        result = _load_file(
            con, load_id, source, previous.get(source.path), store_snippets, outcome
        )
        outcome.files.append(result)
        progress(result)
    return outcome


def _load_file(
    con: duckdb.DuckDBPyConnection,
    load_id: str,
    source: SourceFile,
    previous: tuple | None,
    store_snippets: bool,
    outcome: TableLoad,
) -> FileResult:
    def ledger(status: str, message: str, sha: str | None, variant: str = "", counts=(0, 0, 0)):
        return record_file(
            con,
            load_id,
            path=source.path,
            kind=KIND,
            table=MESSAGES,
            status=status,
            message=message,
            variant=variant,
            sha256=sha,
            snapshot_date=source.snapshot_date,
            counts=counts,
        )

    fmt = sources.source_format(source) or "mbox"
    try:
        sha = fingerprint(source)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        return ledger("failed", f"{source.path}: cannot be read — {exc}", None)
    variant = fmt if store_snippets else f"{fmt}, no snippets"
    # A file loaded with the other snippet setting is loaded again, so the switch takes effect.
    if previous is not None and previous[0] == sha and previous[1] == variant:
        _, variant, read, loaded, quarantined = previous
        return ledger(
            "unchanged",
            "already loaded with the same content; skipped",
            sha,
            variant,
            (read, loaded, quarantined),
        )
    ctx = FileContext(source, fmt, sources.folder_of(source, fmt), store_snippets)
    writer = _FileWriter(con, ctx, sha)
    last: MboxMessage | None = None
    try:
        with warehouse.transaction(con):
            for table in (MESSAGES, RECIPIENTS):
                warehouse.run(con, f"DELETE FROM {table} WHERE source_path = ?", [source.path])
            warehouse.run(
                con,
                f"DELETE FROM {QUARANTINE} WHERE path = ? AND target_table = ?",
                [source.path, MESSAGES],
            )
            with source.open() as handle:
                for message in sources.iter_messages(source, fmt, handle):
                    if last is not None:
                        writer.add(last)
                    last = message
            notes = []
            if last is not None:
                cut = fmt == "mbox" and not last.data.endswith(b"\n")
                if cut and BLANK_LINE.search(last.data) is None:
                    writer.add(last, truncated=True)  # cut inside its headers
                else:
                    if cut:
                        notes.append(
                            f"the file does not end with a line break: the last message "
                            f"(byte {last.offset:,}) may be truncated"
                        )
                    writer.add(last)
            writer.flush()
            _write_quarantine(con, load_id, source, writer.rejected)
            result = ledger(
                "loaded",
                "; ".join(notes),
                sha,
                variant,
                (writer.read, writer.loaded, len(writer.rejected)),
            )
    except NotMbox as exc:
        return ledger("failed", f"{source.path}: not an mbox file — {exc}", sha, variant)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        where = f"after the message at byte {last.offset:,}" if last else "at the start"
        return ledger("failed", f"{source.path}: reading stopped {where} — {exc}", sha, variant)
    except Exception as exc:
        log.error("mail loader failed on %s\n%s", source.path, traceback.format_exc())
        where = f" after the message at byte {last.offset:,}" if last else ""
        return ledger("failed", f"{source.path}: unexpected error{where} — {exc!r}", sha, variant)
    outcome.schema_failures += writer.schema_failures
    return result


def _write_quarantine(
    con: duckdb.DuckDBPyConnection, load_id: str, source: SourceFile, rejected: list[Rejected]
) -> None:
    frame = pl.DataFrame(
        [
            {
                "load_id": load_id,
                "path": source.path,
                "kind": KIND,
                "target_table": MESSAGES,
                "record_number": r.record_number,
                "line_number": r.line_number,
                "raw_text": r.raw,
                "reason": r.reason,
            }
            for r in rejected
        ],
        schema=QUARANTINE_SCHEMA,
    )
    warehouse.insert_frame(con, QUARANTINE, frame)
