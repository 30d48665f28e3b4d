"""Plain-Python pieces of the relationship metrics (no Dagster here).

The metrics themselves are SQL (`pipelines/sql/marts/`); this module holds what SQL does not say
well: the ROC AUC the backtest reports.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


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
