"""`raw.linkedin_recommendations_received`: recommendations from `Recommendations_Received.csv`; the
names, company and job title are those of the people who recommended the owner. The loader adds the lineage columns."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl


class LinkedinRecommendationsReceivedSchema(pa.DataFrameModel):
    """One row per recommendation per file; `staging` keeps one per recommendation_key."""

    first_name: str | None = pa.Field(nullable=True)
    last_name: str | None = pa.Field(nullable=True)
    full_name: str | None = pa.Field(nullable=True)
    company: str | None = pa.Field(nullable=True)
    job_title: str | None = pa.Field(nullable=True)
    text: str | None = pa.Field(nullable=True)
    created_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field()
    status: str | None = pa.Field(nullable=True)
    recommendation_key: str = pa.Field(str_matches=r"^[0-9a-f]{32}$")
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
