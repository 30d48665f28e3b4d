"""The one module the dashboard reads data through.

Everything comes from the published snapshot (`Settings.snapshot_path`), never from the warehouse
the pipeline writes: a refresh replaces the snapshot in one rename, so pages keep answering while
it runs. Each query opens a short-lived read-only connection (see `sql_sandbox.connect`) and its
result is cached with `st.cache_data` keyed on the snapshot path and its modification time, so a
new snapshot is picked up on the next rerun and nothing holds the file open in between.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import sql_sandbox
from pipelines import warehouse
from pipelines.settings import Settings, load_settings

PUBLIC_SCHEMAS = warehouse.SCHEMAS
FILE_LOADS = "quality.file_loads"
QUARANTINE = "quality.quarantine"
INBOX_FILES = "quality.inbox_files"
CONNECTIONS = "raw.linkedin_connections"
PEOPLE = "core.people"
# One person per name across exports (older exports have no profile URL); the people model
# (core) will replace this once it exists.
PERSON_KEY = "coalesce(nullif(lower(trim(full_name)), ''), profile_url, email)"


@dataclass(frozen=True)
class Snapshot:
    """The snapshot a page reads: its path and the modification time that keys every cache."""

    path: Path
    mtime_ns: int

    @property
    def published_at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.mtime_ns / 1e9, tz=dt.UTC)


@dataclass(frozen=True)
class Headline:
    connections: int
    messages: int
    files_loaded: int
    rows_quarantined: int


def settings() -> Settings:
    """The settings the CLI exported (`CONSTELLATION_*`), resolved like everywhere else."""
    return load_settings()


def current_snapshot() -> Snapshot | None:
    """The published snapshot, or None when no refresh has published one yet."""
    path = settings().snapshot_path
    try:
        return Snapshot(path, path.stat().st_mtime_ns)
    except FileNotFoundError:
        return None


def query(snapshot: Snapshot, sql: str, params: Sequence[object] = ()) -> pl.DataFrame:
    """A query's result as a polars frame, cached until the snapshot changes."""
    return _cached_frame(str(snapshot.path), snapshot.mtime_ns, sql, tuple(params))


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_frame(path: str, mtime_ns: int, sql: str, params: tuple) -> pl.DataFrame:
    del mtime_ns  # part of the cache key only: a new snapshot means new results
    with sql_sandbox.connect(path) as con:
        return warehouse.frame(con, sql, params)


def tables(snapshot: Snapshot) -> pl.DataFrame:
    """Every public table and view with its schema, name, kind and exact row count."""
    listing = query(
        snapshot,
        """SELECT table_schema AS schema, table_name AS "table",
                  CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END AS type
           FROM information_schema.tables
           WHERE table_schema IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY 1, 2""",
        [list(PUBLIC_SCHEMAS)],
    )
    if listing.height == 0:
        return listing.with_columns(rows=pl.lit(None, pl.Int64))
    # Identifiers come from DuckDB's own catalog, quoted; no user text reaches this SQL.
    counts = " UNION ALL ".join(
        f"SELECT {i} AS i, count(*) AS rows FROM {_quoted(s)}.{_quoted(t)}"
        for i, (s, t) in enumerate(listing.select("schema", "table").iter_rows())
    )
    rows = query(snapshot, f"SELECT * FROM ({counts}) ORDER BY i")["rows"]
    return listing.with_columns(rows=rows.cast(pl.Int64))


def columns(snapshot: Snapshot) -> pl.DataFrame:
    """Every column of every public table: schema, table, column, type, position."""
    return query(
        snapshot,
        """SELECT table_schema AS schema, table_name AS "table", column_name AS "column",
                  data_type AS type, ordinal_position AS position
           FROM information_schema.columns
           WHERE table_schema IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY 1, 2, 5""",
        [list(PUBLIC_SCHEMAS)],
    )


def has_table(snapshot: Snapshot, qualified_name: str) -> bool:
    listing = tables(snapshot)
    schema, name = qualified_name.split(".")
    return listing.filter((pl.col("schema") == schema) & (pl.col("table") == name)).height > 0


def headline(snapshot: Snapshot) -> Headline:
    """The counts the overview shows until the relationship metrics exist."""
    listing = tables(snapshot)
    loaded = file_loads(snapshot).filter(pl.col("status").is_in(["loaded", "unchanged"]))
    return Headline(
        connections=_connections(snapshot),
        messages=_messages(listing),
        files_loaded=loaded["path"].n_unique(),
        rows_quarantined=_rows(listing, QUARANTINE),
    )


