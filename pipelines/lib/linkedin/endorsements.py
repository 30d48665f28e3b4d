"""`Endorsement_Received_Info.csv` and `Endorsement_Given_Info.csv`: skills endorsed by and for
the owner's connections.

Variants (see shared/formats/linkedin.md), told apart by the header: received with the
endorser's public URL (current), received without it (older), the legacy UTF-16 TAB-separated
`Endorsement Received Info.csv` with `Display Status`; given has one layout. The same
endorsement in two exports gets the same `endorsement_key`, so staging keeps one.
"""

from __future__ import annotations

from pipelines.lib.csvfile import CsvTable, Record, Variant, read_csv
from pipelines.lib.dates import BadValue, parse_timestamp
from pipelines.lib.inbox import SourceFile
from pipelines.lib.keys import stable_key
from pipelines.lib.linkedin.common import blank_to_none, full_name, profile_slug
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.schemas.linkedin_endorsements_given import LinkedinEndorsementsGivenSchema
from pipelines.schemas.linkedin_endorsements_received import (
    LinkedinEndorsementsReceivedSchema,
)

RECEIVED_VARIANTS = (
    Variant(
        "current (with URL)",
        (
            "Endorsement Date",
            "Skill Name",
            "Endorser First Name",
            "Endorser Last Name",
            "Endorser Public Url",
            "Endorsement Status",
        ),
    ),
    Variant(
        "older (no URL)",
        (
            "Endorsement Date",
            "Skill Name",
            "Endorser First Name",
            "Endorser Last Name",
            "Endorsement Status",
        ),
    ),
    Variant(
        "legacy UTF-16 TSV (display status)",
        (
            "Endorsement Date",
            "Skill Name",
            "Endorser First Name",
            "Endorser Last Name",
            "Endorsement Status",
            "Display Status",
        ),
    ),
)
GIVEN_VARIANTS = (
    Variant(
        "current (with URL)",
        (
            "Endorsement Date",
            "Skill Name",
            "Endorsee First Name",
            "Endorsee Last Name",
            "Endorsee Public Url",
            "Endorsement Status",
        ),
    ),
)
# `2024/12/07 14:51:07 UTC`; the ISO and US forms are what spreadsheet programs write back.
DATE_FORMATS = (
    "%Y/%m/%d %H:%M:%S UTC",
    "%Y-%m-%d %H:%M:%S UTC",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M",
)


def _row(table: CsvTable, record: Record, role: str) -> dict:
    """One endorsement; `role` is `endorser` (received) or `endorsee` (given)."""
    title = role.capitalize()
    text = table.column(record, "Endorsement Date")
    if not text.strip():
        raise BadValue("Endorsement Date is empty")
    endorsed_at = parse_timestamp(text, DATE_FORMATS, "Endorsement Date")
    skill = table.column(record, "Skill Name").strip()
    first = table.column(record, f"{title} First Name")
    last = table.column(record, f"{title} Last Name")
    name = full_name(first, last)
    url = table.get(record, f"{title} Public Url").strip()
    return {
        "endorsed_at": endorsed_at,
        "skill_name": blank_to_none(skill),
        f"{role}_first_name": blank_to_none(first),
        f"{role}_last_name": blank_to_none(last),
        f"{role}_full_name": blank_to_none(name),
        f"{role}_profile_url": blank_to_none(url),
        f"{role}_slug": profile_slug(url) if url else None,
        # `ACCEPTED` now, `Accepted` in the legacy file: one spelling.
        "status": blank_to_none(table.column(record, "Endorsement Status").upper()),
        "display_status": blank_to_none(table.get(record, "Display Status")),
        # Time, skill and name are in every variant (the URL is not), so the legacy file and a
        # current export give the same key.
        "endorsement_key": stable_key(endorsed_at.isoformat(), skill.lower(), name.lower()),
    }


def parse_received(data: bytes, source: SourceFile) -> ParsedFile:
    return parse_records(
        read_csv(data, RECEIVED_VARIANTS),
        lambda table, record: _row(table, record, "endorser"),
        LinkedinEndorsementsReceivedSchema,
    )


def parse_given(data: bytes, source: SourceFile) -> ParsedFile:
    return parse_records(
        read_csv(data, GIVEN_VARIANTS),
        lambda table, record: _row(table, record, "endorsee"),
        LinkedinEndorsementsGivenSchema,
    )
