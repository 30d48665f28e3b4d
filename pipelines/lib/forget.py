"""Forgetting a person (no Dagster here): their rows leave the warehouse and stay out.

The suppression list is the user-state log (`user_state.forgotten_people`): for each forgotten
person their e-mail addresses, LinkedIn slugs and names as shown. At every refresh, after the
raw tables are loaded and before the staging tables built from them (each such staging asset
depends on `quality.forgotten_rows`, so a rebuild from scratch never stages a row about to be
removed) and the people model:

1. `purge` deletes, from every raw and staging table, the rows that are only about them — their
   connection, address-book and LinkedIn-address-book rows, invitations, endorsements,
   recommendations, interaction-log lines, calendar attendee rows, the LinkedIn messages and
   e-mails they sent, the ones sent to them alone, and their e-mail recipient rows. Each raw row
   removed is counted, not dropped silently: it becomes a row of `quality.quarantine` with
   reason `forgotten at your request (<forget_id>)` and no text, and the file's ledger gets a new
   `loaded` row with the counts moved from loaded to quarantined (so rows read = loaded +
   quarantined still holds, and the `rows_conserved` checks keep passing on later runs, when the
   unchanged file is skipped). Quarantined rows whose text mentions them lose the text. The
   values left out of the removed rows (`quality.rejected_values`) go with them; any other
   rejected value that mentions them (an address, a slug or their name) loses its value.
2. `drop_observations` (called by core.people) leaves out every sighting of them still left in
   shared rows (a group message's recipients, a co-recipient of an e-mail), so no person,
   identifier, sighting or touch is built for them, and no mart can show them.

A row matches by a strong identifier (e-mail address, LinkedIn slug); a row that carries none
matches by name (case, accents and punctuation ignored), so a namesake with another address is
never forgotten by mistake.

The ledger and quarantine rows written here carry the run id plus `/forget` (or `/unforget`) as
their load_id, so a run's per-file summary does not count them as files loaded.

Unforgetting: `request_reloads` (run before the raw tables load) finds the files that held rows
of people no longer forgotten and asks for them to be read again (a ledger row without a content
hash, so the loaders do not skip them); their rows come back in the same refresh.
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import polars as pl

from pipelines import warehouse
from pipelines.lib.identity import normalize_email, normalize_name
from pipelines.lib.loading import FILE_LOADS, REJECTED_VALUES, latest_load

QUARANTINE = "quality.quarantine"
FORGOTTEN_REASON = "forgotten at your request"
REDACTED_REASON = "mentions a person forgotten at your request; text removed"
SUMMARY_SCHEMA = pl.Schema(
    {"forget_id": pl.String, "table_name": pl.String, "path": pl.String, "rows": pl.Int64}
)

# SQL for a name compared the way identity.normalize_name does: first part before a comma,
# accents, case and punctuation removed, whitespace collapsed.
NAME = (
    "trim(regexp_replace(regexp_replace(lower(strip_accents(split_part({0}, ',', 1))), "
    "'[^a-z0-9\\s]', ' ', 'g'), '\\s+', ' ', 'g'))"
)


def _name(column: str) -> str:
    return NAME.format(column)


def _email(column: str) -> str:
    return f"lower(trim({column}))"


def _strong_or_name(strong: list[tuple[str, str]], names: list[str]) -> str:
    """Matches when one of `strong` ((sql value, identifier set)) is a forgotten identifier, or,
    when the row has none of them, one of `names` is a forgotten name."""
    strong_match = " OR ".join(f"{value} IN (SELECT v FROM {kind})" for value, kind in strong)
    no_strong = " AND ".join(f"{value} IS NULL" for value, _ in strong) or "true"
    name_match = " OR ".join(f"{_name(n)} IN (SELECT v FROM fg_names)" for n in names) or "false"
    return f"(({strong_match or 'false'}) OR (({no_strong}) AND ({name_match})))"


def _list_match(column: str, kind: str, transform: str = "lower(trim(x))") -> str:
    return (
        f"len(list_intersect(list_transform(coalesce({column}, []), lambda x: {transform}), "
        f"(SELECT coalesce(list(v), []) FROM {kind}))) > 0"
    )


# Table (in raw and staging) -> the rows that are only about a forgotten person.
SLUG = "lower(trim({0}))"
ONLY_ABOUT_THEM: dict[str, str] = {
    "linkedin_connections": _strong_or_name(
        [(_email("email"), "fg_emails"), (SLUG.format("profile_slug"), "fg_slugs")],
        ["full_name"],
    ),
    "contacts": f"({_list_match('emails', 'fg_emails')} OR (len(coalesce(emails, [])) = 0 "
    f"AND {_name('full_name')} IN (SELECT v FROM fg_names)))",
    "linkedin_contacts": f"({_list_match('emails', 'fg_emails')} "
    f"OR {_list_match('profile_slugs', 'fg_slugs')} OR (len(coalesce(emails, [])) = 0 "
    f"AND len(coalesce(profile_slugs, [])) = 0 AND {_name('full_name')} IN "
    "(SELECT v FROM fg_names)))",
    "interaction_log": _strong_or_name(
        [(_email("email"), "fg_emails"), (SLUG.format("profile_slug"), "fg_slugs")],
        ["person_name"],
    ),
    # an invitation is between you and one other person, whichever side they are on
    "linkedin_invitations": "("
    + _strong_or_name([(SLUG.format("inviter_slug"), "fg_slugs")], ["from_name"])
    + " OR "
    + _strong_or_name([(SLUG.format("invitee_slug"), "fg_slugs")], ["to_name"])
    + ")",
    "linkedin_endorsements_given": _strong_or_name(
        [(SLUG.format("endorsee_slug"), "fg_slugs")], ["endorsee_full_name"]
    ),
    "linkedin_endorsements_received": _strong_or_name(
        [(SLUG.format("endorser_slug"), "fg_slugs")], ["endorser_full_name"]
    ),
    "linkedin_recommendations_given": _strong_or_name([], ["full_name"]),
    "linkedin_recommendations_received": _strong_or_name([], ["full_name"]),
    "calendar_attendees": _strong_or_name([(_email("email"), "fg_emails")], ["name"]),
    # what they wrote, and what was written to them alone
    "linkedin_messages": "("
    + _strong_or_name([(SLUG.format("sender_slug"), "fg_slugs")], ["sender_name"])
    + " OR (len(coalesce(recipient_slugs, [])) > 0 AND len(list_distinct(list_intersect("
    "list_transform(recipient_slugs, lambda x: lower(trim(x))), "
    "(SELECT coalesce(list(v), []) FROM fg_slugs)))) = "
    "len(list_distinct(list_transform(recipient_slugs, lambda x: lower(trim(x)))))))",
    "email_messages": f"({_email('from_address')} IN (SELECT v FROM fg_emails) "
    "OR message_key IN (SELECT message_key FROM fg_alone))",
    "email_recipients": f"({_email('address')} IN (SELECT v FROM fg_emails) "
    "OR message_key IN (SELECT message_key FROM fg_alone))",
}


def identifier_sets(forgotten: pl.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """(forget_id, value) per kind: e-mail addresses (as written and normalised), slugs, and
    normalised names."""
    sets: dict[str, list[tuple[str, str]]] = {"emails": [], "slugs": [], "names": []}
    for row in forgotten.iter_rows(named=True):
        fid = row["forget_id"]
        for email in row["emails"] or []:
            for value in {email.strip().lower(), normalize_email(email)}:
                if value:
                    sets["emails"].append((fid, value))
        sets["slugs"] += [(fid, s.strip().lower()) for s in row["linkedin_slugs"] or [] if s]
        for name in row["names"] or []:
            if value := normalize_name(name):
                sets["names"].append((fid, re.sub(r"[^a-z0-9\s]", " ", value).strip()))
    return sets


def _register(con: duckdb.DuckDBPyConnection, forgotten: pl.DataFrame) -> None:
    for kind, pairs in identifier_sets(forgotten).items():
        frame = pl.DataFrame(pairs, schema={"forget_id": pl.String, "v": pl.String}, orient="row")
        con.register(f"_fg_{kind}", frame)
        warehouse.run(con, f"CREATE OR REPLACE TEMP TABLE fg_{kind} AS SELECT * FROM _fg_{kind}")
        con.unregister(f"_fg_{kind}")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    schema, name = table.split(".")
    return {
        row[0]
        for row in warehouse.frame(
            con,
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ?",
            [schema, name],
        ).iter_rows()
    }


def _alone(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """E-mails whose every recipient is forgotten (you wrote to them alone)."""
    table = f"{schema}.email_recipients"
    keys = ["message_key"] + (["source_path"] if "source_path" in _columns(con, table) else [])
    warehouse.run(
        con,
        f"""CREATE OR REPLACE TEMP TABLE fg_alone AS
            SELECT DISTINCT message_key FROM {table}
            GROUP BY {", ".join(keys)}
            HAVING bool_and({_email("address")} IN (SELECT v FROM fg_emails))""",
    )


def purge(con: duckdb.DuckDBPyConnection, forgotten: pl.DataFrame, load_id: str) -> pl.DataFrame:
    """Remove the rows only about the forgotten people from raw and staging, count them in the
    quarantine and the ledger, redact quarantined text mentioning them. Returns what was removed
    now: forget_id, table_name, path (raw tables), rows."""
    removed: list[dict] = []
    # One entry at a time, so that every removed row names the entry it was removed for (and
    # unforgetting one person reads again only the files that held their rows).
    for entry in forgotten.iter_rows(named=True):
        removed += _purge_one(con, pl.DataFrame([entry], schema=forgotten.schema), load_id)
    return pl.DataFrame(removed, schema=SUMMARY_SCHEMA)


def _purge_one(con: duckdb.DuckDBPyConnection, entry: pl.DataFrame, load_id: str) -> list[dict]:
    label = entry["forget_id"][0]
    _register(con, entry)
    removed = []
    for schema in ("raw", "staging"):
        if warehouse.table_exists(con, f"{schema}.email_recipients"):
            _alone(con, schema)
        else:
            warehouse.run(
                con, "CREATE OR REPLACE TEMP TABLE fg_alone AS SELECT NULL::VARCHAR AS message_key"
            )
        for name, predicate in ONLY_ABOUT_THEM.items():
            table = f"{schema}.{name}"
            if not warehouse.table_exists(con, table):
                continue
            with warehouse.transaction(con):
                if schema == "raw" and "source_path" in _columns(con, table):
                    counts = warehouse.frame(
                        con,
                        f"""SELECT source_path AS path, list(record_number) AS records
                            FROM {table} WHERE {predicate} GROUP BY ALL ORDER BY path""",
                    )
                    for path, records in counts.iter_rows():
                        _count_forgotten(con, load_id, table, path, records, label)
                        _drop_rejected_values(con, table, path, records)
                        removed.append(
                            {
                                "forget_id": label,
                                "table_name": table,
                                "path": path,
                                "rows": len(records),
                            }
                        )
                else:
                    n = warehouse.scalar(con, f"SELECT count(*) FROM {table} WHERE {predicate}")
                    if n:
                        removed.append(
                            {"forget_id": label, "table_name": table, "path": None, "rows": n}
                        )
                warehouse.run(con, f"DELETE FROM {table} WHERE {predicate}")
    _redact_shared_rows(con, entry)
    _redact_quarantine(con, label)
    _redact_rejected_values(con, label)
    return removed


def _drop_rejected_values(
    con: duckdb.DuckDBPyConnection, table: str, path: str, records: list[int]
) -> None:
    """The values left out of rows that are removed go with them."""
    if warehouse.table_exists(con, REJECTED_VALUES):
        warehouse.run(
            con,
            f"""DELETE FROM {REJECTED_VALUES}
                WHERE target_table = ? AND path = ? AND list_contains(?, record_number)""",
            [table, path, records],
        )


def _redact_rejected_values(con: duckdb.DuckDBPyConnection, label: str) -> None:
    """A rejected value left in a row that stays (someone else's, or shared) loses its text when
    it mentions a forgotten address, slug or name."""
    if not warehouse.table_exists(con, REJECTED_VALUES):
        return
    warehouse.run(
        con,
        f"""UPDATE {REJECTED_VALUES} SET value = NULL, reason = ?
            WHERE value IS NOT NULL AND (
                EXISTS (
                    SELECT 1 FROM (SELECT v FROM fg_emails UNION ALL SELECT v FROM fg_slugs) f
                    WHERE contains(lower(value), f.v))
                OR EXISTS (
                    SELECT 1 FROM fg_names f WHERE f.v <> ''
                    AND contains({_name("value")}, f.v)))""",
        [f"{REDACTED_REASON} ({label})"],
    )


def _redact_shared_rows(con: duckdb.DuckDBPyConnection, entry: pl.DataFrame) -> None:
    """Rows shared with others stay, without them: the forgotten person leaves the recipient
    lists of group messages, and the organizer of meetings they organised is blanked (row
    counts do not change, so the ledger stays as it is)."""
    sets = identifier_sets(entry)
    slugs = sorted({v for _, v in sets["slugs"]}) or [""]
    for schema in ("raw", "staging"):
        table = f"{schema}.linkedin_messages"
        if warehouse.table_exists(con, table):
            keep = "lambda x, i: NOT list_contains($slugs, lower(trim(recipient_slugs[i])))"
            warehouse.run(
                con,
                f"""UPDATE {table} SET
                        recipient_names = list_filter(recipient_names, {keep}),
                        recipient_profile_urls = list_filter(recipient_profile_urls, {keep}),
                        recipient_slugs = list_filter(recipient_slugs, {keep})
                    WHERE list_has_any($slugs,
                        list_transform(recipient_slugs, lambda x: lower(trim(x))))""",
                {"slugs": slugs},
            )
        table = f"{schema}.calendar_events"
        if warehouse.table_exists(con, table):
            organizer = _strong_or_name(
                [(_email("organizer_email"), "fg_emails")], ["organizer_name"]
            )
            warehouse.run(
                con,
                f"UPDATE {table} SET organizer_email = NULL, organizer_name = NULL "
                f"WHERE {organizer}",
            )


def _count_forgotten(
    con: duckdb.DuckDBPyConnection,
    load_id: str,
    table: str,
    path: str,
    records: list[int],
    label: str,
) -> None:
    """The removed rows as quarantine rows without text, and the file's ledger row with the
    counts moved from loaded to quarantined (only for files the ledger tracks for `table`)."""
    latest = latest_load(con, path, table)
    if latest.is_empty():
        return
    n = len(records)
    kind = latest["kind"][0]
    markers = pl.DataFrame(
        {
            "load_id": load_id,
            "path": path,
            "kind": kind,
            "target_table": table,
            "record_number": records,
            "line_number": None,
            "raw_text": None,
            "reason": f"{FORGOTTEN_REASON} ({label})",
        },
        schema=warehouse.frame(con, f"SELECT * FROM {QUARANTINE} LIMIT 0").schema,
    )
    warehouse.insert_frame(con, QUARANTINE, markers)
    message = latest["message"][0] or ""
    # The first part of the message stays first: the calendar loader reads its settings there.
    note = f"{n} rows about a person forgotten at your request removed"
    ledger = latest.with_columns(
        load_id=pl.lit(load_id),
        loaded_at=pl.lit(dt.datetime.now(dt.UTC)).cast(latest.schema["loaded_at"]),
        status=pl.lit("loaded"),
        rows_loaded=pl.col("rows_loaded") - n,
        rows_quarantined=pl.col("rows_quarantined") + n,
        message=pl.lit(f"{message}; {note}" if message else note),
    )
    warehouse.insert_frame(con, FILE_LOADS, ledger)


def _redact_quarantine(con: duckdb.DuckDBPyConnection, label: str) -> None:
    if not warehouse.table_exists(con, QUARANTINE):
        return
    warehouse.run(
        con,
        f"""UPDATE {QUARANTINE} SET raw_text = NULL, reason = ?
            WHERE raw_text IS NOT NULL AND EXISTS (
                SELECT 1 FROM (SELECT v FROM fg_emails UNION ALL SELECT v FROM fg_slugs) AS f
                WHERE contains(lower(raw_text), f.v))""",
        [f"{REDACTED_REASON} ({label})"],
    )


def drop_observations(observations: pl.DataFrame, forgotten: pl.DataFrame) -> pl.DataFrame:
    """The people model's sightings without those of forgotten people: a sighting with a
    forgotten address or slug, or with neither and a forgotten name."""
    if forgotten.is_empty() or observations.is_empty():
        return observations
    sets = identifier_sets(forgotten)
    emails = {v for _, v in sets["emails"]}
    slugs = {v for _, v in sets["slugs"]}
    names = {v for _, v in sets["names"]}
    emails_of = (
        pl.col("emails").fill_null([]).list.eval(pl.element().str.strip_chars().str.to_lowercase())
    )
    slug = pl.col("linkedin_slug").str.strip_chars().str.to_lowercase()
    name = pl.col("name").map_elements(
        lambda n: re.sub(r"[^a-z0-9\s]", " ", normalize_name(n) or "").strip() or None,
        return_dtype=pl.String,
    )
    strong = emails_of.list.eval(pl.element().is_in(list(emails))).list.any() | slug.is_in(
        list(slugs)
    ).fill_null(False)
    no_strong = (emails_of.list.len() == 0) & slug.is_null()
    forgotten_rows = strong | (no_strong & name.is_in(list(names)).fill_null(False))
    return observations.filter(~forgotten_rows)


def request_reloads(
    con: duckdb.DuckDBPyConnection, forgotten: pl.DataFrame, load_id: str
) -> list[tuple[str, str]]:
    """Before the raw tables load: the files that hold rows removed or redacted for a forget
    entry no longer in force get a ledger row without a content hash, so the loaders read them
    again (and the purge that follows keeps out whoever is still forgotten). Returns the
    (path, table) pairs."""
    if not warehouse.table_exists(con, QUARANTINE) or not warehouse.table_exists(con, FILE_LOADS):
        return []
    active = forgotten["forget_id"].to_list()
    # Rejected values redacted for them are read again too (those of removed rows come back
    # with the rows).
    rejected_values = (
        f"UNION SELECT path, target_table, reason FROM {REJECTED_VALUES}"
        if warehouse.table_exists(con, REJECTED_VALUES)
        else ""
    )
    stale = warehouse.frame(
        con,
        f"""SELECT DISTINCT path, target_table FROM (
                SELECT path, target_table, reason FROM {QUARANTINE} {rejected_values})
            WHERE (starts_with(reason, ?) OR starts_with(reason, ?))
              AND NOT list_has_any(?, [regexp_extract(reason, '\\((f_[0-9a-f]+)\\)$', 1)])
            ORDER BY ALL""",
        [FORGOTTEN_REASON, REDACTED_REASON, active or [""]],
    )
    pairs = list(stale.iter_rows())
    for path, table in pairs:
        latest = latest_load(con, path, table)
        if latest.is_empty():
            continue
        message = latest["message"][0] or ""
        note = "to be read again: a person was unforgotten"
        warehouse.insert_frame(
            con,
            FILE_LOADS,
            latest.with_columns(
                load_id=pl.lit(load_id),
                loaded_at=pl.lit(dt.datetime.now(dt.UTC)).cast(latest.schema["loaded_at"]),
                status=pl.lit("loaded"),
                sha256=pl.lit(None, pl.String),
                message=pl.lit(f"{message}; {note}" if message else note),
            ),
        )
    return pairs
