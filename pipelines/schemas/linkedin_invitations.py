"""`raw.linkedin_invitations`: pending connection invitations of `Invitations.csv` (all three
variants). The loader adds the lineage columns."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl


class LinkedinInvitationsSchema(pa.DataFrameModel):
    """One row per invitation per file (`raw.linkedin_invitations`); `staging` removes copies."""

    from_name: str | None = pa.Field(nullable=True)
    to_name: str | None = pa.Field(nullable=True)
    sent_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field()
    message: str | None = pa.Field(nullable=True)
    has_note: bool = pa.Field()
    direction: str = pa.Field(isin=["INCOMING", "OUTGOING"])
    inviter_profile_urn: str | None = pa.Field(nullable=True, str_matches=r"^urn:li:\w+:\S+$")
    invitee_profile_urn: str | None = pa.Field(nullable=True, str_matches=r"^urn:li:\w+:\S+$")
    inviter_profile_url: str | None = pa.Field(nullable=True)
    invitee_profile_url: str | None = pa.Field(nullable=True)
    inviter_slug: str | None = pa.Field(nullable=True)
    invitee_slug: str | None = pa.Field(nullable=True)
    invitation_key: str = pa.Field(str_matches=r"^[0-9a-f]{32}$")
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
