"""`Positions.csv`: the owner's jobs as listed on the profile, one row per position per export.

`Started On` / `Finished On` are months (`Jun 2018`), stored as the first day of the month; an
empty `Finished On` means the position is current.
"""

from __future__ import annotations

import datetime as dt

from pipelines.lib.csvfile import CsvTable, Record, Variant, read_csv
from pipelines.lib.dates import parse_date
from pipelines.lib.inbox import SourceFile
from pipelines.lib.linkedin.common import blank_to_none
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.lib.rejected_values import optional
from pipelines.schemas.linkedin_positions import LinkedinPositionsSchema

VARIANTS = (
    Variant(
        "2018-2026",
        ("Company Name", "Title", "Description", "Location", "Started On", "Finished On"),
    ),
)
# `Jun 2018`; Excel re-saves a month as `Jun-18` or a day of it (`1-Jun-18`); a year alone is
# the 1st of January.
MONTH_FORMATS = ("%b %Y", "%B %Y", "%b-%y", "%d-%b-%y", "%Y")


def _month(text: str, column: str) -> dt.date | None:
    """The first day of the month a position started or ended in."""
    day = parse_date(text, MONTH_FORMATS, column)
    return day.replace(day=1) if day else None


def _row(table: CsvTable, record: Record) -> dict:
    finished = table.column(record, "Finished On")
    return {
        "company_name": blank_to_none(table.column(record, "Company Name")),
        "title": blank_to_none(table.column(record, "Title")),
        "description": blank_to_none(table.column(record, "Description")),
        "location": blank_to_none(table.column(record, "Location")),
        "started_on": optional(_month, table.column(record, "Started On"), "Started On"),
        "finished_on": optional(_month, finished, "Finished On"),
        "is_current": not finished.strip(),
    }


def parse(data: bytes, source: SourceFile) -> ParsedFile:
    return parse_records(read_csv(data, VARIANTS), _row, LinkedinPositionsSchema)
