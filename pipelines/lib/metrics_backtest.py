"""Does the health score predict which ties stay alive? A backtest on any warehouse.

    constellation backtest-health [--db PATH] [--as-of YYYY-MM-DD] [--dates N]

For several past dates T it scores every person you had been in touch with by T, using exactly
the query of `marts.relationship_health` with the as-of date set to T (so only touches up to T
are seen). It then asks two questions about (T, T + 90 days]:

- two-way: a reply, or time together (a meeting, a call, a coffee, an event), followed;
- mutual: you wrote to them and they wrote to you (an e-mail or a message each way), which does
  not depend on how replies are detected.

For each outcome it prints the ROC AUC of the health score and of two baselines, days since the
last touch (recency only) and touches in the last 365 days (count only). The figures come per
date and pooled, with the dates on which the score beat both baselines.
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
# The outcomes to predict, each a query of the people it happened to in (T, T + 90 days]; the
# window is the condition `{window}` on core.interactions.
OUTCOMES = {
    # the two-way touch of relationship_health.sql (is_two_way)
    "two_way": """SELECT DISTINCT person_id FROM core.interactions
        WHERE (channel IN ('meeting', 'call', 'coffee', 'event') OR coalesce(is_reply, false))
          AND {window}""",
    # both of you wrote: at least one written message each way
    "mutual": """SELECT person_id FROM core.interactions
        WHERE channel IN ('email', 'linkedin_message', 'message')
          AND direction IN ('inbound', 'outbound') AND {window}
        GROUP BY person_id HAVING count(DISTINCT direction) = 2""",
}
WINDOW = """(occurred_at AT TIME ZONE 'UTC')::DATE > ?::DATE
          AND (occurred_at AT TIME ZONE 'UTC')::DATE <= ?::DATE + {days}"""
BASELINES = ("recency only", "count only")
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
    """Everyone known by `as_of` with their score then, and whether each outcome followed."""
    warehouse.run(con, "SET VARIABLE as_of = ?::DATE", [as_of])
    health = warehouse.frame(con, HEALTH_SQL.read_text()).filter(pl.col("interactions_total") > 0)
    window = WINDOW.format(days=HORIZON_DAYS)
    followed = {
        outcome: warehouse.frame(con, query.format(window=window), [as_of, as_of])["person_id"]
        for outcome, query in OUTCOMES.items()
    }
    return health.select(
        pl.lit(as_of).alias("scored_on"),
        "person_id",
        "health_score",
        "days_since_last_interaction",
        "interactions_365d",
        *(pl.col("person_id").is_in(people.implode()).alias(o) for o, people in followed.items()),
    )


def evaluate(scored: pl.DataFrame) -> pl.DataFrame:
    """Per outcome, one row per date and one pooled row ('all'): people, positives, the three
    AUCs, and whether the score beat both baselines (`score_won`; null without an AUC)."""

    def row(outcome: str, label: str, part: pl.DataFrame) -> dict:
        happened = part[outcome].to_list()
        aucs = {
            name: roc_auc(part.select(expr).to_series().to_list(), happened)
            for name, expr in PREDICTORS.items()
        }
        known = all(value is not None for value in aucs.values())
        return {
            "outcome": outcome,
            "scored_on": label,
            "people": part.height,
            "positives": int(part[outcome].sum()),
            **aucs,
            "score_won": (
                aucs["health score"] > max(aucs[name] for name in BASELINES) if known else None
            ),
        }

    days = sorted(scored["scored_on"].unique())
    rows = [
        row(outcome, label, part)
        for outcome in OUTCOMES
        for label, part in [
            *((str(day), scored.filter(pl.col("scored_on") == day)) for day in days),
            ("all", scored),
        ]
    ]
    return pl.DataFrame(rows)


def backtest(con: duckdb.DuckDBPyConnection, end: dt.date, dates: int = 8) -> pl.DataFrame:
    """The AUC table for up to `dates` past dates before `end`."""
    days = backtest_dates(con, end, dates)
    if not days:
        raise ValueError("not enough history: the backtest needs touches over at least 9 months")
    return evaluate(pl.concat([scored_at(con, day) for day in days]))


def backtest_as_of(con: duckdb.DuckDBPyConnection, as_of: dt.date, dates: int = 8) -> pl.DataFrame:
    """The AUC table of `constellation backtest-health` as of `as_of`: it ends at the as-of
    date or at the last touch, whichever comes first (a mailbox that stops early is judged on
    the dates it has)."""
    last = warehouse.scalar(
        con, "SELECT max((occurred_at AT TIME ZONE 'UTC')::DATE) FROM core.interactions"
    )
    return backtest(con, min(as_of, last) if last else as_of, dates)


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
        try:
            result = backtest_as_of(con, settings.as_of_date, dates)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(f"Backtest on {path}: score at T, outcome within {HORIZON_DAYS} days after T")
    print("  two_way: a reply or time together; mutual: you wrote to them and they to you")
    with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, float_precision=3):
        print(result)
    for line in verdicts(result):
        print(line)
    return 0


def verdicts(result: pl.DataFrame) -> list[str]:
    """Per outcome: the pooled AUCs and the dates on which the score beat both baselines."""
    lines = []
    for outcome in OUTCOMES:
        part = result.filter(pl.col("outcome") == outcome)
        pooled = part.filter(pl.col("scored_on") == "all").row(0, named=True)
        dated = part.filter(pl.col("scored_on") != "all")
        won = dated.filter(pl.col("score_won"))["scored_on"].to_list()
        judged = dated.filter(pl.col("score_won").is_not_null()).height
        aucs = ", ".join(
            f"{name} {pooled[name]:.3f}" for name in PREDICTORS if pooled[name] is not None
        )
        lines.append(f"{outcome}, all dates: {aucs or 'no outcome to judge'}")
        lines.append(
            f"  the score beat both baselines on {len(won)} of {judged} dates with outcomes"
            + (f": {', '.join(won)}" if won else "")
        )
    return lines
