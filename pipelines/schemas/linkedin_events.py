"""`raw.linkedin_events`: LinkedIn events from `Events.csv`. The loader adds the lineage columns."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl


class LinkedinEventsSchema(pa.DataFrameModel):
    """One row per event per file; `staging` keeps one per event_key."""

    event_name: str | None = pa.Field(nullable=True)
    starts_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field()
    ends_at: Annotated[pl.Datetime, "us", "UTC"] | None = pa.Field(nullable=True)
    status: str | None = pa.Field(nullable=True)
    external_url: str | None = pa.Field(nullable=True)
    event_key: str = pa.Field(str_matches=r"^[0-9a-f]{32}$")
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
