"""`raw.linkedin_positions`: the owner's jobs from `Positions.csv`. The loader adds the lineage
columns."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa


class LinkedinPositionsSchema(pa.DataFrameModel):
    """One row per position per export; `staging` keeps the newest export's."""

    company_name: str | None = pa.Field(nullable=True)
    title: str | None = pa.Field(nullable=True)
    description: str | None = pa.Field(nullable=True)
    location: str | None = pa.Field(nullable=True)
    started_on: dt.date | None = pa.Field(nullable=True)  # first day of the month
    finished_on: dt.date | None = pa.Field(nullable=True)  # null while current
    is_current: bool = pa.Field()
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
