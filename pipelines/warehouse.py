"""The one way Python code talks to the DuckDB warehouse.

DuckDB 2.x keeps the result of `execute()` pending on the connection until it is read to the end,
and a pending result blocks `con.sql()`. These helpers always finish what they start, so callers
never meet that state: `run` for statements, `scalar` for one value, `frame` for a polars frame.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

SCHEMAS = ("raw", "staging", "core", "marts", "quality", "user_state")


# DuckDB's cache and working memory per connection (it spills to `<warehouse>.tmp/` beyond
# that): the default, 80 % of the machine's memory, lets one refresh grow past 2 GB on a large
# mailbox only because the memory is there.
MEMORY_LIMIT = "1GB"


@contextlib.contextmanager
def connect(db_path: Path | str, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse for a short `with` block; creates the file and schemas when writing."""
    path = Path(db_path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only, config={"memory_limit": MEMORY_LIMIT})
    try:
        if not read_only:
            for schema in SCHEMAS:
                run(con, f"CREATE SCHEMA IF NOT EXISTS {schema}")
        yield con
    finally:
        con.close()


def run(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> None:
    """Execute a statement and finish it."""
    con.execute(sql, params or [])
    con.complete()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> Any:
    """The first column of the first row, or None when there is no row."""
    row = con.execute(sql, params or []).fetchone()
    con.complete()
    return None if row is None else row[0]


def frame(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None
) -> pl.DataFrame:
    """A query's result as a polars DataFrame."""
    return con.sql(sql, params=list(params) if params else None).pl()


def table_exists(con: duckdb.DuckDBPyConnection, qualified_name: str) -> bool:
    schema, name = qualified_name.split(".")
    return bool(
        scalar(
            con,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, name],
        )
    )


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: a failure inside the block rolls everything back."""
    run(con, "BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        run(con, "ROLLBACK")
        raise
    run(con, "COMMIT")


def ensure_table(con: duckdb.DuckDBPyConnection, qualified_name: str, schema: pl.Schema) -> None:
    """Create a table with the columns and types of a polars schema, if it does not exist; a
    table made by an older version gets the columns it lacks (null in its existing rows)."""
    with registered(con, pl.DataFrame(schema=schema)) as view:
        run(con, f"CREATE TABLE IF NOT EXISTS {qualified_name} AS SELECT * FROM {view}")
        schema_name, table = qualified_name.split(".")
        present = {
            row[0]
            for row in con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ?",
                [schema_name, table],
            ).fetchall()
        }
        for column in schema:
            if column not in present:
                run(
                    con,
                    f'ALTER TABLE {qualified_name} ADD COLUMN "{column}" '
                    f"{_column_type(con, view, column)}",
                )


def _column_type(con: duckdb.DuckDBPyConnection, view: str, column: str) -> str:
    """The DuckDB type of one column of a registered frame."""
    return con.execute(f'DESCRIBE SELECT "{column}" FROM {view}').fetchone()[1]


def insert_frame(con: duckdb.DuckDBPyConnection, qualified_name: str, rows: pl.DataFrame) -> None:
    """Append a frame to a table, matching columns by name."""
    if rows.height == 0:
        return
    with registered(con, rows) as view:
        run(con, f"INSERT INTO {qualified_name} BY NAME SELECT * FROM {view}")


def replace_table(con: duckdb.DuckDBPyConnection, qualified_name: str, rows: pl.DataFrame) -> None:
    """Create or replace a table with exactly the rows (and columns) of a frame."""
    with registered(con, rows) as view:
        replace_rows(con, qualified_name, f"SELECT * FROM {view}")


_NEXT_ROWS = "_next_rows"
# The alias under which `hash(<alias>)` hashes a whole row. A column of the same name would be
# hashed instead of the row, so it is one no table has.
ROW = "_whole_row"
_NEXT_HASHES = "_next_hashes"
_OLD_HASHES = "_old_hashes"
_GONE_ROWS = "_gone_rows"


def content_fingerprint(rows: int, hash_sum: Any) -> str:
    """A table's content as `rows:sum of row hashes`: equal when the rows are equal, whatever
    their order (`table_builds` records it)."""
    return f"{rows}:{hash_sum}"


def replace_rows(con: duckdb.DuckDBPyConnection, qualified_name: str, query: str) -> str:
    """Make a table hold exactly the rows (and columns) of a query; return the table's
    `content_fingerprint`.

    A new table is created. An existing one with the same columns is changed in place: only
    its rows that the query no longer gives are deleted, and only the query's rows it lacks are
    inserted (rows are matched by a hash of the whole row). A refresh that changes a few rows
    of a large table then writes a few rows, not the table again: rewriting it costs the
    rewrite, then a checkpoint that writes it all out once more. A table whose columns differ,
    where either side repeats a row, or where most rows changed, is replaced whole. Rows end in
    another physical order than a rebuild gives; nothing may rely on that order. Each side's
    rows are hashed once into a temporary table, and the decisions are taken on those hashes.
    """
    if not table_exists(con, qualified_name):
        run(con, f"CREATE TABLE {qualified_name} AS {query}")
        count, hash_sum = _hash_total(
            con, f"SELECT hash({ROW}) AS h FROM {qualified_name} AS {ROW}"
        )
        return content_fingerprint(count, hash_sum)
    run(con, f"CREATE OR REPLACE TEMP TABLE {_NEXT_ROWS} AS {query}")
    try:
        run(
            con,
            f"CREATE OR REPLACE TEMP TABLE {_NEXT_HASHES} AS "
            f"SELECT hash({ROW}) AS h FROM {_NEXT_ROWS} AS {ROW}",
        )
        count, hash_sum = _hash_total(con, f"SELECT h FROM {_NEXT_HASHES}")
        if _can_change_in_place(con, qualified_name):
            with transaction(con):
                run(
                    con,
                    f"DELETE FROM {qualified_name} AS {ROW} WHERE hash({ROW}) IN "
                    f"(SELECT h FROM {_GONE_ROWS})",
                )
                run(
                    con,
                    f"""INSERT INTO {qualified_name} SELECT * FROM {_NEXT_ROWS} AS {ROW}
                        WHERE hash({ROW}) NOT IN (SELECT h FROM {_OLD_HASHES})""",
                )
        else:  # new columns, repeated rows, or most rows changed (an as-of date moved)
            run(con, f"CREATE OR REPLACE TABLE {qualified_name} AS SELECT * FROM {_NEXT_ROWS}")
    finally:
        for temporary in (_NEXT_ROWS, _NEXT_HASHES, _OLD_HASHES, _GONE_ROWS):
            run(con, f"DROP TABLE IF EXISTS {temporary}")
    return content_fingerprint(count, hash_sum)


def _hash_total(con: duckdb.DuckDBPyConnection, hashes: str) -> tuple[int, Any]:
    """(rows, sum of the row hashes) of a query giving one hash `h` per row."""
    count, hash_sum = con.execute(f"SELECT count(*), sum(h::HUGEINT) FROM ({hashes})").fetchone()
    con.complete()
    return count, hash_sum


def _can_change_in_place(con: duckdb.DuckDBPyConnection, qualified_name: str) -> bool:
    """True when the table can take the next rows in place: the same columns, no repeated row
    on either side, and at least as many rows kept as gone. Leaves the old rows' hashes and the
    hashes of the rows to delete in their temporary tables."""
    if _columns(con, qualified_name) != _columns(con, _NEXT_ROWS) or not _hashes_distinct(
        con, _NEXT_HASHES
    ):
        return False
    run(
        con,
        f"CREATE OR REPLACE TEMP TABLE {_OLD_HASHES} AS "
        f"SELECT hash({ROW}) AS h FROM {qualified_name} AS {ROW}",
    )
    if not _hashes_distinct(con, _OLD_HASHES):
        return False
    run(
        con,
        f"""CREATE OR REPLACE TEMP TABLE {_GONE_ROWS} AS
            SELECT h FROM {_OLD_HASHES} EXCEPT SELECT h FROM {_NEXT_HASHES}""",
    )
    gone = scalar(con, f"SELECT count(*) FROM {_GONE_ROWS}")
    kept = scalar(con, f"SELECT count(*) FROM {_OLD_HASHES}") - gone
    return kept >= gone


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """A table's column names and types, in order."""
    return [(row[0], row[1]) for row in frame(con, f"DESCRIBE {table}").rows()]


def _hashes_distinct(con: duckdb.DuckDBPyConnection, hashes: str) -> bool:
    """True when no two rows have the same hash in a table of row hashes `h`."""
    return bool(scalar(con, f"SELECT count(*) = count(DISTINCT h) FROM {hashes}"))


@contextlib.contextmanager
def registered(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> Iterator[str]:
    """Make a frame queryable under a temporary name for the length of the block."""
    name = f"frame_{id(rows):x}"
    con.register(name, rows)
    try:
        yield name
    finally:
        con.unregister(name)


def publish_snapshot(db_path: Path, snapshot_path: Path) -> Path:
    """Replace the read-only snapshot in one step with a consistent copy of the warehouse.

    Readers (the dashboard, ad-hoc SQL) open the snapshot, never the warehouse, so they are never
    blocked by the writer's lock. The copy is written beside the target and renamed into place,
    which is atomic on POSIX file systems: a reader sees the old file or the new one.
    """
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=snapshot_path.name + ".", suffix=".tmp", dir=snapshot_path.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        with connect(db_path) as con:
            run(con, "CHECKPOINT")
            shutil.copyfile(db_path, tmp)
        os.replace(tmp, snapshot_path)
    finally:
        tmp.unlink(missing_ok=True)
    return snapshot_path
