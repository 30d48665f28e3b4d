"""Load parsed input files into raw tables so that every row is accounted for.

The contract, for every file of every source:
- rows read = rows loaded + rows quarantined, recorded in `quality.file_loads`;
- a file whose content (SHA-256) was already loaded is skipped ("unchanged");
- a changed file replaces its earlier rows in one transaction, so reruns never duplicate;
- a value that fails an optional field's check is left out of its (loaded) row and kept in
  `quality.rejected_values` (see `rejected_values.py`); a required field's quarantines the row;
- a file that cannot be parsed is recorded as "failed" with a message naming it, its earlier
  rows (if any) stay, and the run goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import duckdb
import pandera.errors
import pandera.polars as pa
import polars as pl
import pyarrow

from pipelines import warehouse
from pipelines.lib.csvfile import CsvTable, Record, Rejected, UnreadableFile
from pipelines.lib.dates import BadValue
from pipelines.lib.inbox import InboxError, InboxProblem, SourceFile
from pipelines.lib.rejected_values import RejectedValue, take_dropped

FILE_LOADS = "quality.file_loads"
QUARANTINE = "quality.quarantine"
REJECTED_VALUES = "quality.rejected_values"

FILE_LOADS_SCHEMA = pl.Schema(
    {
        "load_id": pl.String,
        "loaded_at": pl.Datetime("us", "UTC"),
        "path": pl.String,
        "kind": pl.String,
        "variant": pl.String,
        "target_table": pl.String,
        "sha256": pl.String,
        "snapshot_date": pl.Date,
        "rows_read": pl.Int64,
        "rows_loaded": pl.Int64,
        "rows_quarantined": pl.Int64,
        "status": pl.String,  # loaded | unchanged | failed | skipped
        "message": pl.String,
        # The file's size and modification time (ns) when its content had `sha256`; set by the
        # loaders that skip an unchanged file without reading it (mail), else null.
        "size_bytes": pl.Int64,
        "mtime_ns": pl.Int64,
    }
)
QUARANTINE_SCHEMA = pl.Schema(
    {
        "load_id": pl.String,
        "path": pl.String,
        "kind": pl.String,
        "target_table": pl.String,
        "record_number": pl.Int64,
        "line_number": pl.Int64,
        "raw_text": pl.String,
        "reason": pl.String,
    }
)
# Values left out of loaded rows (the row is in `target_table` with this record number).
REJECTED_VALUES_SCHEMA = pl.Schema(
    {
        "load_id": pl.String,
        "path": pl.String,
        "kind": pl.String,
        "target_table": pl.String,
        "record_number": pl.Int64,
        "line_number": pl.Int64,
        "column_name": pl.String,
        "value": pl.String,
        "reason": pl.String,
    }
)
# Columns every raw table carries besides its own, so any row can be traced to its file.
LINEAGE_SCHEMA = pl.Schema(
    {
        "source_path": pl.String,
        "source_sha256": pl.String,
        "record_number": pl.Int64,
        "snapshot_date": pl.Date,
    }
)

log = logging.getLogger(__name__)


@dataclass
class ParsedFile:
    """What a parser returns: typed rows (with `record_number`), their raw text, the rows
    rejected (quarantined) and the values left out of loaded rows."""

    variant: str
    rows: pl.DataFrame
    raw: list[str]  # raw text of each row of `rows`, same order
    rejected: list[Rejected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected_values: list[RejectedValue] = field(default_factory=list)
    line_numbers: list[int | None] | None = None  # where each row of `rows` starts, if known

    @property
    def rows_read(self) -> int:
        return self.rows.height + len(self.rejected)


Parser = Callable[[bytes, SourceFile], ParsedFile]


@dataclass(frozen=True)
class FileResult:
    path: str
    kind: str
    variant: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    status: str
    message: str

    @property
    def conserved(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined


@dataclass
class TableLoad:
    """The outcome of loading every file of one kind into its table."""

    table: str
    files: list[FileResult] = field(default_factory=list)
    schema_failures: int = 0

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files if f.status == "loaded")

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]


def polars_schema(model: type[pa.DataFrameModel]) -> pl.Schema:
    """The polars column types a pandera model declares, in declaration order."""
    return pl.Schema({name: col.dtype.type for name, col in model.to_schema().columns.items()})


def table_schema(model: type[pa.DataFrameModel]) -> pl.Schema:
    """A raw table's full schema: the model's columns followed by the lineage columns."""
    own = polars_schema(model)
    return pl.Schema({**own, **{k: v for k, v in LINEAGE_SCHEMA.items() if k not in own}})


def ensure_quality_tables(con: duckdb.DuckDBPyConnection) -> None:
    warehouse.ensure_table(con, FILE_LOADS, FILE_LOADS_SCHEMA)
    warehouse.ensure_table(con, QUARANTINE, QUARANTINE_SCHEMA)
    warehouse.ensure_table(con, REJECTED_VALUES, REJECTED_VALUES_SCHEMA)


def frame_from_rows(rows: list[dict], model: type[pa.DataFrameModel]) -> pl.DataFrame:
    """Typed rows for a model's table (record_number included); missing keys become null."""
    schema = polars_schema(model)
    if "record_number" not in schema:
        schema = pl.Schema({**schema, "record_number": pl.Int64})
    return pl.DataFrame([_column(name, dtype, rows) for name, dtype in schema.items()])


