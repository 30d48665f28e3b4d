"""`Recommendations_Received.csv` and `Recommendations_Given.csv`: written recommendations.

Both files share one header; the name, company and job title are those of the other person (the
recommender in the received file, the person recommended in the given file). The same
recommendation in two exports gets the same `recommendation_key`, so staging keeps one.
"""

from __future__ import annotations

from pipelines.lib.csvfile import CsvTable, Record, Variant, read_csv
from pipelines.lib.dates import BadValue, parse_timestamp
from pipelines.lib.inbox import SourceFile
from pipelines.lib.keys import stable_key
from pipelines.lib.linkedin.common import blank_to_none, full_name
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.schemas.linkedin_recommendations_given import LinkedinRecommendationsGivenSchema
from pipelines.schemas.linkedin_recommendations_received import (
    LinkedinRecommendationsReceivedSchema,
)

VARIANTS = (
    Variant(
        "2018-2026",
        ("First Name", "Last Name", "Company", "Job Title", "Text", "Creation Date", "Status"),
    ),
)
# `04/15/24, 09:25 PM`; four-digit years and 24-hour times are what Excel writes back.
DATE_FORMATS = ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%Y %H:%M")


def _row(table: CsvTable, record: Record) -> dict:
    text = table.column(record, "Creation Date")
    if not text.strip():
        raise BadValue("Creation Date is empty")
    created_at = parse_timestamp(text, DATE_FORMATS, "Creation Date")
    first, last = table.column(record, "First Name"), table.column(record, "Last Name")
    name = full_name(first, last)
    return {
        "first_name": blank_to_none(first),
        "last_name": blank_to_none(last),
        "full_name": blank_to_none(name),
        "company": blank_to_none(table.column(record, "Company")),
        "job_title": blank_to_none(table.column(record, "Job Title")),
        "text": blank_to_none(table.column(record, "Text").replace("\r\n", "\n")),
        "created_at": created_at,
        "status": blank_to_none(table.column(record, "Status").upper()),
        # Not the text: a recommendation revised between two exports is still the same one.
        "recommendation_key": stable_key(created_at.isoformat(), name.lower()),
    }


def parse_received(data: bytes, source: SourceFile) -> ParsedFile:
    return parse_records(read_csv(data, VARIANTS), _row, LinkedinRecommendationsReceivedSchema)


def parse_given(data: bytes, source: SourceFile) -> ParsedFile:
    return parse_records(read_csv(data, VARIANTS), _row, LinkedinRecommendationsGivenSchema)
