"""`raw.calendar_attendees`: who was invited to each meeting occurrence (declined left out)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl


class CalendarAttendeesSchema(pa.DataFrameModel):
    """An attendee of one occurrence in `raw.calendar_events` (joined on `event_key`)."""

    event_key: str
    event_uid: str
    occurrence_start: pl.Datetime(time_unit="us", time_zone="UTC")
    email: str | None = pa.Field(nullable=True, str_matches=r"^[^@\s]+@[^@\s]+$")
    name: str | None = pa.Field(nullable=True)
    partstat: str  # ACCEPTED, TENTATIVE, NEEDS-ACTION (DECLINED never loaded)
    role: str  # REQ-PARTICIPANT, OPT-PARTICIPANT, CHAIR, NON-PARTICIPANT
    is_organizer: bool
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
