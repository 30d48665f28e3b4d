"""Build the timeline of touches between the owner and each person (no Dagster here).

Each channel's SQL in `pipelines/sql/core/interactions/` returns candidate touches with the
columns of CANDIDATE_SCHEMA. Rows with a `noise_reason` are not relationships (sponsored mail,
drafts, bulk mail…): they are kept apart, counted with their reason. The rest get a kind: the
structural one the SQL set (an endorsement given is a give), else the text classifier's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import duckdb
import polars as pl

from pipelines import warehouse

CANDIDATE_SCHEMA = pl.Schema(
    {
        "person_id": pl.String,
        "occurred_at": pl.Datetime("us", "UTC"),
        "channel": pl.String,
        "direction": pl.String,
        "thread_id": pl.String,
        "is_reply": pl.Boolean,
        "reply_latency_hours": pl.Float64,
        "text": pl.String,
        "kind": pl.String,
        "subkind": pl.String,
        "reason": pl.String,
        "noise_reason": pl.String,
        "source_table": pl.String,
        "source_key": pl.String,
    }
)
INTERACTION_COLUMNS = [
    "interaction_id",
    "person_id",
    "occurred_at",
    "channel",
    "direction",
    "thread_id",
    "is_reply",
    "reply_latency_hours",
    "kind",
    "subkind",
    "is_specific",
    "is_time_bound",
    "classified_by",
    "source_table",
    "source_key",
]
NOISE_COLUMNS = ["source_table", "source_key", "channel", "person_id", "occurred_at", "reason"]


def collect_candidates(
    con: duckdb.DuckDBPyConnection, queries: dict[str, tuple[str, set[str]]]
) -> pl.DataFrame:
    frames = [
        warehouse.frame(con, sql).cast(dict(CANDIDATE_SCHEMA)).select(list(CANDIDATE_SCHEMA))
        for sql, tables in queries.values()
        if all(warehouse.table_exists(con, t) for t in tables)
    ]
    return pl.concat(frames) if frames else pl.DataFrame(schema=CANDIDATE_SCHEMA)


def interaction_id(source_table: str, source_key: str, person_id: str, direction: str) -> str:
    return hashlib.sha1(
        f"{source_table}|{source_key}|{person_id}|{direction}".encode()
    ).hexdigest()[:16]


def build(
    candidates: pl.DataFrame, classify: Callable[..., object]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(interactions, noise) from the candidate touches of every channel."""
    noise = candidates.filter(pl.col("noise_reason").is_not_null()).select(
        "source_table",
        "source_key",
        "channel",
        "person_id",
        "occurred_at",
        pl.col("noise_reason").alias("reason"),
    )
    touches = candidates.filter(pl.col("noise_reason").is_null())
    rows = []
    for row in touches.iter_rows(named=True):
        kind, subkind, specific, time_bound, why = (
            row["kind"],
            row["subkind"],
            None,
            None,
            row["reason"],
        )
        if kind is None:
            result = classify(row["text"] or "", outbound=row["direction"] == "outbound")
            kind, subkind, why = result.kind, result.subkind, result.reason
            if kind == "ask":
                specific, time_bound = result.is_specific, result.is_time_bound
        rows.append(
            {
                **row,
                "interaction_id": interaction_id(
                    row["source_table"], row["source_key"] or "", row["person_id"], row["direction"]
                ),
                "kind": kind,
                "subkind": subkind,
                "is_specific": specific,
                "is_time_bound": time_bound,
                "classified_by": why,
            }
        )
    schema = {
        **CANDIDATE_SCHEMA,
        "interaction_id": pl.String,
        "is_specific": pl.Boolean,
        "is_time_bound": pl.Boolean,
        "classified_by": pl.String,
    }
    interactions = pl.DataFrame(rows, schema=schema).select(INTERACTION_COLUMNS)
    interactions = interactions.unique("interaction_id", keep="first").sort(
        ["occurred_at", "interaction_id"]
    )
    return interactions, noise.select(NOISE_COLUMNS)
