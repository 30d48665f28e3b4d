"""`Connections.csv`: the owner's first-degree connections at the time of the export.

Variants (see shared/formats/linkedin.md): 2018 (no preamble, no URL, US-style timestamp),
2020–2021 (no URL), 2022–mid-2023 (preamble, no URL), mid-2023 onwards (preamble, URL).
Rows with only a date are hidden profiles: loaded, with no identity.
"""

from __future__ import annotations

import re

from pipelines.lib.csvfile import CsvTable, Record, Variant, read_csv
from pipelines.lib.dates import parse_date
from pipelines.lib.inbox import SourceFile
from pipelines.lib.linkedin.common import blank_to_none, full_name, profile_slug
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.lib.rejected_values import optional
from pipelines.schemas.linkedin_connections import LinkedinConnectionsSchema

NO_URL = ("First Name", "Last Name", "Email Address", "Company", "Position", "Connected On")
WITH_URL = (
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
)
# The header alone cannot tell 2018 from 2020–2022; the date style and the preamble do, and the
# parser names the variant from those after reading.
VARIANTS = (Variant("2023+ (with URL)", WITH_URL), Variant("2018-2023 (no URL)", NO_URL))
DATE_FORMATS = ("%d %b %Y", "%m/%d/%y, %I:%M %p", "%d-%b-%y", "%Y-%m-%d", "%m/%d/%Y")
MEMBER_URN = re.compile(r"^urn:li:member:\d+$")


def _row(table: CsvTable, record: Record) -> dict:
    email = table.column(record, "Email Address").strip()
    urn = email if MEMBER_URN.match(email) else None
    url = table.get(record, "URL").strip()
    first, last = table.column(record, "First Name"), table.column(record, "Last Name")
    return {
        "first_name": blank_to_none(first),
        "last_name": blank_to_none(last),
        "full_name": blank_to_none(full_name(first, last)),
        "profile_url": blank_to_none(url),
        "profile_slug": profile_slug(url) if url else None,
        "email": None if urn else blank_to_none(email.lower()),
        "member_urn": urn,
        "company": blank_to_none(table.column(record, "Company")),
        "position": blank_to_none(table.column(record, "Position")),
        # A connection is a person even when the date cannot be read (rejected value).
        "connected_on": optional(
            parse_date, table.column(record, "Connected On"), DATE_FORMATS, "Connected On"
        ),
    }


def parse(data: bytes, source: SourceFile) -> ParsedFile:
    table = read_csv(data, VARIANTS)
    parsed = parse_records(table, _row, LinkedinConnectionsSchema)
    if table.variant.header == NO_URL:
        has_preamble = data.lstrip(b"\xef\xbb\xbf").startswith(b"Notes:")
        us_dates = any("/" in table.column(r, "Connected On") for r in table.records[:50])
        parsed.variant = (
            "2022-2023 (preamble, no URL)"
            if has_preamble
            else "2018 (US timestamps)"
            if us_dates
            else "2020-2021 (no preamble, no URL)"
        )
    return parsed
