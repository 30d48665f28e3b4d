"""Replacing a table's rows: the table ends with exactly the new rows, however it gets there."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines import warehouse
from pipelines.lib.table_builds import content_fingerprints


@pytest.fixture
def con(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        yield con


def rows(con, table: str = "core.t") -> list[tuple]:
    return sorted(warehouse.frame(con, f"SELECT * FROM {table}").rows())


def test_a_missing_table_is_created(con):
    warehouse.replace_rows(con, "core.t", "SELECT 1 AS id, 'a' AS name")
    assert rows(con) == [(1, "a")]


def test_an_existing_table_ends_with_exactly_the_new_rows(con):
    warehouse.replace_rows(
        con, "core.t", "SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) v(id, name)"
    )
    warehouse.replace_rows(
        con, "core.t", "SELECT * FROM (VALUES (1, 'a'), (3, 'C'), (4, 'd')) v(id, name)"
    )
    assert rows(con) == [(1, "a"), (3, "C"), (4, "d")]


def test_a_changed_table_is_written_in_place_leaving_unchanged_rows_alone(con):
    warehouse.replace_rows(con, "core.t", "SELECT range AS id, 'x' AS name FROM range(1000)")
    before = warehouse.scalar(con, "SELECT max(rowid) FROM core.t")
    warehouse.replace_rows(
        con,
        "core.t",
        "SELECT range AS id, CASE WHEN range = 7 THEN 'y' ELSE 'x' END AS name FROM range(1000)",
    )
    assert len(rows(con)) == 1000
    assert warehouse.scalar(con, "SELECT name FROM core.t WHERE id = 7") == "y"
    # the one changed row was inserted after the others, which stayed where they were
    assert warehouse.scalar(con, "SELECT rowid FROM core.t WHERE id = 7") > before
    assert warehouse.scalar(con, "SELECT rowid FROM core.t WHERE id = 8") == 8


def test_new_columns_replace_the_table_whole(con):
    warehouse.replace_rows(con, "core.t", "SELECT 1 AS id")
    warehouse.replace_rows(con, "core.t", "SELECT 1 AS id, 'a' AS name")
    assert warehouse.frame(con, "SELECT * FROM core.t").columns == ["id", "name"]
    assert rows(con) == [(1, "a")]


def test_repeated_rows_are_kept_as_many_times_as_the_query_gives_them(con):
    warehouse.replace_rows(con, "core.t", "SELECT * FROM (VALUES (1), (1), (2)) v(id)")
    assert rows(con) == [(1,), (1,), (2,)]
    warehouse.replace_rows(con, "core.t", "SELECT * FROM (VALUES (1), (2), (2)) v(id)")
    assert rows(con) == [(1,), (2,), (2,)]


def test_nulls_lists_and_an_emptied_table(con):
    warehouse.replace_rows(con, "core.t", "SELECT 1 AS id, NULL::VARCHAR AS name, ['a'] AS tags")
    warehouse.replace_rows(con, "core.t", "SELECT 1 AS id, 'n' AS name, ['a', 'b'] AS tags")
    assert rows(con) == [(1, "n", ["a", "b"])]
    warehouse.replace_rows(con, "core.t", "SELECT 1 AS id, 'n' AS name, ['a'] AS tags WHERE false")
    assert rows(con) == []


def test_a_frame_replaces_a_table_the_same_way(con):
    warehouse.replace_table(con, "core.t", pl.DataFrame({"id": [1, 2], "name": ["a", "b"]}))
    warehouse.replace_table(con, "core.t", pl.DataFrame({"id": [2, 3], "name": ["b", "c"]}))
    assert rows(con) == [(2, "b"), (3, "c")]


def test_a_table_whose_rows_nearly_all_changed_is_replaced_whole(con):
    warehouse.replace_rows(con, "core.t", "SELECT range AS id, 'x' AS name FROM range(100)")
    warehouse.replace_rows(con, "core.t", "SELECT range AS id, 'y' AS name FROM range(100)")
    assert warehouse.frame(con, "SELECT DISTINCT name FROM core.t").rows() == [("y",)]
    # written afresh: row numbers start again from 0, in the query's order
    assert warehouse.scalar(con, "SELECT max(rowid) FROM core.t") == 99


def test_a_column_named_like_a_short_alias_is_part_of_the_row(con):
    # `hash(t)` over a table aliased t hashes a column named t, if there is one, not the row
    warehouse.replace_rows(con, "core.t", "SELECT * FROM (VALUES (1, 1, 1), (1, 2, 2)) v(t, n, h)")
    warehouse.replace_rows(con, "core.t", "SELECT * FROM (VALUES (1, 1, 9), (1, 2, 2)) v(t, n, h)")
    assert rows(con) == [(1, 1, 9), (1, 2, 2)]


@pytest.mark.parametrize(
    "second",
    [
        "SELECT range AS id, 'x' AS name FROM range(10) WHERE range <> 3",  # in place
        "SELECT range AS id, 'y' AS name FROM range(10)",  # most rows changed: whole
        "SELECT range AS id FROM range(10)",  # other columns: whole
        "SELECT 1 AS id, 'x' AS name FROM range(2)",  # repeated rows: whole
        "SELECT 1 AS id, 'x' AS name WHERE false",  # emptied
    ],
)
def test_the_returned_fingerprint_is_that_of_the_table_it_leaves(con, second):
    # quality.table_builds records it as the built table's content: a wrong one would make the
    # next refresh rebuild a table it could keep, or keep one it must rebuild
    first = warehouse.replace_rows(con, "core.t", "SELECT range AS id, 'x' AS name FROM range(10)")
    assert first == content_fingerprints(con, ["core.t"])["core.t"]
    after = warehouse.replace_rows(con, "core.t", second)
    assert after == content_fingerprints(con, ["core.t"])["core.t"]
    assert after != first
