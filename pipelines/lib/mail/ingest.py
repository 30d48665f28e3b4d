"""Load mail files into `raw.email_messages` and `raw.email_recipients`, streaming.

Same contract as `loading.load_files` (see there), kept by a streaming loader: messages are
turned into rows (`rows.py`; by worker processes over byte ranges for a big mbox), validated
with the pandera model in frames of `BATCH_SIZE` and staged as Parquet in a temporary folder;
then one transaction per file removes the file's earlier rows (both tables) and quarantine,
inserts the staged rows and appends the file's `quality.file_loads` row. A failure part-way
leaves the file's earlier rows, and the ledger says `failed`, naming the byte offset. Memory is
bounded by a few batches and one DuckDB row group, not by the size of the file.

A file of one message (maildir, .eml) on disk whose size and modification time are those of
its last load is unchanged without being read. Otherwise unchanged files are recognised by a
fingerprint: the SHA-256 of the content for files up to
`FULL_HASH_BYTES`; for larger files on disk, the SHA-256 of the size, the first and last
`EDGE_BYTES` and `SAMPLES` evenly spaced 64 KiB blocks. A mail client that rewrites a flag in
the middle of a huge mbox without changing its size is then not noticed — those bytes carry no
metadata Constellation keeps — while an appended message (size and tail change) always is.

Mail appended to an mbox on disk is read alone: `quality.mbox_ends` keeps where each mbox ended
(size, fingerprint, last message); when the file is longer and its first bytes still have that
fingerprint, the file's last message (whose end moves) and the new ones are read and replace
the rows from that message on — the same rows a load of the whole file writes (but for the
lineage column `source_sha256`: the rows kept carry the fingerprint the file had when they were
read).
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import hashlib
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import sys
import tempfile
import traceback
import types
import zipfile
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

import duckdb
import polars as pl
import pyarrow as pa

from pipelines import warehouse
from pipelines.lib.csvfile import Rejected
from pipelines.lib.inbox import SourceFile
from pipelines.lib.loading import (
    QUARANTINE,
    QUARANTINE_SCHEMA,
    REJECTED_VALUES,
    FileResult,
    ParsedFile,
    TableLoad,
    ensure_quality_tables,
    left_out_note,
    record_files,
    rejected_values_frame,
    table_schema,
    validate,
)
from pipelines.lib.mail import rows, sources
from pipelines.lib.mail.mbox import NotMbox, iter_mbox
from pipelines.lib.mail.rows import (  # noqa: F401  (message_rows and friends are public here)
    Batch,
    FileContext,
    message_key,
    message_rows,
    normalized_subject,
    thread_id,
)
from pipelines.lib.rejected_values import RejectedValue
from pipelines.schemas.email_messages import EmailMessagesSchema
from pipelines.schemas.email_recipients import EmailRecipientsSchema

KIND = sources.KIND
MESSAGES = "raw.email_messages"
RECIPIENTS = "raw.email_recipients"
BATCH_SIZE = 10_000  # messages validated and staged together (at most)
IDLE_FLUSH_ROWS = 5_000  # ...or at least, when waiting for worker processes anyway
FULL_HASH_BYTES = 256 << 20
EDGE_BYTES = 8 << 20
SAMPLES = 64
PARALLEL_BYTES = 64 << 20  # an mbox this big is read by several processes
RANGE_BYTES = 8 << 20  # the part of it one worker reads at a time
MAX_WORKERS = 4
WRITE_MEMORY_LIMIT = "64MB"  # DuckDB's, while a file's staged rows are inserted
# Files of one message each (maildir, .eml) are loaded this many at a time, with one validation
# and one transaction: alone, each paid about 65 ms of fixed costs (a pandera pass, a dozen
# statements) for a few milliseconds of reading.
GROUP_FILES = 1_000
ONE_MESSAGE_FORMATS = frozenset({"maildir", "eml"})
# Where each mbox on disk ended at its latest load, so that mail appended to it since is read
# alone (with the file's last message, whose end moves).
FILE_ENDS = "quality.mbox_ends"
FILE_ENDS_SCHEMA = pl.Schema(
    {
        "path": pl.String,
        "size_bytes": pl.Int64,
        "sha256": pl.String,  # the file's fingerprint at that size
        "variant": pl.String,
        "last_offset": pl.Int64,  # byte offset of its last message
        "last_record": pl.Int64,  # record number of its last message
    }
)

ONE_MESSAGE_VARIANT = "mbox holding one message"
ONE_MESSAGE_NOTE = (
    "one RFC 822 message without a leading `From ` line: read as one message, as a .eml file is"
)

log = logging.getLogger(__name__)


def fingerprint(source: SourceFile, size: int | None = None) -> str:
    """The content fingerprint compared with the last load to skip unchanged files; with
    `size`, the fingerprint the file had when it was its first `size` bytes."""
    size = source.size if size is None else size
    if source.disk_path is None or size <= FULL_HASH_BYTES:
        return source.sha256() if size == source.size else _sha256_of_start(source, size)
    digest = hashlib.sha256(f"sampled:{size}".encode())
    step = (size - 2 * EDGE_BYTES) // (SAMPLES + 1)
    with source.open() as handle:
        digest.update(handle.read(EDGE_BYTES))
        for i in range(1, SAMPLES + 1):
            handle.seek(EDGE_BYTES + i * step)
            digest.update(handle.read(64 << 10))
        handle.seek(size - EDGE_BYTES)
        digest.update(handle.read(EDGE_BYTES))
    return digest.hexdigest()


def _sha256_of_start(source: SourceFile, size: int) -> str:
    digest = hashlib.sha256()
    with source.open() as handle:
        left = size
        while left > 0:
            block = handle.read(min(left, 1 << 20))
            if not block:
                break
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


class _FileWriter:
    """Takes one file's batches of rows, validates them in frames of about `BATCH_SIZE`
    messages and stages them as Parquet files in a temporary folder; `write` then inserts the
    staged rows with one statement per table inside the file's transaction. DuckDB holds what a
    transaction inserts in memory until it commits, so inserting frame by frame would make
    memory grow with the mailbox (1.3 GB for a 1.5 GB mbox); from Parquet it streams."""

    def __init__(self, source: SourceFile, sha: str) -> None:
        self.source, self.sha = source, sha
        self.messages_schema = table_schema(EmailMessagesSchema)
        self.recipients_schema = table_schema(EmailRecipientsSchema)
        self.pending: list[Batch] = []
        self.pending_rows = 0
        self.rejected: list[Rejected] = []
        self.rejected_values: list[RejectedValue] = []
        self.notes: list[str] = []
        self.read = self.loaded = 0
        self.schema_failures = 0
        self.last_offset: int | None = None
        self.staging = tempfile.TemporaryDirectory(prefix="constellation-mail-")
        self.staged: dict[str, list[str]] = {MESSAGES: [], RECIPIENTS: []}

    def take(self, batch: Batch) -> None:
        """A batch whose record numbers follow the messages taken before."""
        batch.renumber(self.read)
        self.read += batch.read
        self.rejected.extend(batch.rejected)
        self.notes.extend(batch.notes)
        if batch.last_offset is not None:
            self.last_offset = batch.last_offset
        if batch.offsets:
            self.pending.append(batch)
            self.pending_rows += len(batch.offsets)
        if self.pending_rows >= BATCH_SIZE:
            self.flush()

    def idle(self) -> None:
        """Nothing to take for now: validate and stage what is pending if it is worth a pass,
        so that less is left to do after the last batch."""
        if self.pending_rows >= IDLE_FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batches, self.pending, self.pending_rows = self.pending, [], 0
        frame = _frame(batches, "messages", _own(self.messages_schema))
        where = [f"{self.source.path} at byte {o:,}" for b in batches for o in b.offsets]
        valid, rejects, left_out = validate(ParsedFile("", frame, where), EmailMessagesSchema)
        self.rejected.extend(rejects)
        loaded = set(valid["record_number"].to_list())
        self.rejected_values += [
            v for b in batches for v in b.rejected_values if v.record_number in loaded
        ] + left_out
        self.schema_failures += len(rejects)
        lineage = {
            "source_path": self.source.path,
            "source_sha256": self.sha,
            "snapshot_date": self.source.snapshot_date,
        }
        self._stage(MESSAGES, _with_lineage(valid, lineage, self.messages_schema))
        recipients = _frame(batches, "recipients", _own(self.recipients_schema))
        if rejects:
            recipients = recipients.filter(pl.col("record_number").is_in(valid["record_number"]))
        self._stage(RECIPIENTS, _with_lineage(recipients, lineage, self.recipients_schema))
        self.loaded += valid.height

    def _stage(self, table: str, frame: pl.DataFrame) -> None:
        if frame.height:
            name = f"{self.staging.name}/{table}-{len(self.staged[table]):06d}.parquet"
            frame.write_parquet(name)
            self.staged[table].append(name)

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        """Insert everything staged, with one statement per table (call inside the file's
        transaction, under `_write_limits`)."""
        for table, files in self.staged.items():
            if files:
                warehouse.run(
                    con, f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?)", [files]
                )

    def close(self) -> None:
        self.staging.cleanup()


@contextlib.contextmanager
def _write_limits(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One DuckDB thread and a memory limit of `WRITE_MEMORY_LIMIT` while a file's rows are
    replaced, up to and including the commit: DuckDB writes the row groups of a big insert to
    the file as they fill, so what it holds is about one row group (~120,000 rows), whatever
    the mailbox's size (with the connection's own limit, the commit alone took ~70 MiB more)."""
    settings = {"memory_limit": WRITE_MEMORY_LIMIT, "threads": "1"}
    previous = {
        name: warehouse.scalar(con, f"SELECT current_setting('{name}')") for name in settings
    }
    for name, value in settings.items():
        warehouse.run(con, f"SET {name} = '{value}'")
    try:
        yield
    finally:
        for name, value in previous.items():
            warehouse.run(con, f"SET {name} = ?", [value])


