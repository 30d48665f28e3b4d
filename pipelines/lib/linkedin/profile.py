"""`Profile.csv`: the owner's own profile, one row per export. It names the owner (see
`pipelines/lib/owner.py`).

Variants (see shared/formats/linkedin.md): 2018 (with `Contact Instructions` and `Country`) and
2020 onwards. `Birth Date` is `Mar 4, 1990`, or `Mar 4` when the year is hidden.
"""

from __future__ import annotations

from pipelines.lib.csvfile import CsvTable, Record, Variant, read_csv
from pipelines.lib.inbox import SourceFile
from pipelines.lib.linkedin.common import blank_to_none
from pipelines.lib.linkedin.values import optional_birthday, split_values
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.schemas.linkedin_profile import LinkedinProfileSchema

VARIANTS = (
    Variant(
        "2020+",
        (
            "First Name",
            "Last Name",
            "Maiden Name",
            "Address",
            "Birth Date",
            "Headline",
            "Summary",
            "Industry",
            "Zip Code",
            "Geo Location",
            "Twitter Handles",
            "Websites",
            "Instant Messengers",
        ),
    ),
    Variant(
        "2018",
        (
            "First Name",
            "Last Name",
            "Maiden Name",
            "Address",
            "Birth Date",
            "Contact Instructions",
            "Headline",
            "Summary",
            "Industry",
            "Country",
            "Zip Code",
            "Geo Location",
            "Twitter Handles",
            "Websites",
            "Instant Messengers",
        ),
    ),
)


def _row(table: CsvTable, record: Record) -> dict:
    birth_date, birth_month, birth_day = optional_birthday(
        table.column(record, "Birth Date"), "Birth Date"
    )
    text = {
        column: blank_to_none(table.get(record, label))
        for column, label in (
            ("first_name", "First Name"),
            ("last_name", "Last Name"),
            ("maiden_name", "Maiden Name"),
            ("address", "Address"),
            ("headline", "Headline"),
            ("summary", "Summary"),
            ("industry", "Industry"),
            ("country", "Country"),
            ("zip_code", "Zip Code"),
            ("geo_location", "Geo Location"),
            ("contact_instructions", "Contact Instructions"),
        )
    }
    return {
        **text,
        "birth_date": birth_date,
        "birth_month": birth_month,
        "birth_day": birth_day,
        # `[mayalq]`, `[PORTFOLIO:https://example.org]`: bracketed, comma-joined lists.
        "twitter_handles": split_values(table.column(record, "Twitter Handles")),
        "websites": split_values(table.column(record, "Websites")),
        "instant_messengers": split_values(table.column(record, "Instant Messengers")),
    }


def parse(data: bytes, source: SourceFile) -> ParsedFile:
    return parse_records(read_csv(data, VARIANTS), _row, LinkedinProfileSchema)