def _column(name: str, dtype: pl.DataType, rows: list[dict]) -> pl.Series:
    values = [row.get(name) for row in rows]
    if dtype == pl.List(pl.String):
        # Polars builds list columns from Python lists slowly (0.6 s per 50,000 LinkedIn
        # messages); Arrow does it in a twentieth of that.
        array = pyarrow.array(values, type=pyarrow.list_(pyarrow.large_string()))
        return pl.Series(name, array).cast(dtype)
    return pl.Series(name, values, dtype=dtype)


def parse_records(
    table: CsvTable,
    to_row: Callable[[CsvTable, Record], dict],
    model: type[pa.DataFrameModel],
) -> ParsedFile:
    """Turn CSV records into typed rows with `to_row`: a `BadValue` it raises quarantines that
    record, a `Dropped` value in the row it returns is left out (a rejected value)."""
    rows: list[dict] = []
    raw: list[str] = []
    lines: list[int | None] = []
    rejected = list(table.rejected)
    rejected_values: list[RejectedValue] = []
    for record in table.records:
        try:
            row = to_row(table, record)
        except BadValue as exc:
            rejected.append(
                Rejected(record.record_number, record.line_number, record.raw, str(exc))
            )
            continue
        rejected_values += take_dropped(row, record.record_number, record.line_number)
        row["record_number"] = record.record_number
        rows.append(row)
        raw.append(record.raw)
        lines.append(record.line_number)
    rejected.sort(key=lambda r: r.record_number)
    return ParsedFile(
        table.variant.name,
        frame_from_rows(rows, model),
        raw,
        rejected,
        table.notes,
        rejected_values,
        lines,
    )


def optional_columns(model: type[pa.DataFrameModel]) -> set[str]:
    """The model's nullable columns: a value that fails their checks costs the value only."""
    return {name for name, column in model.to_schema().columns.items() if column.nullable}


