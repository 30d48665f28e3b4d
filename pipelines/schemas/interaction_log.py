"""`raw.interaction_log`: one row per line of a hand-kept interaction log."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

CHANNELS = ("meeting", "call", "coffee", "event", "message", "other")
DIRECTIONS = ("out", "in", "mutual")
KINDS = ("give", "ask", "neutral")


class InteractionLogSchema(pa.DataFrameModel):
    """An interaction the user wrote down: when, with whom, how, who reached out, give or ask."""

    occurred_on: dt.date
    person_name: str | None = pa.Field(nullable=True)
    email: str | None = pa.Field(nullable=True, str_matches=r"^[^@\s]+@[^@\s]+$")
    linkedin_url: str | None = pa.Field(nullable=True)
    profile_slug: str | None = pa.Field(nullable=True)
    channel: str = pa.Field(isin=list(CHANNELS))
    direction: str | None = pa.Field(nullable=True, isin=list(DIRECTIONS))
    kind: str | None = pa.Field(nullable=True, isin=list(KINDS))
    note: str | None = pa.Field(nullable=True)
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
