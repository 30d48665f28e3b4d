"""A SQL table is rebuilt when, and only when, what it is built from has changed."""

from __future__ import annotations

import pytest

from pipelines import warehouse
from pipelines.lib import table_builds

QUERY = """SELECT name, count(*) AS touches FROM raw.touches
           WHERE day <= getvariable('as_of') GROUP BY name"""


@pytest.fixture
def con(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.run(con, "CREATE TABLE raw.touches (name VARCHAR, day DATE)")
        warehouse.run(
            con,
            "INSERT INTO raw.touches VALUES ('Ann', '2024-01-01'), ('Ann', '2024-02-01'),"
            " ('Bo', '2024-03-01')",
        )
        warehouse.run(con, "SET VARIABLE as_of = DATE '2024-12-31'")
        yield con


def build(con, query: str = QUERY) -> bool:
    return table_builds.build_table(con, "marts.touch_counts", query, "run-1")


def counts(con) -> dict[str, int]:
    return dict(warehouse.frame(con, "SELECT * FROM marts.touch_counts").rows())


def test_a_table_whose_inputs_did_not_change_is_kept(con):
    assert build(con) is True
    assert build(con) is False
    assert counts(con) == {"Ann": 2, "Bo": 1}


def test_a_changed_value_in_an_input_rebuilds_it_even_with_the_same_row_count(con):
    build(con)
    warehouse.run(con, "UPDATE raw.touches SET name = 'Cy' WHERE name = 'Bo'")
    assert build(con) is True
    assert counts(con) == {"Ann": 2, "Cy": 1}


def test_a_deleted_input_row_rebuilds_it(con):
    build(con)
    warehouse.run(con, "DELETE FROM raw.touches WHERE day = '2024-02-01'")
    assert build(con) is True
    assert counts(con) == {"Ann": 1, "Bo": 1}


def test_a_duplicated_input_row_rebuilds_it(con):
    # a sum of row hashes, not an exclusive or: two equal rows do not cancel out
    build(con)
    warehouse.run(con, "INSERT INTO raw.touches VALUES ('Bo', '2024-03-01'), ('Bo', '2024-03-01')")
    assert build(con) is True
    assert counts(con) == {"Ann": 2, "Bo": 3}


def test_a_new_as_of_date_rebuilds_it(con):
    build(con)
    warehouse.run(con, "SET VARIABLE as_of = DATE '2024-01-15'")
    assert build(con) is True
    assert counts(con) == {"Ann": 1}


def test_changed_sql_rebuilds_it(con):
    build(con)
    assert build(con, QUERY.replace("count(*)", "count(*) * 10")) is True
    assert counts(con) == {"Ann": 20, "Bo": 10}


def test_a_table_changed_since_it_was_built_is_rebuilt(con):
    build(con)
    warehouse.run(con, "DELETE FROM marts.touch_counts WHERE name = 'Bo'")
    assert build(con) is True
    assert counts(con) == {"Ann": 2, "Bo": 1}


def test_a_dropped_table_is_rebuilt(con):
    build(con)
    warehouse.run(con, "DROP TABLE marts.touch_counts")
    assert build(con) is True
    assert counts(con) == {"Ann": 2, "Bo": 1}


def test_sql_that_reads_the_clock_is_always_rebuilt(con):
    query = "SELECT count(*) AS n, now() AS at FROM raw.touches"
    assert build(con, query) is True
    assert build(con, query) is True


def test_the_word_now_in_a_comment_or_a_string_is_not_the_clock(con):
    query = """-- who works there now
        SELECT name || ' works now' AS line FROM raw.touches"""
    assert build(con, query) is True
    assert build(con, query) is False
    assert build(con, "SELECT current_date AS d FROM raw.touches") is True
    assert build(con, "SELECT current_date AS d FROM raw.touches") is True


def test_the_record_says_what_was_built_and_in_which_run(con):
    build(con)
    rows = warehouse.frame(con, f"SELECT table_name, run_id FROM {table_builds.BUILDS}").rows()
    assert rows == [("marts.touch_counts", "run-1")]


def test_the_tables_a_query_names_are_found_in_every_schema():
    sql = """-- reads core.people too
        SELECT * FROM raw.email_messages AS m JOIN staging.Email_Recipients USING (k)
        WHERE m.x IN (SELECT x FROM user_state.forgotten_people)"""
    assert table_builds.tables_named(sql) == [
        "core.people",
        "raw.email_messages",
        "staging.email_recipients",
        "user_state.forgotten_people",
    ]


def test_a_change_in_a_column_named_like_a_short_alias_is_seen(con):
    warehouse.run(con, "CREATE TABLE raw.pairs AS SELECT 1 AS t, 1 AS n")
    query = "SELECT t, n FROM raw.pairs"
    build(con, query)
    warehouse.run(con, "UPDATE raw.pairs SET n = 2")
    assert build(con, query) is True
    assert warehouse.frame(con, "SELECT n FROM marts.touch_counts").rows() == [(2,)]
