"""`raw.linkedin_company_follows`: organisations the owner follows, from `Company Follows.csv`.
The loader adds the lineage columns."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl


class LinkedinCompanyFollowsSchema(pa.DataFrameModel):
    """One row per followed organisation per file; `staging` keeps one per organisation."""

    organization: str = pa.Field(str_length={"min_value": 1})
    followed_at: Annotated[pl.Datetime, "us", "UTC"] | None = pa.Field(nullable=True)
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
