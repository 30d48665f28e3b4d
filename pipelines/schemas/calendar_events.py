"""`raw.calendar_events`: one row per occurrence of a meeting (an event with attendees)."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl


class CalendarEventsSchema(pa.DataFrameModel):
    """An occurrence of a calendar event with attendees, within the expansion window."""

    event_key: str = pa.Field(unique=True)  # `<UID>|<occurrence start, UTC ISO>`
    event_uid: str
    occurrence_start: pl.Datetime(time_unit="us", time_zone="UTC")
    occurrence_end: pl.Datetime(time_unit="us", time_zone="UTC") = pa.Field(nullable=True)
    occurrence_date: dt.date  # the start's date in the event's own time zone
    all_day: bool
    recurring: bool
    summary: str | None = pa.Field(nullable=True)
    organizer_email: str | None = pa.Field(nullable=True)
    organizer_name: str | None = pa.Field(nullable=True)
    status: str | None = pa.Field(nullable=True)
    attendee_count: int = pa.Field(ge=1)  # people invited (rooms excluded, declined included)
    attendees_declined: int = pa.Field(ge=0)
    is_large: bool
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