def _frame(batches: list[Batch], table: str, schema: pl.Schema) -> pl.DataFrame:
    """One frame of the batches' rows of `table` ("messages" or "recipients"), with their
    record numbers shifted; built column by column, once for all the batches."""
    names = rows.MESSAGE_COLUMNS if table == "messages" else rows.RECIPIENT_COLUMNS
    found = [row for batch in batches for row in getattr(batch, table)]
    columns = dict(zip(names, zip(*found, strict=True), strict=True)) if found else {}
    series = []
    for name, dtype in schema.items():
        values = columns.get(name, ())
        if isinstance(dtype, pl.List):  # Arrow converts lists of str in C; polars per row
            array = pa.array(values, type=pa.list_(pa.string()))
            series.append(pl.Series(name, array).cast(dtype))
        else:
            series.append(pl.Series(name, values, dtype=dtype, strict=False))
    frame = pl.DataFrame(series)
    if any(batch.shift for batch in batches):
        shifts = [batch.shift for batch in batches for _ in getattr(batch, table)]
        frame = frame.with_columns(pl.col("record_number") + pl.Series(shifts, dtype=pl.Int64))
    return frame


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


def _previous_loads(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Per path, the fingerprint, counts, size and modification time of its latest successful
    load (one query, so a maildir of many files does not ask once per file)."""
    frame = warehouse.frame(
        con,
        """SELECT path, sha256, variant, rows_read, rows_loaded, rows_quarantined,
                  size_bytes, mtime_ns
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
    workers: int | None = None,
) -> TableLoad:
    """Load every mail file; one `quality.file_loads` row per file (target raw.email_messages).
    A big mbox is read by `workers` processes (default: `default_workers()`; 1 reads it here)."""
    workers = default_workers() if workers is None else workers
    ensure_quality_tables(con)
    warehouse.ensure_table(con, MESSAGES, table_schema(EmailMessagesSchema))
    warehouse.ensure_table(con, RECIPIENTS, table_schema(EmailRecipientsSchema))
    warehouse.ensure_table(con, FILE_ENDS, FILE_ENDS_SCHEMA)
    if not store_snippets:
        # Switched off: no body text stays, not even in rows of files that fail to reload.
        warehouse.run(con, f"UPDATE {MESSAGES} SET snippet = NULL WHERE snippet IS NOT NULL")
        # Rows loaded with snippets lost them: mail appended to such a file later must not keep
        # them as they are, the file is read whole again.
        warehouse.run(con, f"DELETE FROM {FILE_ENDS} WHERE variant NOT LIKE '%, no snippets'")
    previous = _previous_loads(con)
    outcome = TableLoad(MESSAGES)
    group: list[tuple[SourceFile, str]] = []

    def load_group() -> None:
        for result in _load_one_message_files(
            con, load_id, group, previous, store_snippets, outcome
        ):
            outcome.files.append(result)
            progress(result)
        group.clear()

    for source in sources_:
        fmt = sources.source_format(source)
        if fmt in ONE_MESSAGE_FORMATS:
            group.append((source, fmt))
            if len(group) >= GROUP_FILES:
                load_group()
            continue
        load_group()
        result = _load_file(
            con, load_id, source, previous.get(source.path), store_snippets, outcome, workers
        )
        outcome.files.append(result)
        progress(result)
    load_group()
    return outcome


