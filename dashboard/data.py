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
from pipelines.lib import user_state
from pipelines.lib.actions import ACTION_COLUMNS
from pipelines.lib.warm_paths import warm_paths_for
from pipelines.settings import Settings, load_settings

PUBLIC_SCHEMAS = warehouse.SCHEMAS
FILE_LOADS = "quality.file_loads"
QUARANTINE = "quality.quarantine"
REJECTED_VALUES = "quality.rejected_values"
INBOX_FILES = "quality.inbox_files"
SOURCE_FRESHNESS = "quality.source_freshness"
CONNECTIONS = "raw.linkedin_connections"
PEOPLE = "core.people"
# Before the people model is built (a warehouse with LinkedIn connections only): one person per
# name across exports (older exports have no profile URL).
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


def table_names(snapshot: Snapshot) -> pl.DataFrame:
    """Every public table and view: schema, name and kind (no row counts: cheap)."""
    return query(
        snapshot,
        """SELECT table_schema AS schema, table_name AS "table",
                  CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END AS type
           FROM information_schema.tables
           WHERE table_schema IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY 1, 2""",
        [list(PUBLIC_SCHEMAS)],
    )


def tables(snapshot: Snapshot) -> pl.DataFrame:
    """Every public table and view with its schema, name, kind and exact row count."""
    listing = table_names(snapshot)
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
    listing = table_names(snapshot)
    schema, name = qualified_name.split(".")
    return listing.filter((pl.col("schema") == schema) & (pl.col("table") == name)).height > 0


def headline(snapshot: Snapshot) -> Headline:
    """The data counts the overview shows: connections, messages, files loaded, rows set aside."""
    listing = tables(snapshot)
    loaded = file_loads(snapshot).filter(pl.col("status").is_in(["loaded", "unchanged"]))
    return Headline(
        connections=connections(snapshot),
        messages=_messages(listing),
        files_loaded=loaded["path"].n_unique(),
        rows_quarantined=_rows(listing, QUARANTINE),
    )


def connections(snapshot: Snapshot) -> int:
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


def hidden_connections(snapshot: Snapshot) -> int:
    """Connections of the newest export with neither a name nor a profile: LinkedIn hides
    members who opted out of being exported, so they cannot be told apart or counted as people."""
    if not has_table(snapshot, CONNECTIONS):
        return 0
    sql = f"""SELECT count(*) FROM {CONNECTIONS}
              WHERE profile_slug IS NULL AND full_name IS NULL AND first_name IS NULL
                AND last_name IS NULL
                AND snapshot_date IS NOT DISTINCT FROM (SELECT max(snapshot_date) FROM {CONNECTIONS})"""
    return int(query(snapshot, sql).item() or 0)


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


