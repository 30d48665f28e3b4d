"""How old the newest data of each source is, and whether that is too old.

Exports are taken by hand (LinkedIn sends one when asked), so data goes stale quietly. The
freshness check warns when a source's newest data is older than `[freshness] max_age_days`
(default 45) before the as-of date. `quality.source_freshness` holds the same verdicts for the
dashboard and ad-hoc SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines import warehouse
from pipelines.settings import ConfigError

DEFAULT_MAX_AGE_DAYS = 45


@dataclass(frozen=True)
class Source:
    """A raw table and the SQL expression for the date its newest data describes."""

    table: str
    label: str  # how the user calls it: "your LinkedIn export"
    newest_sql: str  # an aggregate over the table giving a DATE; rows after as-of are ignored
    missing: str  # said when there is none yet: what to add and what it would show


SOURCES = {
    "raw.linkedin_connections": Source(
        "raw.linkedin_connections",
        "your LinkedIn export",
        # The export's date from its name; a loose Connections.csv has none, so the newest
        # connection made stands in for it.
        "coalesce(max(snapshot_date), max(connected_on) FILTER (WHERE connected_on <= ?))",
        "no LinkedIn export yet: ask LinkedIn for a copy of your data (Settings, Data privacy) "
        "and put the file it sends in the inbox, to see your connections, messages and "
        "where people work",
    ),
    "raw.email_messages": Source(
        "raw.email_messages",
        "your newest mail",
        "max(CAST(date_utc AS DATE)) FILTER (WHERE CAST(date_utc AS DATE) <= ?)",
        "no mail yet: put your mailbox in the inbox (an mbox from Google Takeout or "
        "Thunderbird, a maildir, or a folder of .eml files) to see who writes back, who is "
        "waiting for your answer and how fast each of you replies",
    ),
}


@dataclass(frozen=True)
class Freshness:
    table: str
    newest: dt.date | None
    age_days: int | None
    max_age_days: int
    message: str

    @property
    def fresh(self) -> bool:
        """True when recent enough, or when there is no data to be stale (nothing to warn)."""
        return self.age_days is None or self.age_days <= self.max_age_days


def max_age_days(section: dict) -> int:
    """`[freshness] max_age_days` from the configuration, else the default."""
    value = section.get("max_age_days", DEFAULT_MAX_AGE_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError("[freshness] max_age_days must be a whole number of days, 0 or more")
    return value


def judge(source: Source, newest: dt.date | None, as_of: dt.date, limit: int) -> Freshness:
    """The verdict for one source, with a sentence the user understands."""
    if newest is None:
        return Freshness(source.table, None, None, limit, source.missing)
    age = (as_of - newest).days
    verdict = "older than" if age > limit else "within"
    message = (
        f"{source.label} is {_days(age)} old "
        f"(newest data {newest.isoformat()}, {verdict} the {limit}-day limit)"
    )
    return Freshness(source.table, newest, age, limit, message)


def _days(age: int) -> str:
    """ "1 day", "12 days", "95 days (about 3 months)"."""
    text = f"{age} day{'s' if age != 1 else ''}"
    if age >= 60:
        text += f" (about {round(age / 30.44)} months)"
    return text


def source_freshness(
    con: duckdb.DuckDBPyConnection, source: Source, as_of: dt.date, limit: int
) -> Freshness:
    """Read the newest date of one source (a missing table counts as no data)."""
    if not warehouse.table_exists(con, source.table):
        return judge(source, None, as_of, limit)
    newest = warehouse.scalar(
        con,
        f"SELECT {source.newest_sql} FROM {source.table}",
        [as_of] * source.newest_sql.count("?"),
    )
    return judge(source, newest, as_of, limit)


def freshness_table(con: duckdb.DuckDBPyConnection, as_of: dt.date, limit: int) -> pl.DataFrame:
    """Every source's freshness: the rows of `quality.source_freshness`."""
    rows = [source_freshness(con, source, as_of, limit) for source in SOURCES.values()]
    return pl.DataFrame(
        [
            {
                "source": SOURCES[f.table].label,
                "table": f.table,
                "newest": f.newest,
                "age_days": f.age_days,
                "max_age_days": f.max_age_days,
                "fresh": f.fresh,
                "message": f.message,
            }
            for f in rows
        ],
        schema={
            "source": pl.String,
            "table": pl.String,
            "newest": pl.Date,
            "age_days": pl.Int64,
            "max_age_days": pl.Int64,
            "fresh": pl.Boolean,
            "message": pl.String,
        },
    ).with_columns(as_of=pl.lit(as_of, pl.Date))