@dataclasses.dataclass
class _Member:
    """One file of a group of one-message files: its rows, numbered across the group."""

    source: SourceFile
    sha: str
    variant: str
    batches: list[Batch]
    first: int = 0  # the group's record numbers of this file are first + 1 ... first + read
    read: int = 0
    notes: list[str] = dataclasses.field(default_factory=list)


def _load_one_message_files(
    con: duckdb.DuckDBPyConnection,
    load_id: str,
    group: list[tuple[SourceFile, str]],
    previous: dict[str, tuple],
    store_snippets: bool,
    outcome: TableLoad,
) -> list[FileResult]:
    """Load files that hold one message each (with their format) together: unchanged ones are
    skipped, the others validated in one frame and written in one transaction, each file's rows
    replaced and each file given its own ledger row, as if it had been loaded alone. A file on
    disk with the size and modification time of its last load is unchanged without being read
    (a maildir of 100,000 files is not read again to find the one that changed); otherwise its
    content fingerprint decides, as in `_load_file`."""
    entries, members = [], []
    order = {source.path: n for n, (source, _) in enumerate(group)}
    for source, fmt in group:
        variant = fmt if store_snippets else f"{fmt}, no snippets"
        old = previous.get(source.path)
        # A ledger row without a content hash asks for the file to be read again (forget.py).
        if (
            old is not None
            and old[0] is not None
            and old[1] == variant
            and source.mtime_ns is not None
            and (source.size, source.mtime_ns) == old[5:7]
        ):
            message = "already loaded, same size and time; skipped"
            entries.append(_entry(source, "unchanged", message, old[0], variant, old[2:5]))
            continue
        try:
            sha = fingerprint(source)
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
            entries.append(_entry(source, "failed", f"{source.path}: cannot be read — {exc}", None))
            continue
        if old is not None and old[0] == sha and old[1] == variant:
            message = "already loaded with the same content; skipped"
            entries.append(_entry(source, "unchanged", message, sha, variant, old[2:5]))
            continue
        ctx = FileContext(source, fmt, sources.folder_of(source, fmt), store_snippets)
        try:
            batches = [b for b in _batches(source, ctx, 1) if b is not None]
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
            message = f"{source.path}: reading stopped at the start — {exc}"
            entries.append(_entry(source, "failed", message, sha, variant))
            continue
        except Exception as exc:
            log.error("mail loader failed on %s\n%s", source.path, traceback.format_exc())
            message = f"{source.path}: unexpected error — {exc!r}"
            entries.append(_entry(source, "failed", message, sha, variant))
            continue
        members.append(_Member(source, sha, variant, batches))
    results = record_files(con, load_id, entries) if entries else []
    if members:
        try:
            results += _write_members(con, load_id, members, outcome)
        except Exception:
            # one file the group cannot take must not cost the others: each is loaded alone
            log.error("loading %d files together failed\n%s", len(members), traceback.format_exc())
            results += [
                _load_file(con, load_id, m.source, None, store_snippets, outcome, 1)
                for m in members
            ]
    return sorted(results, key=lambda result: order[result.path])