def validate(
    parsed: ParsedFile, model: type[pa.DataFrameModel]
) -> tuple[pl.DataFrame, list[Rejected], list[RejectedValue]]:
    """Check parsed rows with the pandera model: the rows it accepts (with the values that
    failed an optional column's check set to null), quarantine rows for those failing a
    required column's check, and the values left out."""
    rows = parsed.rows
    if rows.height == 0:
        return rows, [], []
    try:
        model.validate(rows, lazy=True)
        return rows, [], []
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    optional = optional_columns(model)
    reasons: dict[int, list[str]] = {}
    left_out: dict[str, set[int]] = {}
    rejected_values: list[RejectedValue] = []
    for case in cases.iter_rows(named=True):
        index = case.get("index")
        if index is None:
            raise UnreadableFile(f"schema error: {case['check']} on {case['column']}")
        i, column = int(index), case["column"]
        reason = f"{column}: {case['check']} (value {case['failure_case']!r})"
        if column in optional and case["failure_case"] is not None:
            left_out.setdefault(column, set()).add(i)
            rejected_values.append(
                RejectedValue(
                    int(rows["record_number"][i]),
                    _line(parsed, i),
                    column,
                    str(case["failure_case"]),
                    f"failed validation — {reason}",
                )
            )
        else:
            reasons.setdefault(i, []).append(reason)
    rows = rows.with_columns(
        pl.when(pl.int_range(pl.len()).is_in(list(indexes)))
        .then(None)
        .otherwise(pl.col(column))
        .alias(column)
        for column, indexes in left_out.items()
    )
    rejected = [
        Rejected(
            int(rows["record_number"][i]),
            _line(parsed, i),
            parsed.raw[i],
            "failed validation — " + "; ".join(reasons[i]),
        )
        for i in sorted(reasons)
    ]
    keep = pl.Series([i not in reasons for i in range(rows.height)], dtype=pl.Boolean)
    kept_records = set(rows.filter(keep)["record_number"].to_list())
    rejected_values = [v for v in rejected_values if v.record_number in kept_records]
    return rows.filter(keep), rejected, rejected_values


def _line(parsed: ParsedFile, index: int) -> int | None:
    return parsed.line_numbers[index] if parsed.line_numbers is not None else None


def latest_load(con: duckdb.DuckDBPyConnection, path: str, table: str) -> pl.DataFrame:
    """The ledger row of the file's latest load into `table` that kept its rows (loaded or
    unchanged); no row when it has none."""
    return warehouse.frame(
        con,
        f"""SELECT * FROM {FILE_LOADS}
            WHERE path = ? AND target_table = ? AND status IN ('loaded', 'unchanged')
            ORDER BY loaded_at DESC LIMIT 1""",
        [path, table],
    )


def previous_sha256(con: duckdb.DuckDBPyConnection, path: str, table: str) -> str | None:
    latest = latest_load(con, path, table)
    return None if latest.is_empty() else latest["sha256"][0]


def record_file(
    con: duckdb.DuckDBPyConnection,
    load_id: str,
    *,
    path: str,
    kind: str,
    table: str,
    status: str,
    message: str,
    variant: str = "",
    sha256: str | None = None,
    snapshot_date: dt.date | None = None,
    counts: tuple[int, int, int] = (0, 0, 0),
) -> FileResult:
    """Append one row to `quality.file_loads` and return it as a FileResult."""
    entry = {
        "path": path,
        "kind": kind,
        "table": table,
        "status": status,
        "message": message,
        "variant": variant,
        "sha256": sha256,
        "snapshot_date": snapshot_date,
        "counts": counts,
    }
    return record_files(con, load_id, [entry])[0]


def record_files(
    con: duckdb.DuckDBPyConnection, load_id: str, entries: list[dict]
) -> list[FileResult]:
    """`record_file` for many files with one insert: each entry holds its keyword arguments."""
    now = dt.datetime.now(dt.UTC)
    rows = pl.DataFrame(
        [
            {
                "load_id": load_id,
                "loaded_at": now,
                "path": e["path"],
                "kind": e["kind"],
                "variant": e.get("variant", ""),
                "target_table": e["table"],
                "sha256": e.get("sha256"),
                "snapshot_date": e.get("snapshot_date"),
                "rows_read": e.get("counts", (0, 0, 0))[0],
                "rows_loaded": e.get("counts", (0, 0, 0))[1],
                "rows_quarantined": e.get("counts", (0, 0, 0))[2],
                "status": e["status"],
                "message": e["message"],
                "size_bytes": e.get("size_bytes"),
                "mtime_ns": e.get("mtime_ns"),
            }
            for e in entries
        ],
        schema=FILE_LOADS_SCHEMA,
    )
    warehouse.insert_frame(con, FILE_LOADS, rows)
    return [
        FileResult(
            r["path"],
            r["kind"],
            r["variant"],
            r["rows_read"],
            r["rows_loaded"],
            r["rows_quarantined"],
            r["status"],
            r["message"],
        )
        for r in rows.iter_rows(named=True)
    ]


