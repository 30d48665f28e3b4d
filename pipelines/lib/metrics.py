"""Plain-Python pieces of the relationship metrics (no Dagster here).

The metrics themselves are SQL (`pipelines/sql/marts/`); this module holds what SQL does not say
well: reading the `[cadence]` section of the configuration into rules, resolving them to people,
and the ROC AUC the backtest reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines import warehouse
from pipelines.lib.identity import normalize_email

# Ideal and maximum days between contacts per tier (docs/metrics.md, "Cadence"). Acquaintances
# and dormant ties have no cadence unless the configuration gives them one: nobody keeps up
# with hundreds of loose ties on a schedule, and a dormant tie is to revive, not to chase.
DEFAULT_CADENCE = {"inner": (14, 30), "close": (30, 60), "active": (90, 180), "wider": (180, 365)}
TIERS = ("inner", "close", "active", "wider", "acquaintance", "dormant")
CADENCE_SCHEMA = pl.Schema(
    {
        "scope": pl.String,
        "rule": pl.String,
        "person_id": pl.String,
        "ideal_days": pl.Int64,
        "max_days": pl.Int64,
        "source": pl.String,
    }
)


@dataclass(frozen=True)
class CadenceRule:
    scope: str  # tier | tag | person
    rule: str  # the tier, the tag, or the person's identifier as written in the configuration
    ideal_days: int
    max_days: int
    source: str  # default | configuration (user_state rows come from resolve_cadence)


def _interval(value: object, where: str) -> tuple[int, int]:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 0 < value[0] <= value[1]
    ):
        return value[0], value[1]
    raise ValueError(
        f"[cadence] {where} must be [ideal_days, max_days] with 0 < ideal <= max, got {value!r}"
    )


def cadence_rules(section: dict) -> list[CadenceRule]:
    """The cadence rules: the defaults per tier, overridden or extended by the configuration's
    `[cadence]` tiers, `[cadence.tags]` and `[cadence.people]`. Raises ValueError naming the
    offending key when a value is not `[ideal_days, max_days]`."""
    rules = {
        tier: CadenceRule("tier", tier, ideal, most, "default")
        for tier, (ideal, most) in DEFAULT_CADENCE.items()
    }
    for key, value in section.items():
        if key in ("tags", "people"):
            continue
        if key not in TIERS:
            raise ValueError(
                f"[cadence] {key!r} is not a tier ({', '.join(TIERS)}), 'tags' or 'people'"
            )
        rules[key] = CadenceRule("tier", key, *_interval(value, key), "configuration")
    result = [rules[t] for t in TIERS if t in rules]
    for scope, table in (("tag", "tags"), ("person", "people")):
        entries = section.get(table, {})
        if not isinstance(entries, dict):
            raise ValueError(f"[cadence.{table}] must be a table of name = [ideal, max]")
        result += [
            CadenceRule(scope, str(name), *_interval(value, f"{table}.{name}"), "configuration")
            for name, value in entries.items()
        ]
    return result


def _person_lookup(text: str) -> tuple[str, str]:
    """(kind, value) of `core.person_identifiers` for a configured person, or ("person_id", id)."""
    kind, sep, value = text.partition(":")
    if not sep:
        return "person_id", text.strip()
    kind = {"linkedin": "linkedin_slug", "slug": "linkedin_slug"}.get(kind.strip(), kind.strip())
    if kind == "email":
        return kind, normalize_email(value) or value.strip().lower()
    return kind, value.strip().lower()


def person_tags(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """person_id, tag (lower case): the labels of each person's address-book entries
    (`raw.contacts`, the rows their contact sightings point to), plus the tags added in the
    dashboard, minus the ones removed there (`user_state.person_tags`)."""
    tagged = pl.DataFrame(schema={"person_id": pl.String, "tag": pl.String})
    if warehouse.table_exists(con, "raw.contacts"):
        # A contact sighting's ref is the raw row (`source_path#record_number`), not
        # staging.contacts' contact_key (pipelines/sql/core/observations/address_books.sql).
        tagged = warehouse.frame(
            con,
            """SELECT DISTINCT s.person_id, lower(trim(label)) AS tag
               FROM raw.contacts AS c
               JOIN core.person_sightings AS s
                 ON s.source = 'contacts'
                AND s.ref = c.source_path || '#' || c.record_number::VARCHAR,
                    unnest(c.labels) AS l(label)
               WHERE trim(label) <> ''""",
        )
    if warehouse.table_exists(con, "user_state.person_tags"):
        edits = warehouse.frame(
            con, "SELECT person_id, lower(trim(tag)) AS tag, action FROM user_state.person_tags"
        )
        removed = edits.filter(pl.col("action") == "untag").select("person_id", "tag")
        added = edits.filter(pl.col("action") == "tag").select("person_id", "tag")
        tagged = (
            pl.concat([tagged, added]).unique().join(removed, on=["person_id", "tag"], how="anti")
        )
    return tagged.sort("person_id", "tag")


def resolve_cadence(con: duckdb.DuckDBPyConnection, rules: Sequence[CadenceRule]) -> pl.DataFrame:
    """One row per tier rule, and per person a tag or person rule applies to (person_id NULL when
    a configured tag or person matches nobody, so the table shows it had no effect), plus one
    `person` row with source `user_state` per cadence set in the dashboard
    (`user_state.person_cadence`), which beats the configuration.

    Tags are the labels (groups, categories) of your address books and the tags you gave people
    in the dashboard (`person_tags`), matched case-insensitively.
    """
    tagged = person_tags(con)
    identifiers = warehouse.frame(
        con,
        """SELECT kind, value, person_id FROM core.person_identifiers
           UNION SELECT 'person_id', person_id, person_id FROM core.people""",
    )
    rows = []
    for rule in rules:
        base = {**rule.__dict__}
        if rule.scope == "tier":
            matched = [None]
        elif rule.scope == "tag":
            wanted = rule.rule.strip().lower()
            matched = tagged.filter(pl.col("tag") == wanted)["person_id"].to_list() or [None]
        else:
            kind, value = _person_lookup(rule.rule)
            found = identifiers.filter((pl.col("kind") == kind) & (pl.col("value") == value))
            matched = sorted(set(found["person_id"].to_list())) or [None]
        rows += [{**base, "person_id": person_id} for person_id in sorted(matched, key=str)]
    if warehouse.table_exists(con, "user_state.person_cadence"):
        own = warehouse.frame(
            con,
            """SELECT c.person_id, c.ideal_days, c.max_days FROM user_state.person_cadence AS c
               WHERE c.person_id IN (SELECT person_id FROM core.people) ORDER BY c.person_id""",
        )
        rows += [
            {"scope": "person", "rule": "set in the dashboard", "source": "user_state", **row}
            for row in own.iter_rows(named=True)
        ]
    return pl.DataFrame(rows, schema=CADENCE_SCHEMA)


def roc_auc(scores: Sequence[float | None], outcomes: Sequence[bool]) -> float | None:
    """The probability that a randomly chosen positive case scores higher than a randomly chosen
    negative one (ties count half): the ROC AUC, by the Mann-Whitney rank formula.

    A missing score ranks lowest. None when there is no positive or no negative case.
    """
    frame = pl.DataFrame(
        {"score": list(scores), "positive": list(outcomes)},
        schema={"score": pl.Float64, "positive": pl.Boolean},
    ).with_columns(pl.col("score").fill_null(float("-inf")))
    positives = int(frame["positive"].sum())
    negatives = frame.height - positives
    if positives == 0 or negatives == 0:
        return None
    ranks = frame.select(pl.col("score").rank("average"), "positive")
    rank_sum = float(ranks.filter(pl.col("positive"))["score"].sum())
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