def _write_members(
    con: duckdb.DuckDBPyConnection, load_id: str, members: list[_Member], outcome: TableLoad
) -> list[FileResult]:
    total = 0
    for member in members:
        member.first = total
        for batch in member.batches:
            batch.renumber(total + member.read)
            member.read += batch.read
            member.notes.extend(batch.notes)
        total += member.read
    firsts = [m.first for m in members]

    def owner(record: int) -> int:  # the member holding a group record number
        return bisect.bisect_left(firsts, record) - 1

    loaded_batches = [(m, b) for m in members for b in m.batches if b.offsets]
    frame = _frame(
        [b for _, b in loaded_batches], "messages", _own(table_schema(EmailMessagesSchema))
    )
    where = [f"{m.source.path} at byte {o:,}" for m, b in loaded_batches for o in b.offsets]
    valid, rejects, left_out = validate(ParsedFile("", frame, where), EmailMessagesSchema)
    outcome.schema_failures += len(rejects)
    kept = set(valid["record_number"].to_list())
    rejected = [r for m in members for b in m.batches for r in b.rejected] + rejects
    values = [
        v for m in members for b in m.batches for v in b.rejected_values if v.record_number in kept
    ] + left_out
    recipients = _frame(
        [b for _, b in loaded_batches], "recipients", _own(table_schema(EmailRecipientsSchema))
    )
    recipients = recipients.filter(pl.col("record_number").is_in(valid["record_number"].implode()))
    paths = [m.source.path for m in members]
    with _write_limits(con), warehouse.transaction(con):
        for table in (MESSAGES, RECIPIENTS):
            warehouse.run(con, f"DELETE FROM {table} WHERE list_contains(?, source_path)", [paths])
        for table in (QUARANTINE, REJECTED_VALUES):
            warehouse.run(
                con,
                f"DELETE FROM {table} WHERE list_contains(?, path) AND target_table = ?",
                [paths, MESSAGES],
            )
        warehouse.run(con, f"DELETE FROM {FILE_ENDS} WHERE list_contains(?, path)", [paths])
        for table, rows_, model in (
            (MESSAGES, valid, EmailMessagesSchema),
            (RECIPIENTS, recipients, EmailRecipientsSchema),
        ):
            warehouse.insert_frame(con, table, _with_member_lineage(rows_, members, owner, model))
        by_member: dict[int, list] = {}
        for r in rejected:
            by_member.setdefault(owner(r.record_number), []).append(r)
        values_by_member: dict[int, list] = {}
        for v in values:
            values_by_member.setdefault(owner(v.record_number), []).append(v)
        counts = Counter(owner(n) for n in valid["record_number"].to_list())
        entries = []
        for i, member in enumerate(members):
            mine = [
                dataclasses.replace(r, record_number=r.record_number - member.first)
                for r in by_member.get(i, [])
            ]
            left = [
                dataclasses.replace(v, record_number=v.record_number - member.first)
                for v in values_by_member.get(i, [])
            ]
            # Most files have neither: building an empty frame each cost ~1 ms a file.
            if mine:
                _write_quarantine(con, load_id, member.source, mine)
            if left:
                warehouse.insert_frame(
                    con,
                    REJECTED_VALUES,
                    rejected_values_frame(load_id, member.source.path, KIND, MESSAGES, left),
                )
            notes = member.notes + ([left_out_note(len(left))] if left else [])
            entries.append(
                _entry(
                    member.source,
                    "loaded",
                    "; ".join(notes),
                    member.sha,
                    member.variant,
                    (member.read, counts[i], len(mine)),
                )
            )
        return record_files(con, load_id, entries)


