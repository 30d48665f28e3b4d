"""A table built by SQL is rebuilt only when what it is built from has changed.

When a staging or mart table is built from its SQL, `quality.table_builds` keeps two
fingerprints of that build:

- its **inputs**: the SQL text, the value of every variable the SQL reads
  (`getvariable('as_of')`, …) and the content of every table it names (row count and a sum of
  row hashes);
- its **output**: the same content fingerprint of the table it made.

The next refresh computes the inputs' fingerprint first. When it is the one recorded, and the
table still holds what was built (its output fingerprint has not moved either), the table is
kept as it is: the same SQL over the same rows would give the same rows. A new day of mail then
does not rebuild the LinkedIn tables, nor a new LinkedIn export the mail tables, and a sensor's
run for one file rewrites only the tables that file reaches.

It is conservative: a table named only in a comment counts as an input, and SQL that reads the
clock or a random number (`now()`, `random()`, …) is always rebuilt.

A table of periods whose row for a period reads only the days up to the period's end
(`marts.weekly_trends`) does better: `build_table_from_day` keeps a digest of its inputs per
day (`quality.table_build_days`) and computes again only the periods that end on or after the
first day whose digest moved, or the earlier as-of date when that moved. A day of mail then
recomputes the last week, not ten years of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import duckdb

from pipelines import warehouse
from pipelines.warehouse import ROW

BUILDS = "quality.table_builds"

_TABLE_RE = re.compile(r"\b(" + "|".join(warehouse.SCHEMAS) + r")\.([a-z_][a-z0-9_]*)\b", re.I)
_VARIABLE_RE = re.compile(r"getvariable\(\s*'([a-z_][a-z0-9_]*)'\s*\)", re.I)
# Functions whose value changes from one run to the next although no input did.
_UNREPEATABLE_RE = re.compile(
    r"\b(?:(?:now|today|random|uuid|gen_random_uuid|setseed|get_current_time"
    r"|get_current_timestamp)\s*\(|(?:current_date|current_time|current_timestamp"
    r"|localtime|localtimestamp)\b)",
    re.I,
)


def tables_named(sql: str) -> list[str]:
    """Every `schema.table` the SQL names, in the warehouse's schemas, sorted, lower case."""
    return sorted({f"{s}.{t}".lower() for s, t in _TABLE_RE.findall(sql)})


def variables_read(sql: str) -> list[str]:
    return sorted({name.lower() for name in _VARIABLE_RE.findall(sql)})


def content_fingerprints(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, str]:
    """Row count and the sum of row hashes of each table: equal when the rows are equal,
    whatever their order."""
    if not tables:
        return {}
    union = " UNION ALL ".join(
        f"SELECT '{table}' AS name, count(*) AS n, sum(hash({ROW})::HUGEINT) AS h "
        f"FROM {table} AS {ROW}"
        for table in tables
    )
    rows = warehouse.frame(con, union).rows()
    return {name: warehouse.content_fingerprint(n, h) for name, n, h in rows}


def _existing(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        f"{schema}.{name}".lower()
        for schema, name in warehouse.frame(
            con, "SELECT schema_name, table_name FROM duckdb_tables()"
        ).rows()
    }


def _add_variables(con: duckdb.DuckDBPyConnection, digest, names: list[str]) -> None:
    """Add the current value of each SQL variable in `names` to `digest`."""
    for name in names:
        value = warehouse.scalar(con, f"SELECT getvariable('{name}')::VARCHAR")
        digest.update(f"\0variable {name}={value!r}".encode())


def inputs_fingerprint(con: duckdb.DuckDBPyConnection, sql: str) -> str | None:
    """The fingerprint of what `sql` reads now; None when it reads something unrepeatable."""
    if _UNREPEATABLE_RE.search(sql):
        return None
    existing = _existing(con)
    tables = [t for t in tables_named(sql) if t in existing]
    digest = hashlib.sha256(sql.encode())
    _add_variables(con, digest, variables_read(sql))
    for table, fingerprint in content_fingerprints(con, tables).items():
        digest.update(f"\0table {table}={fingerprint}".encode())
    return digest.hexdigest()


