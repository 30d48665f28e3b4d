"""Goal contacts and warm paths: who matches a goal or a typed company/keyword, and which of
your contacts lead there. The SQL lives in `pipelines/sql/marts/goal_contacts.sql` and
`warm_paths.sql`; both read their input from a relation the caller registers, so the pipeline
(goals from the configuration) and the dashboard (any target, on a read-only snapshot) run the
very same queries.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl

from pipelines import warehouse

SQL = Path(__file__).resolve().parent.parent / "sql" / "marts"

WARM_PATH_COLUMNS = [
    "target",
    "target_kind",
    "goal",
    "via_person_id",
    "via_name",
    "path_kind",
    "through_person_id",
    "through_name",
    "via_health_score",
    "reason",
]


def goal_contacts(con: duckdb.DuckDBPyConnection, terms: pl.DataFrame) -> pl.DataFrame:
    """The people matching (goal, term_kind, term) rows: goal, person_id, person_name,
    matched_on, title, company, health_score, tier, days_since_last_interaction."""
    terms = terms.select(
        pl.col("goal").cast(pl.String),
        pl.col("term_kind").cast(pl.String),
        pl.col("term").cast(pl.String),
    )
    with _as_relation(con, "goal_terms", terms):
        return warehouse.frame(con, (SQL / "goal_contacts.sql").read_text())


def warm_paths(con: duckdb.DuckDBPyConnection, target_people: pl.DataFrame) -> pl.DataFrame:
    """Paths to `target_people` (target, target_kind, goal, person_id, matched_on)."""
    target_people = target_people.select(
        pl.col("target").cast(pl.String),
        pl.col("target_kind").cast(pl.String),
        pl.col("goal").cast(pl.String),
        pl.col("person_id").cast(pl.String),
        pl.col("matched_on").cast(pl.String),
    )
    with _as_relation(con, "target_people", target_people):
        return warehouse.frame(con, (SQL / "warm_paths.sql").read_text())


def warm_paths_for(con: duckdb.DuckDBPyConnection, target: str) -> pl.DataFrame:
    """Warm paths to any company or keyword the user types (case-insensitive, part of a word is
    enough: "halcyon", "product manager"). target_kind is 'company' when the text is part of a
    current employer's name, else 'keyword' (matched against job titles and employers). Works on
    a read-only connection to the snapshot; same columns as marts.warm_paths."""
    target = target.strip()
    if not target:
        return pl.DataFrame(schema=_empty_schema(con))
    is_company = warehouse.scalar(
        con,
        "SELECT count(*) FROM marts.person_jobs WHERE is_current AND contains(lower(company), ?)",
        [target.lower()],
    )
    kind = "company" if is_company else "keyword"
    terms = pl.DataFrame({"goal": [target], "term_kind": [kind], "term": [target]})
    people = goal_contacts(con, terms).select(
        pl.lit(target).alias("target"),
        pl.lit(kind).alias("target_kind"),
        pl.lit(None, pl.String).alias("goal"),
        "person_id",
        "matched_on",
    )
    return warm_paths(con, people).select(WARM_PATH_COLUMNS)


def _empty_schema(con: duckdb.DuckDBPyConnection) -> pl.Schema:
    return warm_paths(
        con,
        pl.DataFrame(
            schema={
                n: pl.String for n in ("target", "target_kind", "goal", "person_id", "matched_on")
            }
        ),
    ).schema


@contextlib.contextmanager
def _as_relation(con: duckdb.DuckDBPyConnection, name: str, rows: pl.DataFrame) -> Iterator[None]:
    """Make a frame visible to a SQL file under the name the file reads (`goal_terms`,
    `target_people`) for the length of the block."""
    con.register(name, rows)
    try:
        yield
    finally:
        con.unregister(name)