def _with_member_lineage(frame: pl.DataFrame, members: list[_Member], owner, model) -> pl.DataFrame:
    """Rows numbered across a group, given back their file's lineage and record numbers."""
    index = [owner(n) for n in frame["record_number"].to_list()]
    return frame.with_columns(
        record_number=pl.Series(
            [
                n - members[i].first
                for n, i in zip(frame["record_number"].to_list(), index, strict=True)
            ],
            dtype=pl.Int64,
        ),
        source_path=pl.Series([members[i].source.path for i in index], dtype=pl.String),
        source_sha256=pl.Series([members[i].sha for i in index], dtype=pl.String),
        snapshot_date=pl.Series([members[i].source.snapshot_date for i in index], dtype=pl.Date),
    ).select(list(table_schema(model)))


def _entry(
    source: SourceFile,
    status: str,
    message: str,
    sha: str | None,
    variant: str = "",
    counts: tuple[int, int, int] = (0, 0, 0),
) -> dict:
    """The file's `quality.file_loads` row, as `record_files` takes it."""
    return {
        "path": source.path,
        "kind": KIND,
        "table": MESSAGES,
        "status": status,
        "message": message,
        "variant": variant,
        "sha256": sha,
        "snapshot_date": source.snapshot_date,
        "counts": counts,
        "size_bytes": source.size,
        "mtime_ns": source.mtime_ns,
    }