def rejected_values(snapshot: Snapshot) -> pl.DataFrame:
    """Every value left out of a loaded row: file, kind, record, line, column, value, reason."""
    schema = {
        "path": pl.String,
        "kind": pl.String,
        "record_number": pl.Int64,
        "line_number": pl.Int64,
        "column_name": pl.String,
        "value": pl.String,
        "reason": pl.String,
    }
    if not has_table(snapshot, REJECTED_VALUES):
        return pl.DataFrame(schema=schema)
    return query(
        snapshot,
        f"""SELECT {", ".join(schema)} FROM {REJECTED_VALUES}
            ORDER BY path, record_number, column_name""",
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


def source_freshness(snapshot: Snapshot) -> pl.DataFrame:
    """Per source: whether its newest data is recent enough, or whether there is none yet
    (`missing`), in a sentence (`message`)."""
    if not has_table(snapshot, SOURCE_FRESHNESS):
        return pl.DataFrame(
            schema={
                "source": pl.String,
                "fresh": pl.Boolean,
                "missing": pl.Boolean,
                "message": pl.String,
            }
        )
    return query(
        snapshot,
        f"""SELECT source, fresh, newest IS NULL AS missing, message FROM {SOURCE_FRESHNESS}
            ORDER BY fresh, missing, source""",
    )


def last_run_at(snapshot: Snapshot) -> dt.datetime | None:
    """When the last refresh recorded anything in the load ledger."""
    if not has_table(snapshot, FILE_LOADS):
        return None
    return query(snapshot, f"SELECT max(loaded_at) AS at FROM {FILE_LOADS}").item()


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# --- Relationship metrics (marts built by the metrics assets) --------------------------------

HEALTH = "marts.relationship_health"
RECIPROCITY = "marts.reciprocity"
FOLLOW_UPS = "marts.follow_ups"
WEEKLY = "marts.weekly_trends"
EPISODES = "marts.episodes"
INTERACTIONS = "core.interactions"
NOISE = "quality.noise"
# raw, not staging: core.person_sightings refers to address-book rows as `<source_path>#<record>`
CONTACTS = "raw.contacts"
STAGED_CONNECTIONS = "staging.linkedin_connections"
ACTIONS = "marts.recommended_actions"
INTRODUCTIONS = "marts.introductions"
WARM_PATHS = "marts.warm_paths"
GOAL_PROGRESS = "marts.goal_progress"
GOAL_CONTACTS = "marts.goal_contacts"
# The overview compares the last PERIOD_DAYS up to the as-of date with the PERIOD_DAYS before.
PERIOD_DAYS = 28
WEEK_DAYS = 7
TIERS = ["inner", "close", "active", "wider", "acquaintance", "dormant"]
STATUSES = ["on_track", "due", "overdue", "no_rhythm"]
# Labels Google Contacts puts on every contact; they say nothing about the person.
SYSTEM_LABELS = ["myContacts", "starred", "* myContacts", "* starred"]


def has_metrics(snapshot: Snapshot) -> bool:
    return (
        has_table(snapshot, HEALTH)
        and has_table(snapshot, WEEKLY)
        and has_table(snapshot, EPISODES)
    )


def as_of(snapshot: Snapshot) -> dt.date:
    """The date the metrics were computed for (the refresh's --as-of, else the day it ran)."""
    if has_table(snapshot, HEALTH):
        found = query(snapshot, f"SELECT max(as_of) FROM {HEALTH}").item()
        if found is not None:
            return found
    return settings().as_of_date


@dataclass(frozen=True)
class Change:
    """A headline figure now and in the previous period (None when it cannot be computed)."""

    now: float | None
    before: float | None

    @property
    def delta(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before


def period_figures(snapshot: Snapshot) -> dict[str, Change]:
    """Headline figures for the last PERIOD_DAYS up to the as-of date and the period before:
    ties in touch (`in_touch`), touches both ways (and how many of them were clicks: a
    connection, an invitation, an endorsement), gives, asks,
    the share of new connections and meetings followed up within two days, and the median
    hours you took to reply."""
    day = "(i.occurred_at AT TIME ZONE 'UTC')::DATE"
    row = query(
        snapshot,
        f"""WITH bounds AS (SELECT ?::DATE AS now_end, ?::DATE - ?::INTEGER AS before_end),
            touch AS (
                SELECT i.person_id, i.direction, i.kind, i.is_reply, i.reply_latency_hours,
                       i.channel IN ('connection', 'invitation', 'endorsement') AS is_click,
                       {day} AS day, b.now_end, b.before_end
                FROM {INTERACTIONS} AS i
                JOIN {PEOPLE} AS p ON p.person_id = i.person_id AND NOT p.is_owner
                CROSS JOIN bounds AS b
                WHERE {day} <= b.now_end AND {day} > b.before_end - 365 - ?::INTEGER
            )
            SELECT
              count(*) FILTER (WHERE day > before_end) AS touches_now,
              count(*) FILTER (WHERE day > before_end AND is_click) AS clicks_now,
              count(*) FILTER (WHERE day <= before_end AND day > before_end - ?::INTEGER)
                  AS touches_before,
              count(*) FILTER (WHERE day > before_end AND direction = 'outbound'
                               AND kind = 'give') AS gives_now,
              count(*) FILTER (WHERE day <= before_end AND day > before_end - ?::INTEGER
                               AND direction = 'outbound' AND kind = 'give') AS gives_before,
              count(*) FILTER (WHERE day > before_end AND direction = 'outbound'
                               AND kind = 'ask') AS asks_now,
              count(*) FILTER (WHERE day <= before_end AND day > before_end - ?::INTEGER
                               AND direction = 'outbound' AND kind = 'ask') AS asks_before,
              median(reply_latency_hours) FILTER (WHERE day > before_end
                  AND direction = 'outbound' AND is_reply) AS reply_hours_now,
              median(reply_latency_hours) FILTER (WHERE day <= before_end
                  AND day > before_end - ?::INTEGER AND direction = 'outbound' AND is_reply)
                  AS reply_hours_before
            FROM touch""",
        [as_of(snapshot), as_of(snapshot), PERIOD_DAYS, PERIOD_DAYS] + [PERIOD_DAYS] * 4,
    ).row(0, named=True)
    follow = query(
        snapshot,
        f"""SELECT
              avg(followed_up_within_2d::INTEGER) FILTER (WHERE day > ?::DATE - ?::INTEGER),
              avg(followed_up_within_2d::INTEGER) FILTER (WHERE day <= ?::DATE - ?::INTEGER)
            FROM (SELECT (occurred_at AT TIME ZONE 'UTC')::DATE AS day, followed_up_within_2d
                  FROM {FOLLOW_UPS}
                  WHERE item IN ('new_connection', 'meeting')
                    AND followed_up_within_2d IS NOT NULL)
            WHERE day > ?::DATE - 2 * ?::INTEGER AND day <= ?::DATE""",
        [as_of(snapshot), PERIOD_DAYS] * 3 + [as_of(snapshot)],
    ).row(0)
    return {
        "in_touch": Change(*in_touch(snapshot)),
        "touches": Change(row["touches_now"], row["touches_before"]),
        # of those touches, connections, invitations and endorsements: touches, not talks
        "clicks": Change(row["clicks_now"], None),
        "gives": Change(row["gives_now"], row["gives_before"]),
        "asks": Change(row["asks_now"], row["asks_before"]),
        "follow_up_rate": Change(follow[0], follow[1]),
        "reply_hours": Change(row["reply_hours_now"], row["reply_hours_before"]),
    }


def in_touch(snapshot: Snapshot) -> tuple[int, int]:
    """People you are in touch with as of the as-of date, and PERIOD_DAYS before: a conversation
    (`marts.episodes`) in the 365 days up to that day, as `relationship_health.in_touch` and
    `weekly_trends.ties_in_touch` count them. A connection, an invitation or an endorsement alone
    is a touch, not being in touch. (An episode that started by the day and ended within its
    year had contact in that year: its touches are at most 3 days apart.)"""
    row = query(
        snapshot,
        f"""SELECT count(DISTINCT person_id) FILTER (WHERE started_on <= ?::DATE
                                                     AND ended_on > ?::DATE - 365),
                   count(DISTINCT person_id) FILTER (WHERE started_on <= ?::DATE - ?::INTEGER
                                                     AND ended_on > ?::DATE - ?::INTEGER - 365)
            FROM {EPISODES}""",
        [as_of(snapshot)] * 2 + [as_of(snapshot), PERIOD_DAYS] * 2,
    ).row(0)
    return row[0], row[1]


def weekly_trends(snapshot: Snapshot, weeks: int | None) -> pl.DataFrame:
    """The last `weeks` rows of marts.weekly_trends (all of them for None), oldest first."""
    limit = "" if weeks is None else "LIMIT ?"
    return query(
        snapshot,
        f"""SELECT * FROM (SELECT week_start, week_end, ties_in_touch, full_year_of_history,
                                  new_connections,
                                  interactions_in, interactions_out, gives, asks,
                                  follow_up_2d_rate, median_reply_latency_hours,
                                  avg_health_top50
                           FROM {WEEKLY} ORDER BY week_start DESC {limit})
            ORDER BY week_start""",
        [] if weeks is None else [weeks],
    )


def tier_distribution(snapshot: Snapshot) -> pl.DataFrame:
    """People per tier (tier, people, order), every tier listed even when empty."""
    return query(
        snapshot,
        f"""SELECT t.tier, coalesce(h.people, 0) AS people, t.position
            FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(tier, position)
            LEFT JOIN (SELECT tier, count(*) AS people FROM {HEALTH} GROUP BY tier) AS h
              USING (tier)
            ORDER BY t.position""",
        [TIERS],
    )


def new_connections(snapshot: Snapshot, days: int = WEEK_DAYS) -> pl.DataFrame:
    """People you connected with in the `days` up to the as-of date."""
    return query(
        snapshot,
        f"""SELECT i.person_id, p.display_name AS name, p.company,
                   (i.occurred_at AT TIME ZONE 'UTC')::DATE AS connected_on
            FROM {INTERACTIONS} AS i JOIN {PEOPLE} AS p USING (person_id)
            WHERE i.channel = 'connection' AND NOT p.is_owner
              AND (i.occurred_at AT TIME ZONE 'UTC')::DATE BETWEEN ?::DATE - ?::INTEGER + 1
                                                               AND ?::DATE
            ORDER BY connected_on DESC, name""",
        [as_of(snapshot), days, as_of(snapshot)],
    )


def went_quiet(snapshot: Snapshot, days: int = WEEK_DAYS) -> pl.DataFrame:
    """Ties that passed their usual rhythm (the tier's ideal gap) within the last `days`."""
    return query(
        snapshot,
        f"""SELECT person_id, display_name AS name, tier,
                   coalesce(days_since_in_touch, days_since_last_interaction) AS days_quiet,
                   cadence_ideal_days
            FROM {HEALTH}
            WHERE coalesce(days_since_in_touch, days_since_last_interaction) > cadence_ideal_days
              AND coalesce(days_since_in_touch, days_since_last_interaction) - ?
                  <= cadence_ideal_days
            ORDER BY tie_strength DESC, name""",
        [days],
    )


def job_changes(snapshot: Snapshot) -> pl.DataFrame:
    """People whose company or title differs between the two newest LinkedIn exports that list
    them, as seen in the newest export (person_id, name, was, now, seen_on)."""
    if not (has_table(snapshot, STAGED_CONNECTIONS) and has_table(snapshot, PEOPLE)):
        return pl.DataFrame(
            schema={
                "person_id": pl.String,
                "name": pl.String,
                "was": pl.String,
                "now": pl.String,
                "seen_on": pl.Date,
            }
        )
    return query(
        snapshot,
        f"""WITH job AS (
                SELECT s.person_id, c.snapshot_date, nullif(trim(c.company), '') AS company,
                       nullif(trim(c.position), '') AS position,
                       row_number() OVER (PARTITION BY s.person_id
                                          ORDER BY c.snapshot_date DESC) AS back
                FROM {STAGED_CONNECTIONS} AS c
                JOIN core.person_sightings AS s
                  ON s.source = 'linkedin_connections' AND s.ref = c.connection_key
                WHERE c.snapshot_date IS NOT NULL AND c.snapshot_date <= ?::DATE
            )
            SELECT n.person_id, p.display_name AS name,
                   concat_ws(' at ', o.position, o.company) AS was,
                   concat_ws(' at ', n.position, n.company) AS now,
                   n.snapshot_date AS seen_on
            FROM job AS n
            JOIN job AS o ON o.person_id = n.person_id AND o.back = 2
            JOIN {PEOPLE} AS p ON p.person_id = n.person_id
            WHERE n.back = 1
              AND n.snapshot_date = (SELECT max(snapshot_date) FROM job)
              AND (n.company IS DISTINCT FROM o.company OR n.position IS DISTINCT FROM o.position)
            ORDER BY name""",
        [as_of(snapshot)],
    )


# --- People -----------------------------------------------------------------------------------


def _tags_sql(snapshot: Snapshot) -> tuple[str, list[object]]:
    """A subquery of person_id, tags and its parameters: the labels of your address book (system
    labels left out) plus the tags you added in the dashboard, minus the ones you removed there
    (compared case-insensitively, as the pipeline does). Your tag edits come from the people log
    itself, not from the snapshot's copy, so a change shows at once."""
    edits = tag_edits()
    params: list[object] = [
        edits["person_id"].to_list(),
        edits["tag"].to_list(),
        edits["action"].to_list(),
    ]
    if has_table(snapshot, CONTACTS):
        labels = ", ".join(f"'{label}'" for label in SYSTEM_LABELS)  # code constants only
        book = f"""SELECT DISTINCT s.person_id, trim(label) AS tag
                   FROM {CONTACTS} AS c
                   JOIN core.person_sightings AS s
                     ON s.source = 'contacts' AND s.ref = c.source_path || '#' || c.record_number
                   CROSS JOIN unnest(c.labels) AS l(label)
                   WHERE label NOT IN ({labels}) AND trim(label) <> ''"""
    else:
        book = "SELECT NULL::VARCHAR AS person_id, NULL::VARCHAR AS tag WHERE false"
    sql = f"""SELECT person_id, list(DISTINCT tag ORDER BY tag) AS tags
              FROM (
                  SELECT b.person_id, b.tag FROM ({book}) AS b
                  WHERE NOT EXISTS (
                      SELECT 1 FROM (SELECT unnest(?::VARCHAR[]) AS person_id,
                                            unnest(?::VARCHAR[]) AS tag,
                                            unnest(?::VARCHAR[]) AS action) AS e
                      WHERE e.person_id = b.person_id AND lower(e.tag) = lower(b.tag))
                  UNION ALL
                  SELECT e.person_id, e.tag
                  FROM (SELECT unnest(?::VARCHAR[]) AS person_id, unnest(?::VARCHAR[]) AS tag,
                               unnest(?::VARCHAR[]) AS action) AS e
                  WHERE e.action = 'tag'
              )
              GROUP BY person_id"""
    return sql, params + params


@dataclass(frozen=True)
class PeopleOptions:
    companies: list[str]
    tags: list[str]


def people_options(snapshot: Snapshot) -> PeopleOptions:
    """The values the people filters offer (tiers and statuses are fixed lists)."""
    companies = query(
        snapshot,
        f"""SELECT DISTINCT p.company FROM {HEALTH} AS h JOIN {PEOPLE} AS p USING (person_id)
            WHERE nullif(trim(p.company), '') IS NOT NULL ORDER BY 1""",
    )
    tagged, params = _tags_sql(snapshot)
    tags = query(
        snapshot, f"SELECT DISTINCT unnest(tags) AS tag FROM ({tagged}) ORDER BY 1", params
    )
    return PeopleOptions(companies["company"].to_list(), tags["tag"].to_list())


@dataclass(frozen=True)
class PeopleFilter:
    search: str = ""
    tiers: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def people(snapshot: Snapshot, chosen: PeopleFilter, limit: int = 500) -> tuple[pl.DataFrame, int]:
    """The people matching the filter, strongest health first, at most `limit` of them, and how
    many match in all. Filtering and sorting happen in DuckDB: only the rows shown come back.
    People you asked to forget are left out at once (the next refresh removes them for good)."""
    tagged, params = _tags_sql(snapshot)
    frame = query(
        snapshot,
        f"""WITH tagged AS ({tagged}),
            person AS (
                SELECT h.person_id, h.display_name AS name, p.company, h.tier,
                       coalesce(h.status, 'no_rhythm') AS status, h.trend, h.health_score,
                       h.days_since_last_interaction, h.interactions_365d,
                       coalesce(t.tags, []::VARCHAR[]) AS tags, p.primary_email
                FROM {HEALTH} AS h
                JOIN {PEOPLE} AS p USING (person_id)
                LEFT JOIN tagged AS t USING (person_id)
            )
            SELECT * EXCLUDE (primary_email), count(*) OVER () AS matching
            FROM person
            WHERE NOT list_contains(?::VARCHAR[], person_id)
              AND (?::VARCHAR = '' OR concat_ws(' ', name, company, primary_email)
                                        ILIKE '%' || ?::VARCHAR || '%')
              AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], tier))
              AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], status))
              AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], company))
              AND (len(?::VARCHAR[]) = 0 OR list_has_any(?::VARCHAR[], tags))
            ORDER BY health_score DESC, name, person_id
            LIMIT ?""",
        params
        + [forgotten_ids()]
        + [chosen.search.strip()] * 2
        + [list(chosen.tiers)] * 2
        + [list(chosen.statuses)] * 2
        + [list(chosen.companies)] * 2
        + [list(chosen.tags)] * 2
        + [limit],
    )
    total = int(frame["matching"][0]) if frame.height else 0
    return frame.drop("matching"), total


def person_names(snapshot: Snapshot, include: str | None = None, limit: int = 1000) -> pl.DataFrame:
    """person_id and name for the person picker: the `limit` strongest ties, plus `include`
    (the person the URL names) wherever they rank. A heavy user knows tens of thousands of
    people; sending them all to the browser on every render would cost more than the page.
    People you asked to forget are left out unless the URL names them (their page offers Undo)."""
    return query(
        snapshot,
        f"""SELECT person_id, display_name AS name FROM {HEALTH}
            WHERE NOT list_contains(?::VARCHAR[], person_id) OR person_id = ?
            QUALIFY row_number() OVER (ORDER BY health_score DESC, display_name, person_id) <= ?
                 OR person_id = ?
            ORDER BY health_score DESC, display_name, person_id""",
        [forgotten_ids(), include or "", limit, include or ""],
    )


def person(snapshot: Snapshot, person_id: str) -> dict | None:
    """Everything about one person: profile, health and its components, the give/ask ledger."""
    tagged, params = _tags_sql(snapshot)
    found = query(
        snapshot,
        f"""WITH tagged AS ({tagged})
            SELECT h.*, p.company, p.primary_email, p.linkedin_slug, p.sources, p.name_source,
                   coalesce(t.tags, []::VARCHAR[]) AS tags,
                   r.gives, r.asks, r.gives_received, r.asks_received, r.balance,
                   r.balance_received
            FROM {HEALTH} AS h
            JOIN {PEOPLE} AS p USING (person_id)
            LEFT JOIN tagged AS t USING (person_id)
            LEFT JOIN {RECIPROCITY} AS r USING (person_id)
            WHERE h.person_id = ?""",
        [*params, person_id],
    )
    return found.row(0, named=True) if found.height else None


def timeline(snapshot: Snapshot, person_id: str, limit: int = 500) -> tuple[pl.DataFrame, int]:
    """The newest `limit` touches with one person and how many there are in all."""
    frame = query(
        snapshot,
        f"""SELECT occurred_at, channel, direction, kind, subkind, is_reply,
                   reply_latency_hours, count(*) OVER () AS touches
            FROM {INTERACTIONS}
            WHERE person_id = ? AND (occurred_at AT TIME ZONE 'UTC')::DATE <= ?::DATE
            ORDER BY occurred_at DESC
            LIMIT ?""",
        [person_id, as_of(snapshot), limit],
    )
    total = int(frame["touches"][0]) if frame.height else 0
    return frame.drop("touches"), total


# --- Reciprocity ------------------------------------------------------------------------------


def reciprocity_overall(snapshot: Snapshot) -> dict | None:
    found = query(snapshot, f"SELECT * FROM {RECIPROCITY} WHERE person_id IS NULL")
    return found.row(0, named=True) if found.height else None


def reciprocity_monthly(snapshot: Snapshot, months: int = 24) -> pl.DataFrame:
    """Your gives and asks, and theirs, per month over the last `months` months."""
    return query(
        snapshot,
        f"""SELECT date_trunc('month', (occurred_at AT TIME ZONE 'UTC')::DATE)::DATE AS month,
                   count(*) FILTER (WHERE direction = 'outbound' AND kind = 'give') AS gives,
                   count(*) FILTER (WHERE direction = 'outbound' AND kind = 'ask') AS asks,
                   count(*) FILTER (WHERE direction = 'inbound' AND kind = 'give')
                       AS gives_received,
                   count(*) FILTER (WHERE direction = 'inbound' AND kind = 'ask')
                       AS asks_received
            FROM {INTERACTIONS}
            WHERE kind IN ('give', 'ask')
              AND (occurred_at AT TIME ZONE 'UTC')::DATE <= ?::DATE
              AND (occurred_at AT TIME ZONE 'UTC')::DATE
                  >= date_trunc('month', ?::DATE) - to_months(?::INTEGER - 1)
            GROUP BY ALL ORDER BY month""",
        [as_of(snapshot), as_of(snapshot), months],
    )


def reciprocity_people(snapshot: Snapshot, order: str, limit: int = 15) -> pl.DataFrame:
    """People from the ledger: 'gave_you' (who has given you most beyond what you gave back) or
    'you_gave' (whom you have helped most), or 'all' (most exchanges first)."""
    orders = {  # code constants only
        "gave_you": "gives_received - gives DESC, gives_received DESC",
        "you_gave": "gives DESC, gives - gives_received DESC",
        "all": "gives + asks + gives_received + asks_received DESC",
    }
    where = {
        "gave_you": "gives_received > gives",
        "you_gave": "gives > 0",
        "all": "gives + asks + gives_received + asks_received > 0",
    }
    return query(
        snapshot,
        f"""SELECT person_id, display_name AS name, gives, asks, gives_received, asks_received,
                   balance, balance_received
            FROM {RECIPROCITY}
            WHERE person_id IS NOT NULL AND {where[order]}
            ORDER BY {orders[order]}, name
            LIMIT ?""",
        [limit],
    )


def vague_asks(snapshot: Snapshot, limit: int = 20) -> pl.DataFrame:
    """Your most recent asks that were not both specific and time-bound."""
    return query(
        snapshot,
        f"""SELECT i.occurred_at, p.display_name AS name, i.person_id, i.channel,
                   coalesce(i.is_specific, false) AS is_specific,
                   coalesce(i.is_time_bound, false) AS is_time_bound
            FROM {INTERACTIONS} AS i JOIN {PEOPLE} AS p USING (person_id)
            WHERE i.direction = 'outbound' AND i.kind = 'ask'
              AND NOT (coalesce(i.is_specific, false) AND coalesce(i.is_time_bound, false))
              AND (i.occurred_at AT TIME ZONE 'UTC')::DATE <= ?::DATE
            ORDER BY i.occurred_at DESC
            LIMIT ?""",
        [as_of(snapshot), limit],
    )


# --- Data quality: the noise filter -----------------------------------------------------------


def noise_by_reason(snapshot: Snapshot) -> pl.DataFrame:
    """What the noise filter removed: reason, channel, rows, first and last date."""
    if not has_table(snapshot, NOISE):
        return pl.DataFrame(schema={"reason": pl.String, "channel": pl.String, "rows": pl.Int64})
    return query(
        snapshot,
        f"""SELECT reason, channel, count(*) AS rows,
                   min(occurred_at)::DATE AS first_seen, max(occurred_at)::DATE AS last_seen
            FROM {NOISE} GROUP BY ALL ORDER BY rows DESC, reason""",
    )


def noise_examples(snapshot: Snapshot, per_reason: int = 5) -> pl.DataFrame:
    """The newest few rows the noise filter removed for each reason."""
    if not has_table(snapshot, NOISE):
        return pl.DataFrame(schema={"reason": pl.String})
    return query(
        snapshot,
        f"""SELECT n.reason, n.occurred_at, n.channel, p.display_name AS name, n.source_table,
                   n.source_key
            FROM {NOISE} AS n LEFT JOIN {PEOPLE} AS p USING (person_id)
            QUALIFY row_number() OVER (PARTITION BY n.reason ORDER BY n.occurred_at DESC) <= ?
            ORDER BY n.reason, n.occurred_at DESC""",
        [per_reason],
    )


# --- Actions, introductions, warm paths and goals (marts built by the actions assets) --------

SNOOZE_DAYS = 7


def feedback_path() -> Path:
    """The user's feedback log next to the warehouse (never inside the rebuilt warehouse)."""
    return user_state.user_state_path(settings().db_path)


def feedback() -> pl.DataFrame:
    """The latest feedback per action (action_id, status, snoozed_until, recorded_at). Read on
    every page load, not cached: it is a small file and a click must show at once."""
    return user_state.current_feedback(feedback_path())


def record_feedback(action: dict, status: str, snoozed_until: dt.date | None = None) -> None:
    """Remember done / snoozed / dismissed / open (undo) for an action (a row of `actions`),
    across rebuilds. The action's person(s) and type go with it, so a done action counts as a
    touch with them at the next refresh even if the warehouse is rebuilt from scratch."""
    user_state.record_feedback(
        feedback_path(),
        action["action_id"],
        status,
        snoozed_until,
        person_id=action["person_id"],
        other_person_id=action["other_person_id"],
        action_type=action["action_type"],
    )


def apply_feedback(actions: pl.DataFrame, latest: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """The actions with the user's latest feedback on top of the snapshot's status; a snooze
    that has run out by `on` counts as open again."""
    given = latest.select(
        "action_id",
        pl.col("status").alias("given_status"),
        pl.col("snoozed_until").cast(pl.Date).alias("given_until"),
    )
    merged = actions.join(given, on="action_id", how="left")
    has_given = pl.col("given_status").is_not_null()
    merged = merged.with_columns(
        status=pl.when(has_given).then(pl.col("given_status")).otherwise(pl.col("status")),
        snoozed_until=pl.when(has_given)
        .then(pl.col("given_until"))
        .otherwise(pl.col("snoozed_until")),
    ).drop("given_status", "given_until")
    expired = (pl.col("status") == "snoozed") & (
        pl.col("snoozed_until").is_null() | (pl.col("snoozed_until") <= on)
    )
    return merged.with_columns(
        status=pl.when(expired).then(pl.lit("open")).otherwise(pl.col("status")),
        snoozed_until=pl.when(expired).then(None).otherwise(pl.col("snoozed_until")),
    )


def actions(snapshot: Snapshot) -> pl.DataFrame | None:
    """This week's recommended actions with the user's feedback applied, most important first;
    None when the snapshot has no actions table yet."""
    if not has_table(snapshot, ACTIONS):
        return None
    names = ", ".join(ACTION_COLUMNS)  # code constants only
    base = query(
        snapshot, f"SELECT {names} FROM {ACTIONS} ORDER BY priority, due_on, action_id"
    ).cast(ACTION_COLUMNS)
    gone = forgotten_ids()
    # someone you asked to forget is not suggested any more, even before the next refresh
    base = base.filter(
        ~pl.col("person_id").is_in(gone) & ~pl.col("other_person_id").fill_null("").is_in(gone)
    )
    return apply_feedback(base, feedback(), as_of(snapshot))


def person_actions(snapshot: Snapshot, person_id: str) -> pl.DataFrame | None:
    """The open actions about one person (as the subject or as the other side of an intro)."""
    found = actions(snapshot)
    if found is None:
        return None
    return found.filter(
        (pl.col("status") == "open")
        & ((pl.col("person_id") == person_id) | (pl.col("other_person_id") == person_id))
    )


def introductions(snapshot: Snapshot, limit: int = 50) -> pl.DataFrame | None:
    if not has_table(snapshot, INTRODUCTIONS):
        return None
    return query(
        snapshot,
        f"""SELECT person_a_id, person_a_name, person_b_id, person_b_name, score, reason
            FROM {INTRODUCTIONS} ORDER BY score DESC, person_a_name, person_b_name LIMIT ?""",
        [limit],
    )


def warm_path_targets(snapshot: Snapshot) -> list[str]:
    """The targets the refresh already computed warm paths for (your goals, for instance)."""
    if not has_table(snapshot, WARM_PATHS):
        return []
    return query(snapshot, f"SELECT DISTINCT target FROM {WARM_PATHS} ORDER BY 1")[
        "target"
    ].to_list()


def warm_paths(snapshot: Snapshot, target: str) -> pl.DataFrame:
    """Who can bring you closer to a company or keyword, computed on the snapshot for any
    target typed (pipelines/lib/warm_paths.py), cached per snapshot and target."""
    return _cached_warm_paths(str(snapshot.path), snapshot.mtime_ns, target.strip())


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_warm_paths(path: str, mtime_ns: int, target: str) -> pl.DataFrame:
    del mtime_ns  # part of the cache key only
    with sql_sandbox.connect(path) as con:
        return warm_paths_for(con, target)


def goal_progress(snapshot: Snapshot) -> pl.DataFrame | None:
    if not has_table(snapshot, GOAL_PROGRESS):
        return None
    return query(
        snapshot,
        f"""SELECT goal, month, matched_contacts, touches FROM {GOAL_PROGRESS}
            WHERE month <= ?::DATE ORDER BY goal, month""",
        [as_of(snapshot)],
    )


def goal_contacts(snapshot: Snapshot) -> pl.DataFrame | None:
    if not has_table(snapshot, GOAL_CONTACTS):
        return None
    return query(
        snapshot,
        f"""SELECT c.goal, c.person_id, c.person_name, c.matched_on, h.health_score, h.tier
            FROM {GOAL_CONTACTS} AS c LEFT JOIN {HEALTH} AS h USING (person_id)
            ORDER BY c.goal, h.health_score DESC NULLS LAST, c.person_name""",
    )


# --- What you told Constellation about people (user state: cadence, tags, forgetting) --------


def tag_edits() -> pl.DataFrame:
    """Your latest tag / untag per person and tag (person_id, tag, action, recorded_at), from
    the people log. Read on every use, not cached: a small file, and a change must show at once."""
    return user_state.person_tags(feedback_path())


def own_cadence(person_id: str) -> dict | None:
    """The cadence you set for a person (ideal_days, max_days, recorded_at), None when none."""
    found = user_state.person_cadence(feedback_path()).filter(pl.col("person_id") == person_id)
    return found.row(0, named=True) if found.height else None


def set_cadence(person_id: str, ideal_days: int | None, max_days: int | None) -> None:
    """Give a person a cadence of their own; `None, None` goes back to the configured one."""
    user_state.set_cadence(feedback_path(), person_id, ideal_days, max_days)


def tag_person(person_id: str, tag: str) -> None:
    user_state.tag_person(feedback_path(), person_id, tag)


def untag_person(person_id: str, tag: str) -> None:
    user_state.untag_person(feedback_path(), person_id, tag)


def forgotten() -> pl.DataFrame:
    """The people you asked to forget and have not taken back (forget_id, person_id, emails,
    linkedin_slugs, names, recorded_at), oldest first."""
    return user_state.forgotten_people(feedback_path())


def forgotten_ids() -> list[str]:
    return [p for p in forgotten()["person_id"].to_list() if p]


def person_identifiers(snapshot: Snapshot, person_id: str) -> dict[str, list[str]]:
    """A person's e-mail addresses, LinkedIn slugs and names as the snapshot knows them."""
    found = query(
        snapshot,
        f"""SELECT kind, value FROM core.person_identifiers WHERE person_id = ?
            UNION SELECT 'name', display_name FROM {PEOPLE} WHERE person_id = ?
            ORDER BY 1, 2""",
        [person_id, person_id],
    )
    known: dict[str, list[str]] = {"email": [], "linkedin_slug": [], "name": []}
    for kind, value in found.iter_rows():
        if kind in known and value:
            known[kind].append(value)
    return known


def forget_person(snapshot: Snapshot, person_id: str) -> str:
    """Ask Constellation to forget a person: every identifier the snapshot knows for them is
    stored (ids can change), the next refresh removes them from every table and later loads keep
    them out. Returns the forget_id (for `unforget_person`).

    The identifiers are read here through the dashboard's locked read-only connection rather than
    by `user_state.forget_person(snapshot=...)`: DuckDB refuses a second connection to one file
    with other settings in the same process."""
    known = person_identifiers(snapshot, person_id)
    return user_state.forget_person(
        feedback_path(),
        person_id,
        emails=known["email"],
        linkedin_slugs=known["linkedin_slug"],
        names=known["name"],
    )


def unforget_person(forget_id: str) -> None:
    """Take a forget back: at the next refresh their files are read again and they return."""
    user_state.unforget_person(feedback_path(), forget_id)


def still_published(snapshot: Snapshot, person_ids: list[str]) -> list[str]:
    """Which of these people the published snapshot still holds (not yet removed by a refresh)."""
    if not person_ids or not has_table(snapshot, PEOPLE):
        return []
    found = query(
        snapshot,
        f"SELECT person_id FROM {PEOPLE} WHERE list_contains(?::VARCHAR[], person_id)",
        [sorted(person_ids)],
    )
    return found["person_id"].to_list()
