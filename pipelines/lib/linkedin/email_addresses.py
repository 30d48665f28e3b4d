"""`Email Addresses.csv`: the owner's own e-mail addresses on the LinkedIn account, one row per
address per export. They identify the owner (see `pipelines/lib/owner.py`)."""

from __future__ import annotations

from pipelines.lib.csvfile import CsvTable, Record, Variant, read_csv
from pipelines.lib.dates import parse_timestamp
from pipelines.lib.inbox import SourceFile
from pipelines.lib.linkedin.common import blank_to_none
from pipelines.lib.linkedin.values import yes_no
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.lib.rejected_values import optional
from pipelines.schemas.linkedin_email_addresses import LinkedinEmailAddressesSchema

VARIANTS = (Variant("2018-2026", ("Email Address", "Confirmed", "Primary", "Updated On")),)
# Usually `Not Available`; otherwise the US style of the other files.
DATE_FORMATS = ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%Y/%m/%d %H:%M:%S UTC")


def _row(table: CsvTable, record: Record) -> dict:
    updated = table.column(record, "Updated On").strip()
    return {
        "email": blank_to_none(table.column(record, "Email Address").lower()),
        "is_confirmed": optional(yes_no, table.column(record, "Confirmed"), "Confirmed"),
        "is_primary": optional(yes_no, table.column(record, "Primary"), "Primary"),
        "updated_at": None
        if updated.lower() == "not available"
        else optional(parse_timestamp, updated, DATE_FORMATS, "Updated On"),
    }


def parse(data: bytes, source: SourceFile) -> ParsedFile:
    return parse_records(read_csv(data, VARIANTS), _row, LinkedinEmailAddressesSchema)
