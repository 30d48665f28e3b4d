"""The SQL page's sandbox: one read-only query on the snapshot, and nothing outside it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard import sql_sandbox
from dashboard.sql_sandbox import MEMORY_LIMIT, THREADS, RefusedQuery, run_query


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.snapshot.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.people AS SELECT range AS id, 'p' || range AS name FROM range(5)")
    con.close()
    return path


@pytest.fixture
def secret_csv(tmp_path: Path) -> Path:
    """A readable file next to the snapshot: a query must not get at it."""
    path = tmp_path / "secret.csv"
    path.write_text("password\nhunter2\n")
    return path


def test_select_returns_rows(snapshot: Path) -> None:
    result = run_query(snapshot, "SELECT name FROM raw.people WHERE id >= 3 ORDER BY id")
    assert result.rows["name"].to_list() == ["p3", "p4"]
    assert not result.truncated


@pytest.mark.parametrize(
    "sql",
    [
        "WITH x AS (SELECT count(*) AS n FROM raw.people) SELECT n FROM x",
        "DESCRIBE raw.people",
        "SHOW ALL TABLES",
        "FROM raw.people",
        "SELECT 1;  -- one statement; a trailing semicolon and comment",
        "SELECT 1 -- a comment at the end",
        'SELECT 1 AS "a;b" ; ',
    ],
)
def test_other_read_only_forms_run(snapshot: Path, sql: str) -> None:
    assert run_query(snapshot, sql).rows.height >= 1


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("INSERT INTO raw.people VALUES (9, 'x')", "INSERT"),
        ("UPDATE raw.people SET name = 'x'", "UPDATE"),
        ("DELETE FROM raw.people", "DELETE"),
        ("DROP TABLE raw.people", "DROP"),
        ("CREATE TEMP TABLE t AS SELECT 1", "CREATE"),
        ("COPY raw.people TO '{out}'", "COPY"),
        ("ATTACH '{other}' AS other", "ATTACH"),
        ("INSTALL httpfs", "LOAD"),
        ("LOAD httpfs", "LOAD"),
        ("PRAGMA enable_external_access", "PRAGMA"),
        ("SET enable_external_access = true", "SET"),
        ("CALL pragma_version()", "CALL"),
        ("SELECT 1; SELECT 2", "one statement at a time"),
        ("SELECT 1; DROP TABLE raw.people", "one statement at a time"),
        ("", "Type a query"),
        ("SELEC 1", "could not parse"),
    ],
)
def test_statements_other_than_one_query_are_refused(
    snapshot: Path, tmp_path: Path, sql: str, says: str
) -> None:
    out, other = tmp_path / "out.csv", tmp_path / "other.duckdb"
    with pytest.raises(RefusedQuery, match=says):
        run_query(snapshot, sql.format(out=out, other=other))
    assert not out.exists() and not other.exists()
    assert run_query(snapshot, "SELECT count(*) AS n FROM raw.people").rows["n"].item() == 5


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_csv('{secret}')",
        "SELECT * FROM read_csv_auto('{secret}')",
        "SELECT * FROM '{secret}'",
        "SELECT * FROM read_text('{secret}')",
        "SELECT * FROM read_blob('{secret}')",
        "SELECT * FROM read_parquet('{secret}')",
        "SELECT * FROM read_json('{secret}')",
        "SELECT * FROM glob('{folder}/*')",
        "SELECT * FROM sniff_csv('{secret}')",
        "SELECT * FROM read_csv('https://example.com/data.csv')",
    ],
)
def test_file_access_is_refused(snapshot: Path, secret_csv: Path, sql: str) -> None:
    with pytest.raises(RefusedQuery) as refused:
        run_query(snapshot, sql.format(secret=secret_csv, folder=secret_csv.parent))
    assert "hunter2" not in str(refused.value)


def test_duckdb_itself_enforces_the_sandbox(snapshot: Path, secret_csv: Path) -> None:
    """Even a statement that got past the statement check could not read files or loosen the
    configuration: the connection forbids it."""
    with sql_sandbox.connect(snapshot) as con:
        with pytest.raises(duckdb.PermissionException):
            con.sql(f"SELECT * FROM read_csv('{secret_csv}')").fetchall()
        with pytest.raises(duckdb.Error, match="locked"):
            con.execute("SET enable_external_access = true")
        with pytest.raises(duckdb.Error):
            con.execute("CREATE TABLE raw.sneaky AS SELECT 1")


def test_results_are_capped(snapshot: Path) -> None:
    result = run_query(snapshot, "SELECT * FROM range(50)", max_rows=10)
    assert result.rows.height == 10
    assert result.truncated


def test_a_runaway_query_is_stopped(snapshot: Path) -> None:
    with pytest.raises(RefusedQuery, match="was stopped"):
        run_query(
            snapshot,
            "SELECT sum(a.range * b.range % 7) FROM range(100000000) a, range(1000) b",
            timeout_seconds=0.3,
        )


def test_unknown_table_gets_duckdbs_explanation(snapshot: Path) -> None:
    with pytest.raises(RefusedQuery, match="does not exist"):
        run_query(snapshot, "SELECT * FROM raw.nobody")


def test_a_query_that_needs_too_much_memory_is_stopped_with_advice(snapshot: Path) -> None:
    # ~3 GB of strings gathered into one list: far over the sandbox's limit, and fast to fail.
    with pytest.raises(RefusedQuery, match=f"more than {MEMORY_LIMIT} of memory") as refusal:
        run_query(snapshot, "SELECT length(list(repeat('x', 1000000))) FROM range(3000)")
    assert "GROUP BY" in str(refusal.value)
    # the dashboard goes on answering
    assert run_query(snapshot, "SELECT 42 AS answer").rows["answer"].to_list() == [42]


def test_sandbox_connections_have_their_own_memory_limit_and_threads(snapshot: Path) -> None:
    limits = run_query(
        snapshot,
        "SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads",
    ).rows.row(0, named=True)
    assert limits == {"memory": "953.6 MiB", "threads": THREADS}  # 1 GB as DuckDB prints it
    with sql_sandbox.connect(snapshot) as con, pytest.raises(duckdb.Error):
        con.execute("SET memory_limit = '100GB'")  # the configuration is locked
