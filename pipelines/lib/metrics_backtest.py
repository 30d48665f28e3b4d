"""Does the health score predict which ties stay alive? A backtest on any warehouse.

    constellation backtest-health [--db PATH] [--as-of YYYY-MM-DD] [--dates N]

For several past dates T it scores every person you had been in touch with by T, using exactly
the query of `marts.relationship_health` with the as-of date set to T (so only touches up to T
are seen), then asks whether a two-way interaction (a reply, or time together: a meeting, a
call, a coffee, an event) followed in (T, T + 90 days]. It prints the ROC AUC of the health score and of two
baselines — days since the last touch (recency only) and touches in the last 365 days (count
only) — pooled over the dates and per date.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import duckdb
import polars as pl

from pipelines import warehouse
from pipelines.lib.metrics import roc_auc
from pipelines.settings import Settings

HEALTH_SQL = Path(__file__).resolve().parent.parent / "sql" / "marts" / "relationship_health.sql"
HORIZON_DAYS = 90
# The two-way touch of relationship_health.sql (is_two_way), as the outcome to predict.
TWO_WAY = "(channel IN ('meeting', 'call', 'coffee', 'event') OR coalesce(is_reply, false))"
PREDICTORS = {
    "health score": pl.col("health_score"),
    "recency only": -pl.col("days_since_last_interaction"),
    "count only": pl.col("interactions_365d"),
}


def backtest_dates(con: duckdb.DuckDBPyConnection, end: dt.date, count: int) -> list[dt.date]:
    """Up to `count` dates 90 days apart, the last one 90 days before `end` (so its outcome
    window is complete), none in the first half year of the data (too little history)."""
    first = warehouse.scalar(
        con, "SELECT min((occurred_at AT TIME ZONE 'UTC')::DATE) FROM core.interactions"
    )
    if first is None:
        return []
    dates = [end - dt.timedelta(days=HORIZON_DAYS * k) for k in range(1, count + 1)]
    return sorted(d for d in dates if d >= first + dt.timedelta(days=180))


def scored_at(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pl.DataFrame:
    """Everyone known by `as_of` with their score then, and whether a two-way touch followed."""
    warehouse.run(con, "SET VARIABLE as_of = ?::DATE", [as_of])
    health = warehouse.frame(con, HEALTH_SQL.read_text()).filter(pl.col("interactions_total") > 0)
    followed = warehouse.frame(
        con,
        f"""SELECT DISTINCT person_id FROM core.interactions
            WHERE {TWO_WAY}
              AND (occurred_at AT TIME ZONE 'UTC')::DATE > ?::DATE
              AND (occurred_at AT TIME ZONE 'UTC')::DATE <= ?::DATE + {HORIZON_DAYS}""",
        [as_of, as_of],
    )["person_id"]
    return health.select(
        pl.lit(as_of).alias("scored_on"),
        "person_id",
        "health_score",
        "days_since_last_interaction",
        "interactions_365d",
        pl.col("person_id").is_in(followed.implode()).alias("two_way_next_90d"),
    )


def evaluate(scored: pl.DataFrame) -> pl.DataFrame:
    """One row per date and one pooled row ('all'): people, positives and the three AUCs."""

    def row(label: str, part: pl.DataFrame) -> dict:
        outcome = part["two_way_next_90d"].to_list()
        return {
            "scored_on": label,
            "people": part.height,
            "two_way_next_90d": int(part["two_way_next_90d"].sum()),
            **{
                name: roc_auc(part.select(expr).to_series().to_list(), outcome)
                for name, expr in PREDICTORS.items()
            },
        }

    rows = [
        row(str(day), scored.filter(pl.col("scored_on") == day))
        for day in sorted(scored["scored_on"].unique())
    ]
    return pl.DataFrame([*rows, row("all", scored)])


def backtest(con: duckdb.DuckDBPyConnection, end: dt.date, dates: int = 8) -> pl.DataFrame:
    """The AUC table for up to `dates` past dates before `end`."""
    days = backtest_dates(con, end, dates)
    if not days:
        raise ValueError("not enough history: the backtest needs touches over at least 9 months")
    return evaluate(pl.concat([scored_at(con, day) for day in days]))


def report(settings: Settings, dates: int = 8) -> int:
    """Print the backtest of the warehouse in `settings`; the exit code of the command."""
    # Read the published snapshot when there is one: it never waits for a running refresh.
    path = settings.snapshot_path if settings.snapshot_path.exists() else settings.db_path
    if not path.exists():
        print(f"error: no warehouse at {path}: run `constellation refresh` first", file=sys.stderr)
        return 2
    with warehouse.connect(path, read_only=True) as con:
        if not warehouse.table_exists(con, "core.interactions"):
            print(f"error: {path} has no core.interactions yet", file=sys.stderr)
            return 2
        end = min(
            settings.as_of_date,
            warehouse.scalar(
                con, "SELECT max((occurred_at AT TIME ZONE 'UTC')::DATE) FROM core.interactions"
            ),
        )
        try:
            result = backtest(con, end, dates)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(f"Backtest on {path}: score at T, two-way touch within {HORIZON_DAYS} days after T")
    with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, float_precision=3):
        print(result)
    pooled = result.row(-1, named=True)
    print(
        "ROC AUC (all dates): "
        + ", ".join(f"{name} {pooled[name]:.3f}" for name in PREDICTORS if pooled[name] is not None)
    )
    return 0
