"""`Company Follows.csv`: the organisations whose pages the owner follows."""

from __future__ import annotations

from pipelines.lib.csvfile import CsvTable, Record, Variant, read_csv
from pipelines.lib.dates import parse_timestamp
from pipelines.lib.inbox import SourceFile
from pipelines.lib.linkedin.common import blank_to_none
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.lib.rejected_values import optional
from pipelines.schemas.linkedin_company_follows import LinkedinCompanyFollowsSchema

VARIANTS = (Variant("2018-2026", ("Organization", "Followed On")),)
# `Sat Dec 14 08:57:55 UTC 2024` (Java's Date.toString).
DATE_FORMATS = ("%a %b %d %H:%M:%S UTC %Y", "%Y-%m-%d %H:%M:%S UTC")


def _row(table: CsvTable, record: Record) -> dict:
    return {
        "organization": blank_to_none(table.column(record, "Organization")),
        "followed_at": optional(
            parse_timestamp, table.column(record, "Followed On"), DATE_FORMATS, "Followed On"
        ),
    }


def parse(data: bytes, source: SourceFile) -> ParsedFile:
    return parse_records(read_csv(data, VARIANTS), _row, LinkedinCompanyFollowsSchema)