def ensure_builds_table(con: duckdb.DuckDBPyConnection) -> None:
    warehouse.run(
        con,
        f"""CREATE TABLE IF NOT EXISTS {BUILDS} (
            table_name VARCHAR PRIMARY KEY,
            inputs_fingerprint VARCHAR NOT NULL,
            output_fingerprint VARCHAR NOT NULL,
            run_id VARCHAR,
            built_at TIMESTAMP NOT NULL
        )""",
    )


def _unchanged(con: duckdb.DuckDBPyConnection, table: str, inputs: str) -> bool:
    recorded = warehouse.frame(
        con,
        f"SELECT inputs_fingerprint, output_fingerprint FROM {BUILDS} WHERE table_name = ?",
        [table],
    ).rows()
    if not recorded or recorded[0][0] != inputs or table not in _existing(con):
        return False
    return content_fingerprints(con, [table])[table] == recorded[0][1]


def build_table(con: duckdb.DuckDBPyConnection, table: str, query: str, run_id: str | None) -> bool:
    """`CREATE OR REPLACE TABLE table AS query`, unless the table already holds what that would
    give (see the module's docstring). True when it was built, False when it was kept."""
    table = table.lower()
    ensure_builds_table(con)
    inputs = inputs_fingerprint(con, query)
    if inputs is not None and _unchanged(con, table, inputs):
        return False
    output = warehouse.replace_rows(con, table, query)
    warehouse.run(
        con,
        f"INSERT OR REPLACE INTO {BUILDS} VALUES (?, ?, ?, ?, now()::TIMESTAMP)",
        [table, inputs or "unrepeatable", output, run_id],
    )
    return True


# A table of periods (`marts.weekly_trends`: one row per week) whose row for a period depends
# only on its inputs' rows of the days up to the period's end, and on the as-of date for the
# period that holds it. Such a table is rebuilt from the first day whose input rows changed: the
# rows of the periods that end before that day are kept, the others computed again.
BUILD_DAYS = "quality.table_build_days"
# The variable the SQL of such a table reads to compute only the periods that end on or after
# it (NULL: every period).
REBUILD_FROM = "rebuild_from"


def _ensure_build_days_table(con: duckdb.DuckDBPyConnection) -> None:
    warehouse.run(
        con,
        f"""CREATE TABLE IF NOT EXISTS {BUILD_DAYS} (
            table_name VARCHAR NOT NULL,
            sql_fingerprint VARCHAR NOT NULL,
            as_of DATE,
            input VARCHAR NOT NULL,
            day DATE,
            rows BIGINT NOT NULL,
            hash_sum HUGEINT
        )""",
    )


def _sql_fingerprint(con: duckdb.DuckDBPyConnection, query: str, day_inputs: str) -> str:
    """The SQL texts and the value of every variable they read but the as-of date and the
    variable that says where to start."""
    digest = hashlib.sha256(f"{query}\0{day_inputs}".encode())
    names = variables_read(query + day_inputs)
    _add_variables(con, digest, [n for n in names if n not in ("as_of", REBUILD_FROM)])
    return digest.hexdigest()


