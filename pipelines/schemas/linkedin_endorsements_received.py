"""`raw.linkedin_endorsements_received`: skills the owner's connections endorsed, from
`Endorsement_Received_Info.csv` (all three variants). The loader adds the lineage columns."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl


class LinkedinEndorsementsReceivedSchema(pa.DataFrameModel):
    """One row per endorsement received per file; `staging` keeps one per endorsement_key."""

    endorsed_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field()
    skill_name: str = pa.Field(str_length={"min_value": 1})
    endorser_first_name: str | None = pa.Field(nullable=True)
    endorser_last_name: str | None = pa.Field(nullable=True)
    endorser_full_name: str | None = pa.Field(nullable=True)
    endorser_profile_url: str | None = pa.Field(nullable=True)
    endorser_slug: str | None = pa.Field(nullable=True)
    status: str | None = pa.Field(nullable=True)
    display_status: str | None = pa.Field(nullable=True)  # legacy UTF-16 file only
    endorsement_key: str = pa.Field(str_matches=r"^[0-9a-f]{32}$")
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
