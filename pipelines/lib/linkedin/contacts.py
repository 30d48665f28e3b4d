"""`Contacts.csv` / `ImportedContacts.csv`: the address book the owner uploaded to LinkedIn (not
LinkedIn ties). Only what the product uses is kept: names, e-mail addresses, companies, title,
birthday and profile links; phone numbers, postal addresses and messenger handles are not read,
and the quarantine keeps only those same fields of a rejected row (as `raw.contacts` does).
"""

from __future__ import annotations

import json

from pipelines.lib.csvfile import CsvTable, Record, Rejected, Variant, read_csv
from pipelines.lib.dates import BadValue
from pipelines.lib.inbox import SourceFile
from pipelines.lib.keys import stable_key
from pipelines.lib.linkedin.common import blank_to_none, full_name, profile_slug
from pipelines.lib.linkedin.values import optional_birthday, split_values
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.lib.rejected_values import Dropped
from pipelines.schemas.linkedin_contacts import LinkedinContactsSchema

HEADER = (
    "Source",
    "FirstName",
    "LastName",
    "Companies",
    "Title",
    "Emails",
    "PhoneNumbers",
    "CreatedAt",
    "Addresses",
    "Sites",
    "InstantMessageHandles",
    "FullName",
    "Birthday",
    "Location",
    "BookmarkedAt",
    "Profiles",
)
VARIANTS = (Variant("LinkedIn address book", HEADER),)


NOT_STORED = "(row not stored: contact rows hold phone numbers and addresses)"


def _row(table: CsvTable, record: Record) -> dict:
    first, last = table.column(record, "FirstName"), table.column(record, "LastName")
    name = table.column(record, "FullName").strip() or full_name(first, last)
    # A contact's name and addresses matter more than a birthday nobody can read: an unreadable
    # one is left out (a rejected value).
    birthday, month, day = optional_birthday(table.column(record, "Birthday"), "Birthday")
    # Addresses cannot contain commas, semicolons or spaces, so any of them separates two.
    emails = [e.lower() for e in split_values(table.column(record, "Emails"), ",; ")]
    profiles = split_values(table.column(record, "Profiles"), ", ")
    source = table.column(record, "Source").strip()
    return {
        "source": blank_to_none(source),
        "first_name": blank_to_none(first),
        "last_name": blank_to_none(last),
        "full_name": blank_to_none(name),
        "emails": list(dict.fromkeys(emails)),
        # Kept as written: company names contain commas (`Acme, Inc.`), so no list is guessed.
        "companies": blank_to_none(table.column(record, "Companies")),
        "title": blank_to_none(table.column(record, "Title")),
        "birthday": birthday,
        "birthday_month": month,
        "birthday_day": day,
        "profiles": profiles,
        "profile_slugs": [s for s in (profile_slug(p) for p in profiles) if s],
        "contact_key": stable_key(source.lower(), name.lower(), ",".join(sorted(emails))),
    }


def parse(data: bytes, source: SourceFile) -> ParsedFile:
    table = read_csv(data, VARIANTS)
    kept: dict[int, str] = {}  # record number -> the stored (redacted) raw text

    def to_row(table: CsvTable, record: Record) -> dict:
        row = _row(table, record)
        kept[record.record_number] = json.dumps(
            {
                k: v
                for k, v in row.items()
                if v and k != "contact_key" and not isinstance(v, Dropped)
            },
            default=str,
            ensure_ascii=False,
        )
        if not (row["full_name"] or row["emails"] or row["profiles"]):
            raise BadValue("no name, email address or profile: nothing Constellation can use")
        return row

    parsed = parse_records(table, to_row, LinkedinContactsSchema)
    parsed.raw = [kept[n] for n in parsed.rows["record_number"].to_list()]
    parsed.rejected = [
        Rejected(r.record_number, r.line_number, kept.get(r.record_number, NOT_STORED), r.reason)
        for r in parsed.rejected
    ]
    return parsed
