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
    touches = candidates.filter(pl.col("noise_reason").is_null()).with_columns(
        _text=pl.col("text").fill_null(""), _outbound=pl.col("direction") == "outbound"
    )
    # The same text is classified once: a group message or a mail to several people is one
    # text for many touches.
    texts = touches.filter(pl.col("kind").is_null()).select("_text", "_outbound").unique()
    results = [
        classify(text, outbound=outbound)
        for text, outbound in zip(texts["_text"], texts["_outbound"], strict=True)
    ]
    texts = texts.with_columns(
        _kind=pl.Series([r.kind for r in results], dtype=pl.String),
        _subkind=pl.Series([r.subkind for r in results], dtype=pl.String),
        _why=pl.Series([r.reason for r in results], dtype=pl.String),
        _specific=pl.Series([r.is_specific for r in results], dtype=pl.Boolean),
        _time_bound=pl.Series([r.is_time_bound for r in results], dtype=pl.Boolean),
    )
    by_text = pl.col("kind").is_null()
    is_ask = by_text & (pl.col("_kind") == "ask")
    touches = touches.join(
        texts, on=["_text", "_outbound"], how="left", maintain_order="left"
    ).with_columns(
        kind=pl.when(by_text).then(pl.col("_kind")).otherwise(pl.col("kind")),
        subkind=pl.when(by_text).then(pl.col("_subkind")).otherwise(pl.col("subkind")),
        classified_by=pl.when(by_text).then(pl.col("_why")).otherwise(pl.col("reason")),
        is_specific=pl.when(is_ask).then(pl.col("_specific")),
        is_time_bound=pl.when(is_ask).then(pl.col("_time_bound")),
    )
    ids = [
        interaction_id(table, key or "", person, direction)
        for table, key, person, direction in zip(
            touches["source_table"],
            touches["source_key"],
            touches["person_id"],
            touches["direction"],
            strict=True,
        )
    ]
    touches = touches.with_columns(interaction_id=pl.Series(ids, dtype=pl.String))
    interactions = (
        touches.select(INTERACTION_COLUMNS)
        .unique("interaction_id", keep="first")
        .sort(["occurred_at", "interaction_id"])
    )
    return interactions, noise.select(NOISE_COLUMNS)