def _first_changed_day(con: duckdb.DuckDBPyConnection, table: str, fingerprint: str):
    """The first day to compute again, compared with the last build of `table` (whose day
    digests are in the temporary table `_days_now`): the first day whose input rows differ,
    and the earlier of the two as-of dates when it moved. `date.min` when everything must be
    computed again (no such build, other SQL, a row without a day changed, the table changed
    since); None when nothing did."""
    recorded = warehouse.frame(
        con,
        f"SELECT DISTINCT sql_fingerprint, as_of FROM {BUILD_DAYS} WHERE table_name = ?",
        [table],
    ).rows()
    builds = warehouse.frame(
        con, f"SELECT output_fingerprint FROM {BUILDS} WHERE table_name = ?", [table]
    ).rows()
    if (
        len(recorded) != 1
        or recorded[0][0] != fingerprint
        or not builds
        or table not in _existing(con)
        or content_fingerprints(con, [table])[table] != builds[0][0]
    ):
        return dt.date.min
    changed = warehouse.frame(
        con,
        f"""SELECT count(*) FILTER (WHERE day IS NULL) AS undated, min(day) AS first_day
            FROM (SELECT input, day, rows, hash_sum FROM _days_now
                  EXCEPT ALL
                  SELECT input, day, rows, hash_sum FROM {BUILD_DAYS} WHERE table_name = ?
                  UNION ALL
                  (SELECT input, day, rows, hash_sum FROM {BUILD_DAYS} WHERE table_name = ?
                   EXCEPT ALL
                   SELECT input, day, rows, hash_sum FROM _days_now))""",
        [table, table],
    ).row(0)
    undated, first_day = changed
    if undated:
        return dt.date.min
    as_of = warehouse.scalar(con, "SELECT getvariable('as_of')::DATE")
    candidates = [d for d in (first_day,) if d is not None]
    if recorded[0][1] != as_of:
        candidates += [d for d in (recorded[0][1], as_of) if d is not None]
    if not candidates:
        return None
    # a change after the as-of date (a meeting planned for next week) is in no week yet, but
    # its digest is recorded: the last week is computed again, and the record follows
    return min(*candidates, as_of)


def build_table_from_day(
    con: duckdb.DuckDBPyConnection,
    table: str,
    query: str,
    run_id: str | None,
    *,
    day_inputs: str,
    period_end: str,
) -> dt.date | None:
    """Build a table of periods (see `BUILD_DAYS` above) from the first day its inputs changed.

    `day_inputs` is a query giving `input, day, rows, hash_sum`: per input and day, the number
    and the sum of the hashes of the rows of that day that `query` reads. `query` computes the
    periods whose `period_end` column is on or after `getvariable('rebuild_from')` (all of
    them when it is NULL). Returns None when the table was kept, else the first day computed
    again (`date.min`: all of them)."""
    table = table.lower()
    ensure_builds_table(con)
    _ensure_build_days_table(con)
    fingerprint = _sql_fingerprint(con, query, day_inputs)
    warehouse.run(con, f"CREATE OR REPLACE TEMP TABLE _days_now AS {day_inputs}")
    try:
        start = _first_changed_day(con, table, fingerprint)
        if start is None:
            return None
        warehouse.run(
            con,
            f"SET VARIABLE {REBUILD_FROM} = ?::DATE",
            [None if start == dt.date.min else start],
        )
        next_rows = query
        if start != dt.date.min:  # the periods before it as they are, then the others
            next_rows = (
                f"SELECT * FROM {table} WHERE {period_end} < getvariable('{REBUILD_FROM}') "
                f"UNION ALL ({query})"
            )
        # In this order: until the last statement, the recorded output is not the table's, and
        # the next build computes everything again.
        output = warehouse.replace_rows(con, table, next_rows)
        with warehouse.transaction(con):
            warehouse.run(con, f"DELETE FROM {BUILD_DAYS} WHERE table_name = ?", [table])
            warehouse.run(
                con,
                f"""INSERT INTO {BUILD_DAYS}
                    SELECT ?, ?, getvariable('as_of')::DATE, input, day, rows, hash_sum
                    FROM _days_now""",
                [table, fingerprint],
            )
        warehouse.run(
            con,
            f"INSERT OR REPLACE INTO {BUILDS} VALUES (?, ?, ?, ?, now()::TIMESTAMP)",
            [table, fingerprint, output, run_id],
        )
        return start
    finally:
        warehouse.run(con, f"RESET VARIABLE {REBUILD_FROM}")
        warehouse.run(con, "DROP TABLE IF EXISTS _days_now")
