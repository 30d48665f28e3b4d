"""Build the people tables from the sightings of each source (no Dagster here).

Each source contributes observations through its SQL in `pipelines/sql/core/observations/`
(columns: source, ref, name, emails, linkedin_slug, company, is_address_book, observed_on, and
optionally name_source). A source whose tables do not exist yet is simply absent.

Every person gets a name (`display_name`), and `name_source` says where it came from:
- `linkedin`: their LinkedIn profile (a connection, message, invitation, endorsement...);
- `contact`: the owner's address book or interaction log;
- `display_name`: a name written in a From/To/Cc header or a calendar invitation;
- `x_header`: read from an Exchange/Notes export's X-From/X-To/X-cc (a guess: "Buy, Rick" is
  read as "Rick Buy", and a recipient's name is paired with its address by position);
- `address`: no name anywhere, so their email address (or profile) stands in — a guess too.
The name on the person's LinkedIn connection wins, then any name on a row with their profile,
then the names written in headers, address books and logs (the one seen most often), and a name
from X- headers only when there is no other.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import polars as pl

from pipelines import warehouse
from pipelines.lib.identity import (
    Identifier,
    Observation,
    normalize_email,
    normalize_name,
    resolve,
)

OBSERVATION_SCHEMA = pl.Schema(
    {
        "source": pl.String,
        "ref": pl.String,
        "name": pl.String,
        "emails": pl.List(pl.String),
        "linkedin_slug": pl.String,
        "company": pl.String,
        "is_address_book": pl.Boolean,
        "observed_on": pl.Date,
        "name_source": pl.String,
    }
)
# Where the names of a source's rows come from, for sources whose SQL does not say.
NAME_SOURCE_OF = {
    "contacts": "contact",
    "linkedin_contacts": "contact",
    "interaction_log": "contact",
    "calendar_attendees": "display_name",
    "email_messages": "display_name",
}
GUESSED_NAME_SOURCES = ("x_header", "address")
PEOPLE_SCHEMA = pl.Schema(
    {
        "person_id": pl.String,
        "display_name": pl.String,
        "name_source": pl.String,
        "linkedin_slug": pl.String,
        "primary_email": pl.String,
        "company": pl.String,
        "sources": pl.List(pl.String),
        "sightings": pl.Int64,
        "is_owner": pl.Boolean,
    }
)
IDENTIFIER_SCHEMA = pl.Schema(
    {
        "person_id": pl.String,
        "kind": pl.String,
        "value": pl.String,
        "evidence": pl.String,
        "sources": pl.List(pl.String),
    }
)
# Between the sources of an identifier while its frame is built; no source name holds it.
SOURCE_SEPARATOR = "\x1f"
SIGHTING_SCHEMA = pl.Schema({"source": pl.String, "ref": pl.String, "person_id": pl.String})


def collect_observations(
    con: duckdb.DuckDBPyConnection, queries: dict[str, tuple[str, set[str]]]
) -> pl.DataFrame:
    frames = [
        _with_name_source(warehouse.frame(con, sql)).cast(dict(OBSERVATION_SCHEMA))
        for sql, tables in queries.values()
        if all(warehouse.table_exists(con, t) for t in tables)
    ]
    return pl.concat(frames) if frames else pl.DataFrame(schema=OBSERVATION_SCHEMA)


def _with_name_source(frame: pl.DataFrame) -> pl.DataFrame:
    """The observations with `name_source` filled in from their source where the SQL gives none
    (LinkedIn sources name people by their profile)."""
    default = pl.col("source").replace_strict(NAME_SOURCE_OF, default="linkedin")
    given = pl.col("name_source") if "name_source" in frame.columns else pl.lit(None, pl.String)
    return frame.with_columns(
        name_source=pl.when(pl.col("name").is_not_null()).then(given.fill_null(default))
    ).select(list(OBSERVATION_SCHEMA))


def owner_identifiers(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    if not warehouse.table_exists(con, "core.owner"):
        return set()
    rows = warehouse.frame(con, "SELECT kind, value FROM core.owner").iter_rows()
    normalise = {"email": normalize_email, "name": normalize_name}
    return {(kind, normalise.get(kind, str.lower)(value) or value) for kind, value in rows}


def owner_evidence(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """What the data says about the owner, for `owner.detect_owner`."""

    def column(sql: str, table: str) -> list:
        if not warehouse.table_exists(con, table):
            return []
        return [row[0] for row in warehouse.frame(con, sql).iter_rows()]

    senders = []
    if warehouse.table_exists(con, "staging.linkedin_messages"):
        senders = list(
            warehouse.frame(
                con,
                "SELECT sender_name, sender_slug FROM staging.linkedin_messages "
                "WHERE NOT is_sponsored AND sender_slug IS NOT NULL",
            ).iter_rows()
        )
    return {
        "profile_names": column(
            """SELECT trim(concat_ws(' ', first_name, last_name)) FROM raw.linkedin_profile
               ORDER BY snapshot_date DESC NULLS LAST""",
            "raw.linkedin_profile",
        ),
        "account_emails": column(
            """SELECT email FROM raw.linkedin_email_addresses
               ORDER BY snapshot_date DESC NULLS LAST, is_primary DESC NULLS LAST""",
            "raw.linkedin_email_addresses",
        ),
        "sent_mail_senders": column(
            """SELECT from_address FROM staging.email_messages
               WHERE list_contains(gmail_labels, 'Sent') OR lower(folder) LIKE '%sent%'""",
            "staging.email_messages",
        ),
        "message_senders": senders,
    }


def build(
    observations: pl.DataFrame,
    *,
    force_merge: Iterable[tuple[str, str]] = (),
    force_split: Iterable[str] = (),
    owner: set[tuple[str, str]] = frozenset(),
) -> dict[str, pl.DataFrame]:
    """people, person_identifiers and person_sightings from the observations."""
    # A mailbox names the same sender thousands of times: resolve each distinct sighting once
    # (its smallest ref stands for it, which keeps person ids stable) and map the rows back.
    keyed = observations.with_columns(
        _key=pl.concat_str(
            [
                pl.col(c).cast(pl.String).fill_null("\x00")
                for c in (
                    "source",
                    "name",
                    "name_source",
                    "linkedin_slug",
                    "company",
                    "is_address_book",
                )
            ]
            + [pl.col("emails").list.sort().list.join("\x1f").fill_null("")],
            separator="\x1e",
        )
    )
    # In a fixed order: which rule links a row first (its `evidence`), and in a rare tie which
    # of two merges wins, follow the order of the rows, and the SQL gives them in any order.
    distinct = (
        keyed.group_by("_key")
        .agg(pl.all().exclude("ref").first(), pl.col("ref").min())
        .sort("source", "ref", "_key")
    )
    rows = distinct.to_dicts()
    resolution = resolve(
        [
            Observation(
                r["source"],
                r["ref"],
                r["name"],
                tuple(r["emails"] or ()),
                r["linkedin_slug"],
                r["company"],
                bool(r["is_address_book"]),
                is_own_log=r["source"] == "interaction_log",
            )
            for r in rows
        ],
        # All of the owner's addresses and profiles are one person, whatever else they match.
        force_merge=[*force_merge, *_chain(owner)],
        force_split=force_split,
    )
    person_of_key = pl.DataFrame(
        {"_key": distinct["_key"], "person_id": pl.Series(resolution.person_of, dtype=pl.String)}
    )
    sightings = keyed.select("source", "ref", "_key").join(
        person_of_key, on="_key", how="left", maintain_order="left"
    )
    identifiers = _identifier_frame(resolution.identifiers)
    owners = owner_people(identifiers, owner)
    return {
        "people": _people(observations, sightings, identifiers, owners),
        "person_identifiers": identifiers,
        "person_sightings": sightings.select(list(SIGHTING_SCHEMA)),
    }


def _identifier_frame(identifiers: list[Identifier]) -> pl.DataFrame:
    """The identifiers as a frame, built column by column: a frame built from one dict per
    identifier makes a Series of each one's `sources`, 0.5 s for a heavy mailbox's 23,000."""
    return pl.DataFrame(
        {
            "person_id": [i.person_id for i in identifiers],
            "kind": [i.kind for i in identifiers],
            "value": [i.value for i in identifiers],
            "evidence": [i.evidence for i in identifiers],
            # every identifier has a source; joined and split again, as one column at once
            "sources": pl.Series(
                [SOURCE_SEPARATOR.join(i.sources) for i in identifiers], dtype=pl.String
            ).str.split(SOURCE_SEPARATOR),
        },
        schema=IDENTIFIER_SCHEMA,
    )


def _chain(owner: set[tuple[str, str]]) -> list[tuple[str, str]]:
    prefix = {"email": "email", "linkedin_slug": "linkedin"}
    keys = sorted(f"{prefix[kind]}:{value}" for kind, value in owner if kind in prefix)
    return list(zip(keys, keys[1:], strict=False))


def owner_people(identifiers: pl.DataFrame, owner: set[tuple[str, str]]) -> set[str]:
    """People who are the owner: one of their email addresses or their LinkedIn profile is the
    owner's; a name alone counts only for people with no address or profile at all (2018
    messages carry names only), so a namesake of the owner is never taken for them."""
    strong = identifiers.filter(pl.col("kind") != "name")
    by_strong = {
        row["person_id"]
        for row in strong.iter_rows(named=True)
        if (row["kind"], row["value"]) in owner
    }
    nameless = set(identifiers["person_id"].to_list()) - set(strong["person_id"].to_list())
    by_name = {
        row["person_id"]
        for row in identifiers.filter(pl.col("kind") == "name").iter_rows(named=True)
        if row["person_id"] in nameless and ("name", row["value"]) in owner
    }
    return by_strong | by_name


def _people(observations, sightings, identifiers, owners) -> pl.DataFrame:
    if observations.height == 0:
        return pl.DataFrame(schema=PEOPLE_SCHEMA)
    joined = observations.with_columns(person_id=sightings["person_id"])
    # The newest LinkedIn snapshot says where someone works now (rows of one date in the order
    # of their source and ref, so a tie never depends on the order the rows came in).
    latest_company = (
        joined.filter(pl.col("company").is_not_null())
        .sort("observed_on", "source", "ref", nulls_last=False)
        .group_by("person_id")
        .agg(pl.col("company").last())
    )
    # The name on the person's own LinkedIn profile first, then the one seen most often, then
    # one read from X- headers (see the module docstring).
    names = (
        joined.filter(pl.col("name").is_not_null())
        .with_columns(
            priority=pl.when(pl.col("source") == "linkedin_connections")
            .then(0)
            .when(pl.col("linkedin_slug").is_not_null())
            .then(1)
            .when(pl.col("name_source") == "x_header")
            .then(3)
            .otherwise(2)
        )
        .group_by("person_id", "name")
        .agg(
            pl.len().alias("n"),
            pl.col("priority").min(),
            pl.col("name_source").sort_by("priority", "name_source").first(),
        )
        .sort(["priority", "n", "name"], descending=[False, True, False])
        .group_by("person_id", maintain_order=True)
        .agg(pl.col("name").first().alias("display_name"), pl.col("name_source").first())
    )
    firsts = (
        identifiers.sort("value")
        .group_by("person_id", "kind")
        .agg(pl.col("value").first())
        .pivot(on="kind", index="person_id", values="value")
    )
    for kind in ("linkedin_slug", "email"):
        if kind not in firsts.columns:
            firsts = firsts.with_columns(pl.lit(None, pl.String).alias(kind))
    summary = joined.group_by("person_id").agg(
        pl.col("source").unique().sort().alias("sources"), pl.len().alias("sightings")
    )
    people = (
        summary.join(names, on="person_id", how="left")
        .join(
            firsts.select("person_id", "linkedin_slug", pl.col("email").alias("primary_email")),
            on="person_id",
            how="left",
        )
        .join(latest_company, on="person_id", how="left")
        .with_columns(is_owner=pl.col("person_id").is_in(list(owners)))
        .with_columns(_name_or_address())
    )
    return people.select([pl.col(name).cast(dtype) for name, dtype in PEOPLE_SCHEMA.items()]).sort(
        "person_id"
    )


def _name_or_address() -> list[pl.Expr]:
    """`display_name` and `name_source` for people whom no source names: their address, else
    their profile, stands in for the name (a page never says "None")."""
    nameless = pl.col("display_name").is_null()
    return [
        pl.coalesce("display_name", "primary_email", "linkedin_slug", "person_id").alias(
            "display_name"
        ),
        pl.when(nameless).then(pl.lit("address")).otherwise("name_source").alias("name_source"),
    ]