def rejected_values_frame(
    load_id: str, path: str, kind: str, table: str, values: list[RejectedValue]
) -> pl.DataFrame:
    """`quality.rejected_values` rows for the values left out of one file's rows."""
    return pl.DataFrame(
        [
            {
                "load_id": load_id,
                "path": path,
                "kind": kind,
                "target_table": table,
                "record_number": v.record_number,
                "line_number": v.line_number,
                "column_name": v.column,
                "value": v.value,
                "reason": v.reason,
            }
            for v in values
        ],
        schema=REJECTED_VALUES_SCHEMA,
    )


def replace_file_rows(
    con: duckdb.DuckDBPyConnection,
    load_id: str,
    *,
    table: str,
    kind: str,
    source: SourceFile,
    sha256: str,
    variant: str,
    rows: pl.DataFrame,
    rejected: list[Rejected],
    rows_read: int,
    message: str,
    rejected_values: list[RejectedValue] | None = None,
) -> FileResult:
    """In one transaction: drop the file's earlier rows, quarantine and rejected values, write
    the new ones, and record the load."""
    quarantine = pl.DataFrame(
        [
            {
                "load_id": load_id,
                "path": source.path,
                "kind": kind,
                "target_table": table,
                "record_number": r.record_number,
                "line_number": r.line_number,
                "raw_text": r.raw,
                "reason": r.reason,
            }
            for r in rejected
        ],
        schema=QUARANTINE_SCHEMA,
    )
    with warehouse.transaction(con):
        warehouse.run(con, f"DELETE FROM {table} WHERE source_path = ?", [source.path])
        warehouse.run(
            con,
            f"DELETE FROM {QUARANTINE} WHERE path = ? AND target_table = ?",
            [source.path, table],
        )
        warehouse.run(
            con,
            f"DELETE FROM {REJECTED_VALUES} WHERE path = ? AND target_table = ?",
            [source.path, table],
        )
        warehouse.insert_frame(con, table, rows)
        warehouse.insert_frame(con, QUARANTINE, quarantine)
        warehouse.insert_frame(
            con,
            REJECTED_VALUES,
            rejected_values_frame(load_id, source.path, kind, table, rejected_values or []),
        )
        return record_file(
            con,
            load_id,
            path=source.path,
            kind=kind,
            table=table,
            status="loaded",
            message=message,
            variant=variant,
            sha256=sha256,
            snapshot_date=source.snapshot_date,
            counts=(rows_read, rows.height, len(rejected)),
        )


def load_files(
    con: duckdb.DuckDBPyConnection,
    load_id: str,
    *,
    table: str,
    kind: str,
    model: type[pa.DataFrameModel],
    parse: Parser,
    sources: Iterable[SourceFile],
    progress: Callable[[FileResult], None] = lambda result: None,
    reload_unchanged: bool = False,
) -> TableLoad:
    """Parse, validate and load every source file of one kind into `table`.

    `reload_unchanged` loads files again even when their content was already loaded: for
    parsers whose output also depends on settings (the calendar's as-of window)."""
    ensure_quality_tables(con)
    schema = table_schema(model)
    warehouse.ensure_table(con, table, schema)
    outcome = TableLoad(table)
    for source in sources:
        result = _load_one(
            con, load_id, table, kind, model, schema, parse, source, outcome, reload_unchanged
        )
        outcome.files.append(result)
        progress(result)
    return outcome


