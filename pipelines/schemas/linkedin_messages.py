"""`raw.linkedin_messages`: every message of `messages.csv` (all eras) and of its same-schema
companions (LinkedIn's assistants). The loader adds the lineage columns."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl

CONVERSATION_SOURCES = ["member", "guide", "coach", "learning_coach", "learning_role_play"]


class LinkedinMessagesSchema(pa.DataFrameModel):
    """One row per message per file (`raw.linkedin_messages`); `staging` removes the copies."""

    conversation_id: str | None = pa.Field(nullable=True)
    conversation_title: str | None = pa.Field(nullable=True)
    sender_name: str | None = pa.Field(nullable=True)
    sender_profile_url: str | None = pa.Field(nullable=True)
    sender_slug: str | None = pa.Field(nullable=True)
    # Null when the file's era has no such column; positions match when the lengths match.
    recipient_names: Annotated[pl.List, pl.String] = pa.Field(nullable=True)
    recipient_profile_urls: Annotated[pl.List, pl.String] = pa.Field(nullable=True)
    recipient_slugs: Annotated[pl.List, pl.String] = pa.Field(nullable=True)
    sent_at: Annotated[pl.Datetime, "us", "UTC"] = pa.Field()
    subject: str | None = pa.Field(nullable=True)
    content: str | None = pa.Field(nullable=True)
    folder: str | None = pa.Field(nullable=True)
    direction_2018: str | None = pa.Field(nullable=True, isin=["INCOMING", "OUTGOING"])
    is_draft: bool | None = pa.Field(nullable=True)
    attachments: str | None = pa.Field(nullable=True)
    is_sponsored: bool = pa.Field()
    conversation_source: str = pa.Field(isin=CONVERSATION_SOURCES)
    message_key: str = pa.Field(str_matches=r"^[0-9a-f]{32}$")
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
