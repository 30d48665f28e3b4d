"""`Events.csv`: LinkedIn events the owner registered for or attended.

`Event Time` is a range, `Sep 23, 2022 12:00 PM - Sep 23, 2022 12:20 PM`, with no time zone:
the times are stored as given, read as UTC.
"""

from __future__ import annotations

from pipelines.lib.csvfile import CsvTable, Record, Variant, read_csv
from pipelines.lib.dates import BadValue, parse_timestamp
from pipelines.lib.inbox import SourceFile
from pipelines.lib.keys import stable_key
from pipelines.lib.linkedin.common import blank_to_none
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.lib.rejected_values import optional
from pipelines.schemas.linkedin_events import LinkedinEventsSchema

VARIANTS = (Variant("2020-2026", ("Event Name", "Event Time", "Status", "External Url")),)
TIME_FORMATS = ("%b %d, %Y %I:%M %p", "%B %d, %Y %I:%M %p")


def _row(table: CsvTable, record: Record) -> dict:
    time = table.column(record, "Event Time").strip()
    parts = time.split(" - ")
    if not time or len(parts) > 2:
        raise BadValue(f"Event Time {time!r} is not a time range")
    starts_at = parse_timestamp(parts[0], TIME_FORMATS, "Event Time")
    # the start is required (it keys the event); an unreadable end is left out
    ends_at = (
        optional(parse_timestamp, parts[1], TIME_FORMATS, "Event Time") if len(parts) == 2 else None
    )
    name = table.column(record, "Event Name").strip()
    return {
        "event_name": blank_to_none(name),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "status": blank_to_none(table.column(record, "Status").upper()),
        "external_url": blank_to_none(table.column(record, "External Url")),
        "event_key": stable_key(name.lower(), starts_at.isoformat()),
    }


def parse(data: bytes, source: SourceFile) -> ParsedFile:
    return parse_records(read_csv(data, VARIANTS), _row, LinkedinEventsSchema)