def _load_file(
    con: duckdb.DuckDBPyConnection,
    load_id: str,
    source: SourceFile,
    previous: tuple | None,
    store_snippets: bool,
    outcome: TableLoad,
    workers: int,
) -> FileResult:
    def ledger(status: str, message: str, sha: str | None, variant: str = "", counts=(0, 0, 0)):
        return record_files(con, load_id, [_entry(source, status, message, sha, variant, counts)])[
            0
        ]

    fmt = sources.source_format(source) or "mbox"
    folder = sources.folder_of(source, fmt)
    one_message = fmt == "mbox" and _holds_one_message(source)
    if one_message:
        fmt = "eml"  # read as one message, as a .eml file is
    ctx = FileContext(source, fmt, folder, store_snippets)
    if _parallel_ranges(source, ctx, workers):
        with contextlib.suppress(OSError, RuntimeError, ValueError):  # `_parallel` says why
            _fork_server()  # starts while the file is fingerprinted
    try:
        sha = fingerprint(source)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        return ledger("failed", f"{source.path}: cannot be read — {exc}", None)
    variant = ONE_MESSAGE_VARIANT if one_message else fmt
    variant = variant if store_snippets else f"{variant}, no snippets"
    # A file loaded with the other snippet setting is loaded again, so the switch takes effect.
    if previous is not None and previous[0] == sha and previous[1] == variant:
        _, variant, read, loaded, quarantined = previous[:5]
        return ledger(
            "unchanged",
            "already loaded with the same content; skipped",
            sha,
            variant,
            (read, loaded, quarantined),
        )
    writer = _FileWriter(source, sha)
    if one_message:
        writer.notes.append(ONE_MESSAGE_NOTE)
    appended = _appended_from(con, source, fmt, variant, previous)
    first_record = 1
    if appended is not None:
        start, first_record = appended
        writer.read = first_record - 1  # the messages before are kept
        writer.notes.append(
            f"mail appended since the last load: read from its last message on "
            f"(byte {start:,}, message {first_record:,})"
        )
    try:
        for batch in _batches(source, ctx, workers, None if appended is None else appended[0]):
            if batch is None:
                writer.idle()
            else:
                writer.take(batch)
        writer.flush()
        with _write_limits(con), warehouse.transaction(con):
            for table in (MESSAGES, RECIPIENTS):
                warehouse.run(
                    con,
                    f"DELETE FROM {table} WHERE source_path = ? AND record_number >= ?",
                    [source.path, first_record],
                )
            for table in (QUARANTINE, REJECTED_VALUES):
                warehouse.run(
                    con,
                    f"""DELETE FROM {table} WHERE path = ? AND target_table = ?
                        AND (? = 1 OR record_number >= ?)""",
                    [source.path, MESSAGES, first_record, first_record],
                )
            writer.write(con)
            _write_quarantine(con, load_id, source, writer.rejected)
            warehouse.insert_frame(
                con,
                REJECTED_VALUES,
                rejected_values_frame(load_id, source.path, KIND, MESSAGES, writer.rejected_values),
            )
            loaded, quarantined = _stored_counts(con, source.path)
            if writer.rejected_values:
                writer.notes.append(left_out_note(len(writer.rejected_values)))
            result = ledger(
                "loaded", "; ".join(writer.notes), sha, variant, (writer.read, loaded, quarantined)
            )
            _remember_end(con, source, fmt, sha, variant, writer)
    except NotMbox as exc:
        return ledger("failed", f"{source.path}: not an mbox file — {exc}", sha, variant)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        last = ctx.last_offset if ctx.last_offset is not None else writer.last_offset
        where = f"after the message at byte {last:,}" if last is not None else "at the start"
        return ledger("failed", f"{source.path}: reading stopped {where} — {exc}", sha, variant)
    except Exception as exc:
        log.error("mail loader failed on %s\n%s", source.path, traceback.format_exc())
        last = ctx.last_offset if ctx.last_offset is not None else writer.last_offset
        where = f" after the message at byte {last:,}" if last is not None else ""
        return ledger("failed", f"{source.path}: unexpected error{where} — {exc!r}", sha, variant)
    finally:
        writer.close()
    outcome.schema_failures += writer.schema_failures
    return result


