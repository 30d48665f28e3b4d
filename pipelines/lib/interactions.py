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
    """A touch's id: stable across refreshes, so feedback on an action keeps pointing at it."""
    return hashlib.sha1(
        f"{source_table}|{source_key}|{person_id}|{direction}".encode()
    ).hexdigest()[:16]


def interaction_ids(touches: pl.DataFrame) -> pl.Series:
    """`interaction_id` of every row (a missing source key counts as empty), computed in DuckDB:
    the same values, ~10x faster than hashing row by row in Python on a heavy mailbox."""
    keyed = touches.select("source_table", "source_key", "person_id", "direction").with_row_index(
        "_row"
    )
    with duckdb.connect() as con:
        con.register("touch", keyed)
        ids = con.sql(
            """SELECT left(sha1(concat_ws('|', coalesce(source_table, 'None'),
                                          coalesce(source_key, ''),
                                          coalesce(person_id, 'None'),
                                          coalesce(direction, 'None'))), 16) AS interaction_id
               FROM touch ORDER BY _row"""
        ).pl()
    return ids["interaction_id"]


# What `classify_texts` adds to each distinct (text, outbound) pair.
TEXT_KIND_SCHEMA = {
    "_kind": pl.String,
    "_subkind": pl.String,
    "_why": pl.String,
    "_specific": pl.Boolean,
    "_time_bound": pl.Boolean,
}


def classify_texts(texts: pl.DataFrame, classify: Callable[..., object]) -> pl.DataFrame:
    """`texts` (`_text`, `_outbound`) with the columns of TEXT_KIND_SCHEMA, one `classify` call
    per row."""
    results = [
        classify(text, outbound=outbound)
        for text, outbound in zip(texts["_text"], texts["_outbound"], strict=True)
    ]
    return texts.with_columns(
        _kind=pl.Series([r.kind for r in results], dtype=pl.String),
        _subkind=pl.Series([r.subkind for r in results], dtype=pl.String),
        _why=pl.Series([r.reason for r in results], dtype=pl.String),
        _specific=pl.Series([r.is_specific for r in results], dtype=pl.Boolean),
        _time_bound=pl.Series([r.is_time_bound for r in results], dtype=pl.Boolean),
    )


def build(
    candidates: pl.DataFrame, kinds_of: Callable[[pl.DataFrame], pl.DataFrame]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(interactions, noise) from the candidate touches of every channel. `kinds_of` takes the
    distinct texts to classify (`_text`, `_outbound`) and returns them with TEXT_KIND_SCHEMA's
    columns (`classify_texts`, or a cache in front of it)."""
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
    texts = kinds_of(
        touches.filter(pl.col("kind").is_null()).select("_text", "_outbound").unique()
    ).select("_text", "_outbound", *TEXT_KIND_SCHEMA)
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
    touches = touches.with_columns(interaction_id=interaction_ids(touches))
    interactions = (
        touches.select(INTERACTION_COLUMNS)
        .unique("interaction_id", keep="first")
        .sort(["occurred_at", "interaction_id"])
    )
    return interactions, noise.select(NOISE_COLUMNS)


TEXT_CLASSIFICATIONS = "core.text_classifications"


def text_hash(text: str, outbound: bool | None) -> str:
    return hashlib.sha1(f"{outbound}|{text}".encode()).hexdigest()


class CachedKinds:
    """A `kinds_of` for `build` that classifies only the texts the last refresh did not (with the
    same classifier `version`) and keeps what this refresh classified in
    core.text_classifications: a hash of each text, never the text. One more day of mail then
    classifies that day's new texts, not ten years of them. The table holds exactly the texts of
    the latest refresh, so a forgotten person's texts leave it with them. After a call,
    `classified` and `known` count the texts classified now and the ones reused."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, classify: Callable[..., object], version: str
    ) -> None:
        self.con, self.classify, self.version = con, classify, version
        self.classified = self.known = 0

    def __call__(self, texts: pl.DataFrame) -> pl.DataFrame:
        keyed = texts.with_columns(
            text_hash=pl.Series(
                [text_hash(t, o) for t, o in zip(texts["_text"], texts["_outbound"], strict=True)],
                dtype=pl.String,
            )
        )
        before = self._cached()
        known = keyed.join(before, on="text_hash", how="inner")
        new = classify_texts(keyed.join(before, on="text_hash", how="anti"), self.classify)
        result = pl.concat([known, new.select(known.columns)])
        warehouse.replace_table(
            self.con,
            TEXT_CLASSIFICATIONS,
            result.select(
                "text_hash",
                pl.col("_outbound").alias("outbound"),
                pl.lit(self.version).alias("classifier"),
                pl.col("_kind").alias("kind"),
                pl.col("_subkind").alias("subkind"),
                pl.col("_why").alias("classified_by"),
                pl.col("_specific").alias("is_specific"),
                pl.col("_time_bound").alias("is_time_bound"),
            ).sort("text_hash"),
        )
        self.classified, self.known = new.height, known.height
        return result

    def _cached(self) -> pl.DataFrame:
        schema = {"text_hash": pl.String, **TEXT_KIND_SCHEMA}
        if not warehouse.table_exists(self.con, TEXT_CLASSIFICATIONS):
            return pl.DataFrame(schema=schema)
        return warehouse.frame(
            self.con,
            f"""SELECT text_hash, kind AS _kind, subkind AS _subkind, classified_by AS _why,
                       is_specific AS _specific, is_time_bound AS _time_bound
                FROM {TEXT_CLASSIFICATIONS} WHERE classifier = ?""",
            [self.version],
        ).cast(schema)
