"""Read-only access to the published snapshot, safe enough to run SQL a user typed.

The guarantee comes from DuckDB itself, not from inspecting the text: every connection opens the
snapshot read-only with external access switched off (no file readers, no COPY, no ATTACH, no
extension INSTALL/LOAD, no replacement scans) and the configuration locked, so no `SET` or
`PRAGMA` can switch it back on. On top of that the SQL page accepts exactly one statement that
DuckDB itself parses as a query (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE), so a
typed `CREATE TEMP TABLE` or a second statement is refused with a clear message before it runs.

Every connection also has a memory limit and a thread count of its own (`MEMORY_LIMIT`,
`THREADS`), so one heavy query cannot take the memory or the cores the dashboard needs; DuckDB
stops a query that would go over the limit, and the page says what to do instead.

The dashboard's own reads use the same connection settings: DuckDB refuses to open one file twice
in a process with different configurations, and the dashboard has no reason to read files either.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

MEMORY_LIMIT = "1GB"  # well above any mart the dashboard reads, far below a machine's memory
THREADS = 2
LOCKED_CONFIG: dict[str, object] = {
    "memory_limit": MEMORY_LIMIT,
    "threads": THREADS,
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,  # last: nothing after it can loosen the rules above
}
MAX_ROWS = 1_000
TIMEOUT_SECONDS = 15.0
ALLOWED_TYPES = {duckdb.StatementType.SELECT}

FILE_ACCESS_HINT = (
    "The SQL page reads only the warehouse tables listed on this page: files, other databases "
    "and extensions are switched off here. To explore files, use DuckDB on your own machine."
)

OUT_OF_MEMORY_HINT = (
    f"The query needed more than {MEMORY_LIMIT} of memory, the SQL page's limit, and was "
    "stopped so the dashboard keeps running. Ask for less at once: aggregate with GROUP BY, "
    "filter with WHERE, select fewer columns, or avoid list() and string_agg() over whole "
    "tables. For heavy analysis, open a copy of the snapshot with DuckDB on your own machine."
)


class RefusedQuery(ValueError):
    """The query was not run; the message says why in words a user understands."""


@dataclass(frozen=True)
class QueryResult:
    rows: pl.DataFrame
    truncated: bool  # more rows exist than `rows` holds
    seconds: float


@contextlib.contextmanager
def connect(snapshot: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived, read-only, sandboxed connection to the snapshot."""
    con = duckdb.connect(str(snapshot), read_only=True, config=dict(LOCKED_CONFIG))
    try:
        yield con
    finally:
        con.close()


def single_query(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The text of the one read-only statement in `sql`, or `RefusedQuery` explaining why not."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise RefusedQuery(f"DuckDB could not parse this query: {_message(exc)}") from exc
    if not statements:
        raise RefusedQuery("Type a query first, for example: SELECT * FROM quality.file_loads")
    if len(statements) > 1:
        raise RefusedQuery(
            f"Please run one statement at a time (found {len(statements)}). "
            "Remove the extra `;`-separated statements."
        )
    statement = statements[0]
    if statement.type not in ALLOWED_TYPES:
        kind = statement.type.name.replace("_", " ")
        raise RefusedQuery(
            f"This page only reads data, so {kind} statements are not run here. "
            "Use SELECT, WITH, DESCRIBE or SHOW."
        )
    return _without_final_semicolon(statement.query)


def _without_final_semicolon(query: str) -> str:
    """DuckDB keeps the `;` in a statement's text, which breaks wrapping it in a LIMIT."""
    code = [
        (offset, kind)
        for offset, kind in duckdb.tokenize(query)
        if kind != duckdb.token_type.comment
    ]
    if code and query[code[-1][0]] == ";":
        return query[: code[-1][0]]
    return query


def run_query(
    snapshot: Path | str,
    sql: str,
    *,
    max_rows: int = MAX_ROWS,
    timeout_seconds: float = TIMEOUT_SECONDS,
) -> QueryResult:
    """Run one read-only query on the snapshot; at most `max_rows` rows come back."""
    started = time.perf_counter()
    with connect(snapshot) as con:
        query = single_query(con, sql)
        # A runaway query must not tie up the dashboard: DuckDB stops it when interrupted.
        timer = threading.Timer(timeout_seconds, con.interrupt)
        timer.start()
        try:
            relation = con.sql(query)
            if relation is None:
                raise RefusedQuery("This statement returns no rows to show.")
            rows = relation.limit(max_rows + 1).pl()
        except duckdb.InterruptException as exc:
            raise RefusedQuery(
                f"The query took longer than {timeout_seconds:g} s and was stopped. "
                "Try adding a WHERE clause or a LIMIT."
            ) from exc
        except duckdb.PermissionException as exc:
            raise RefusedQuery(FILE_ACCESS_HINT) from exc
        except duckdb.OutOfMemoryException as exc:
            raise RefusedQuery(OUT_OF_MEMORY_HINT) from exc
        except duckdb.Error as exc:
            raise RefusedQuery(f"DuckDB says: {_message(exc)}") from exc
        finally:
            timer.cancel()
    return QueryResult(rows.head(max_rows), rows.height > max_rows, time.perf_counter() - started)


def _message(exc: BaseException) -> str:
    return str(exc).strip() or type(exc).__name__