def _holds_one_message(source: SourceFile) -> bool:
    try:
        return sources.holds_one_message(source)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError):
        return False  # reading it as an mbox says what is wrong with it


def _batches(
    source: SourceFile, ctx: FileContext, workers: int, start: int | None = None
) -> Iterator[Batch | None]:
    """The file's rows in batches, in file order: an mbox on disk of `PARALLEL_BYTES` or more
    is cut into ranges of `RANGE_BYTES` at separator lines and read by `workers` processes
    (`2 * workers` ranges in flight, so memory stays bounded; None while waiting for one);
    anything else is read here. With `start` (a separator's offset), an mbox is read from
    there on, here."""
    if start is not None:
        with source.open() as handle:
            handle.seek(start)
            messages = iter_mbox(handle, first_offset=start)
            yield from rows.batches(messages, ctx, size=BATCH_SIZE)
        return
    if _parallel_ranges(source, ctx, workers):
        ranges = rows.split_ranges(
            str(source.disk_path),
            source.path,
            source.size,
            RANGE_BYTES,
            ctx.folder,
            ctx.store_snippets,
        )
        if len(ranges) > 1:
            yield from _parallel(ranges, workers)
            return
    with source.open() as handle:
        messages = sources.iter_messages(source, ctx.fmt, handle)
        yield from rows.batches(messages, ctx, size=BATCH_SIZE)


def _parallel(ranges: list[rows.Range], workers: int) -> Iterator[Batch | None]:
    """The ranges' batches in file order, read by a pool of worker processes, the first one
    here while the pool starts; None between two batches when the next is not ready yet (the
    caller may use the wait). The workers come from a fork server (a clean process: forking
    this one, with DuckDB's and polars' threads running, is not safe), which imports the
    row-making modules once, not the caller's `__main__`. A pool that cannot start (no
    semaphores in a sandbox, no fork server on this platform) gives a warning and the file is
    read here instead."""
    todo = iter(ranges[1:])
    try:
        with _main_module_hidden():  # the workers start during the first submissions
            pool = ProcessPoolExecutor(workers, mp_context=_fork_server())
            pending = deque(
                pool.submit(rows.parse_range, spec) for spec in islice(todo, 2 * workers)
            )
    except (RuntimeError, OSError, ValueError) as exc:  # ValueError: no fork server here
        log.warning("no worker processes (%s); reading %s in this process", exc, ranges[0].path)
        yield from _serial(ranges)
        return
    with pool:
        yield rows.parse_range(ranges[0])
        done = 1  # ranges whose batch was yielded
        while pending:
            future = pending.popleft()
            following = next(todo, None)
            if following is not None:
                pending.append(pool.submit(rows.parse_range, following))
            if not future.done():
                yield None
            try:
                batch = future.result()
            except BrokenProcessPool as exc:
                if done > 1:
                    raise  # the workers ran, then one died (killed, out of memory)
                log.warning("no worker processes (%s); reading %s here", exc, ranges[0].path)
                yield from _serial(ranges[done:])
                return
            yield batch
            done += 1