def _load_one(
    con: duckdb.DuckDBPyConnection,
    load_id: str,
    table: str,
    kind: str,
    model: type[pa.DataFrameModel],
    schema: pl.Schema,
    parse: Parser,
    source: SourceFile,
    outcome: TableLoad,
    reload_unchanged: bool = False,
) -> FileResult:
    def failed(message: str, sha: str | None = None) -> FileResult:
        return record_file(
            con,
            load_id,
            path=source.path,
            kind=kind,
            table=table,
            status="failed",
            message=message,
            sha256=sha,
            snapshot_date=source.snapshot_date,
        )

    try:
        data = source.read_bytes()
    except (InboxError, OSError) as exc:
        return failed(f"{source.path}: cannot be read — {exc}")
    sha = hashlib.sha256(data).hexdigest()
    if not reload_unchanged and previous_sha256(con, source.path, table) == sha:
        last = warehouse.frame(
            con,
            f"""SELECT variant, rows_read, rows_loaded, rows_quarantined FROM {FILE_LOADS}
                WHERE path = ? AND target_table = ? AND status = 'loaded'
                ORDER BY loaded_at DESC LIMIT 1""",
            [source.path, table],
        ).row(0)
        return record_file(
            con,
            load_id,
            path=source.path,
            kind=kind,
            table=table,
            status="unchanged",
            message="already loaded with the same content; skipped",
            variant=last[0],
            sha256=sha,
            snapshot_date=source.snapshot_date,
            counts=(last[1], last[2], last[3]),
        )
    try:
        parsed = parse(data, source)
        valid, schema_rejects, schema_rejected_values = validate(parsed, model)
    except UnreadableFile as exc:
        return failed(f"{source.path}: {exc}", sha)
    except Exception as exc:  # a parser bug must not stop the other files
        log.error("parser failed on %s\n%s", source.path, traceback.format_exc())
        return failed(f"{source.path}: unexpected error while parsing — {exc!r}", sha)
    outcome.schema_failures += len(schema_rejects)
    lineage = {
        "source_path": pl.lit(source.path, pl.String),
        "source_sha256": pl.lit(sha, pl.String),
        "snapshot_date": pl.lit(source.snapshot_date, pl.Date),
    }
    rows = valid.with_columns(**{k: v for k, v in lineage.items() if k in schema}).select(
        list(schema)
    )
    left_out = _of_rows(valid, parsed.rejected_values + schema_rejected_values)
    notes = parsed.notes + ([left_out_note(len(left_out))] if left_out else [])
    return replace_file_rows(
        con,
        load_id,
        table=table,
        kind=kind,
        source=source,
        sha256=sha,
        variant=parsed.variant,
        rows=rows,
        rejected=parsed.rejected + schema_rejects,
        rows_read=parsed.rows_read,
        message="; ".join(notes),
        rejected_values=left_out,
    )


def left_out_note(count: int) -> str:
    """The file's summary says how many values were left out of loaded rows, and where."""
    return f"{count:,} value(s) left out of loaded rows, see quality.rejected_values"


def _of_rows(rows: pl.DataFrame, values: list[RejectedValue]) -> list[RejectedValue]:
    """The rejected values of rows that are loaded (a quarantined row keeps all its text)."""
    loaded = set(rows["record_number"].to_list())
    return [v for v in values if v.record_number in loaded]


def record_inbox_problems(
    con: duckdb.DuckDBPyConnection, load_id: str, problems: Iterable[InboxProblem]
) -> list[FileResult]:
    """Archives that could not be opened and entries that were refused, as failed loads."""
    ensure_quality_tables(con)
    return [
        record_file(
            con, load_id, path=p.path, kind="archive", table="", status="failed", message=p.message
        )
        for p in problems
    ]


def conservation_violations(con: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    """Files whose latest load into `table` does not add up (read ≠ loaded + quarantined), or
    whose rows in the table differ from what the ledger says was loaded."""
    return warehouse.frame(
        con,
        f"""
        WITH latest AS (
            SELECT * FROM {FILE_LOADS}
            WHERE target_table = ? AND status IN ('loaded', 'unchanged')
            QUALIFY row_number() OVER (PARTITION BY path ORDER BY loaded_at DESC) = 1
        ), stored AS (
            SELECT source_path AS path, count(*) AS rows_in_table FROM {table} GROUP BY ALL
        ), quarantined AS (
            SELECT path, count(*) AS rows_in_quarantine FROM {QUARANTINE}
            WHERE target_table = ? GROUP BY ALL
        )
        SELECT latest.path, rows_read, rows_loaded, rows_quarantined,
               coalesce(rows_in_table, 0) AS rows_in_table,
               coalesce(rows_in_quarantine, 0) AS rows_in_quarantine
        FROM latest LEFT JOIN stored USING (path) LEFT JOIN quarantined USING (path)
        WHERE rows_read <> rows_loaded + rows_quarantined
           OR coalesce(rows_in_table, 0) <> rows_loaded
           OR coalesce(rows_in_quarantine, 0) <> rows_quarantined
        """,
        [table, table],
    )