def _connections(snapshot: Snapshot) -> int:
    """People you are connected with: from the people model when it is built, else counted by
    name across the raw exports (the same person is in every export)."""
    if has_table(snapshot, PEOPLE):
        sql = f"""SELECT count(*) FROM {PEOPLE}
                  WHERE list_contains(sources, 'linkedin_connections') AND NOT is_owner"""
    elif has_table(snapshot, CONNECTIONS):
        sql = f"SELECT count(DISTINCT {PERSON_KEY}) FROM {CONNECTIONS}"
    else:
        return 0
    return int(query(snapshot, sql).item() or 0)


def _messages(listing: pl.DataFrame) -> int:
    """Messages of every source (LinkedIn, mail, ...): each `*_messages` table counted once, from
    staging (deduplicated across exports) where it exists, else from raw."""
    tables_of_messages = listing.filter(
        pl.col("schema").is_in(["raw", "staging"]) & pl.col("table").str.ends_with("_messages")
    )
    best = tables_of_messages.sort("schema", descending=True).unique("table", keep="first")
    return int(best["rows"].sum() or 0)


def _rows(listing: pl.DataFrame, qualified_name: str) -> int:
    schema, name = qualified_name.split(".")
    found = listing.filter((pl.col("schema") == schema) & (pl.col("table") == name))["rows"]
    return int(found.item()) if found.len() else 0


def connections_per_year(snapshot: Snapshot) -> pl.DataFrame:
    """How many of today's connections were made in each year (year, connections)."""
    if not has_table(snapshot, CONNECTIONS):
        return pl.DataFrame(schema={"year": pl.Int64, "connections": pl.Int64})
    return query(
        snapshot,
        f"""SELECT year(connected_on)::BIGINT AS year,
                   count(DISTINCT {PERSON_KEY}) AS connections
            FROM {CONNECTIONS} WHERE connected_on IS NOT NULL
            GROUP BY ALL ORDER BY year""",
    )


def file_loads(snapshot: Snapshot) -> pl.DataFrame:
    """The latest load of every file into every table (skipped files are in `skipped_files`)."""
    if not has_table(snapshot, FILE_LOADS):
        return pl.DataFrame(
            schema={
                "path": pl.String,
                "kind": pl.String,
                "status": pl.String,
                "rows_read": pl.Int64,
                "rows_loaded": pl.Int64,
                "rows_quarantined": pl.Int64,
                "variant": pl.String,
                "snapshot_date": pl.Date,
                "loaded_at": pl.Datetime("us", "UTC"),
                "message": pl.String,
            }
        )
    return query(
        snapshot,
        f"""SELECT path, kind, status, rows_read, rows_loaded, rows_quarantined, variant,
                   snapshot_date, loaded_at, message
            FROM {FILE_LOADS}
            WHERE status <> 'skipped'
            QUALIFY row_number() OVER (PARTITION BY path, target_table ORDER BY loaded_at DESC) = 1
            ORDER BY status = 'failed' DESC, kind, path""",
    )


def quarantine(snapshot: Snapshot) -> pl.DataFrame:
    """Every quarantined row: file, kind, line, reason and the raw text."""
    if not has_table(snapshot, QUARANTINE):
        return pl.DataFrame(
            schema={
                "path": pl.String,
                "kind": pl.String,
                "record_number": pl.Int64,
                "line_number": pl.Int64,
                "reason": pl.String,
                "raw_text": pl.String,
            }
        )
    return query(
        snapshot,
        f"""SELECT path, kind, record_number, line_number, reason, raw_text
            FROM {QUARANTINE} ORDER BY path, record_number""",
    )


def skipped_files(snapshot: Snapshot) -> pl.DataFrame:
    """Files in the inbox that Constellation does not read, with the reason."""
    if not has_table(snapshot, INBOX_FILES):
        return pl.DataFrame(schema={"path": pl.String, "size_bytes": pl.Int64, "reason": pl.String})
    return query(
        snapshot,
        f"""SELECT path, size_bytes, note AS reason FROM {INBOX_FILES}
            WHERE kind IS NULL ORDER BY path""",
    )


def freshness(snapshot: Snapshot) -> pl.DataFrame:
    """Per kind of input: the newest export date loaded and when that kind was last loaded."""
    loads = file_loads(snapshot).filter(pl.col("status").is_in(["loaded", "unchanged"]))
    return (
        loads.group_by("kind")
        .agg(
            newest_snapshot_date=pl.col("snapshot_date").max(),
            files=pl.col("path").n_unique(),
            last_loaded_at=pl.col("loaded_at").max(),
        )
        .sort("kind")
    )


def last_run_at(snapshot: Snapshot) -> dt.datetime | None:
    """When the last refresh recorded anything in the load ledger."""
    if not has_table(snapshot, FILE_LOADS):
        return None
    return query(snapshot, f"SELECT max(loaded_at) AS at FROM {FILE_LOADS}").item()


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
