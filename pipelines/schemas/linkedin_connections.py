"""`raw.linkedin_connections`. Like every raw model, it lists the table's own columns; the loader
adds the lineage columns (`source_path`, `source_sha256`, `snapshot_date`)."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa


class LinkedinConnectionsSchema(pa.DataFrameModel):
    """One row per connection per export snapshot (`raw.linkedin_connections`)."""

    first_name: str | None = pa.Field(nullable=True)
    last_name: str | None = pa.Field(nullable=True)
    full_name: str | None = pa.Field(nullable=True)
    profile_url: str | None = pa.Field(nullable=True)
    profile_slug: str | None = pa.Field(nullable=True)
    email: str | None = pa.Field(nullable=True, str_matches=r"^[^@\s]+@[^@\s]+$")
    member_urn: str | None = pa.Field(nullable=True)
    company: str | None = pa.Field(nullable=True)
    position: str | None = pa.Field(nullable=True)
    connected_on: dt.date | None = pa.Field(nullable=True)
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
