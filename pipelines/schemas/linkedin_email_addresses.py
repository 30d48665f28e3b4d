"""`raw.linkedin_email_addresses`: the owner's own addresses from `Email Addresses.csv`. The
loader adds the lineage columns."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl


class LinkedinEmailAddressesSchema(pa.DataFrameModel):
    """One row per address per export; `staging` keeps the newest export's."""

    email: str = pa.Field(str_matches=r"^[^@\s]+@[^@\s]+$")
    is_confirmed: bool | None = pa.Field(nullable=True)
    is_primary: bool | None = pa.Field(nullable=True)
    updated_at: Annotated[pl.Datetime, "us", "UTC"] | None = pa.Field(nullable=True)
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
