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
"""

from __future__ import annotations

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


def inputs_fingerprint(con: duckdb.DuckDBPyConnection, sql: str) -> str | None:
    """The fingerprint of what `sql` reads now; None when it reads something unrepeatable."""
    if _UNREPEATABLE_RE.search(sql):
        return None
    existing = _existing(con)
    tables = [t for t in tables_named(sql) if t in existing]
    digest = hashlib.sha256(sql.encode())
    for name in variables_read(sql):
        value = warehouse.scalar(con, f"SELECT getvariable('{name}')::VARCHAR")
        digest.update(f"\0variable {name}={value!r}".encode())
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
