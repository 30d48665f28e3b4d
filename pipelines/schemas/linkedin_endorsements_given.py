"""`raw.linkedin_endorsements_given`: skills the owner endorsed, from
`Endorsement_Given_Info.csv`. The loader adds the lineage columns."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl


class LinkedinEndorsementsGivenSchema(pa.DataFrameModel):
    """One row per endorsement given per file; `staging` keeps one per endorsement_key."""

    endorsed_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field()
    skill_name: str = pa.Field(str_length={"min_value": 1})
    endorsee_first_name: str | None = pa.Field(nullable=True)
    endorsee_last_name: str | None = pa.Field(nullable=True)
    endorsee_full_name: str | None = pa.Field(nullable=True)
    endorsee_profile_url: str | None = pa.Field(nullable=True)
    endorsee_slug: str | None = pa.Field(nullable=True)
    status: str | None = pa.Field(nullable=True)
    endorsement_key: str = pa.Field(str_matches=r"^[0-9a-f]{32}$")
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
