"""`raw.linkedin_profile`: the owner's own profile from `Profile.csv` (2018 and 2020+ variants).
The loader adds the lineage columns."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl


class LinkedinProfileSchema(pa.DataFrameModel):
    """One row per export (`raw.linkedin_profile`); `staging` keeps the newest export's."""

    first_name: str | None = pa.Field(nullable=True)
    last_name: str | None = pa.Field(nullable=True)
    maiden_name: str | None = pa.Field(nullable=True)
    address: str | None = pa.Field(nullable=True)
    headline: str | None = pa.Field(nullable=True)
    summary: str | None = pa.Field(nullable=True)
    industry: str | None = pa.Field(nullable=True)
    country: str | None = pa.Field(nullable=True)  # 2018 only
    zip_code: str | None = pa.Field(nullable=True)
    geo_location: str | None = pa.Field(nullable=True)
    contact_instructions: str | None = pa.Field(nullable=True)  # 2018 only
    birth_date: dt.date | None = pa.Field(nullable=True)  # only when the year is shown
    birth_month: int | None = pa.Field(nullable=True, ge=1, le=12)
    birth_day: int | None = pa.Field(nullable=True, ge=1, le=31)
    twitter_handles: pl.List(pl.String)
    websites: pl.List(pl.String)
    instant_messengers: pl.List(pl.String)
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