def _appended_from(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    fmt: str,
    variant: str,
    previous: tuple | None,
) -> tuple[int, int] | None:
    """(byte offset, record number) of the file's last message at its latest load when the
    file is what was loaded then with mail appended (an mbox on disk, longer, the same
    fingerprint over its first bytes, its last message loaded): that message and the ones after
    it are read, the rows before kept. None when the file must be read whole."""
    if fmt != "mbox" or source.disk_path is None or previous is None:
        return None
    found = warehouse.frame(con, f"SELECT * FROM {FILE_ENDS} WHERE path = ?", [source.path])
    if found.is_empty():
        return None
    end = found.row(0, named=True)
    if (
        end["sha256"] != previous[0]
        or end["variant"] != variant
        or end["last_offset"] is None
        or not 0 < end["size_bytes"] < source.size
    ):
        return None
    last_loaded = warehouse.scalar(
        con,
        f"""SELECT count(*) FROM {MESSAGES}
            WHERE source_path = ? AND record_number = ? AND byte_offset = ?""",
        [source.path, end["last_record"], end["last_offset"]],
    )
    if not last_loaded or fingerprint(source, end["size_bytes"]) != end["sha256"]:
        return None
    return end["last_offset"], end["last_record"]


def _stored_counts(con: duckdb.DuckDBPyConnection, path: str) -> tuple[int, int]:
    """Rows of the file in raw.email_messages and in the quarantine."""
    loaded = warehouse.scalar(con, f"SELECT count(*) FROM {MESSAGES} WHERE source_path = ?", [path])
    quarantined = warehouse.scalar(
        con,
        f"SELECT count(*) FROM {QUARANTINE} WHERE path = ? AND target_table = ?",
        [path, MESSAGES],
    )
    return loaded, quarantined


def _remember_end(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    fmt: str,
    sha: str,
    variant: str,
    writer: _FileWriter,
) -> None:
    """Where an mbox on disk ends now (its size and last message), for `_appended_from`."""
    warehouse.run(con, f"DELETE FROM {FILE_ENDS} WHERE path = ?", [source.path])
    if fmt != "mbox" or source.disk_path is None or writer.last_offset is None:
        return
    end = pl.DataFrame(
        [[source.path, source.size, sha, variant, writer.last_offset, writer.read]],
        schema=FILE_ENDS_SCHEMA,
        orient="row",
    )
    warehouse.insert_frame(con, FILE_ENDS, end)


def _fork_server() -> multiprocessing.context.BaseContext:
    """The fork server context of the worker processes, its server started (it starts in the
    background: importing what it preloads takes a few tenths of a second)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipelines.lib.mail.rows"])
    with _main_module_hidden():
        multiprocessing.forkserver.ensure_running()
    return context


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Processes started inside do not import the caller's `__main__` (multiprocessing makes
    them import it): the workers need only `pipelines.lib.mail.rows`, while the main module of
    a `constellation` or Dagster process imports everything — seconds per worker."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _parallel_ranges(source: SourceFile, ctx: FileContext, workers: int) -> bool:
    """Whether the file is read by worker processes over byte ranges."""
    return (
        workers > 1
        and ctx.fmt == "mbox"
        and bool(source.disk_path)
        and source.size >= PARALLEL_BYTES
    )


def _serial(ranges: list[rows.Range]) -> Iterator[Batch]:
    for spec in ranges:
        yield rows.parse_range(spec)


def default_workers() -> int:
    """Processes for one big mbox: the cores this process may use, at most `MAX_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


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
