"""Contact exports of address books: Google Contacts (current and ≤ 2022 layouts), Outlook
desktop, outlook.com and Thunderbird, all into `raw.contacts`.

The layout is told from the header by the columns it must contain, not the exact header: Google
adds `E-mail 3 - Value` when one contact has three addresses, Outlook versions differ in a
column or two. Only what the product uses is kept — names, email addresses, company, title,
birthday and labels. Phone numbers, postal addresses and notes are never stored, not even in
the quarantine: a row's stored raw text holds only the kept fields.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable

from pipelines.lib.contacts.dates import DMY, MDY, FileOrder, file_order, parse_day
from pipelines.lib.csvfile import CsvTable, Record, Rejected, read_csv, requires_columns
from pipelines.lib.dates import BadValue
from pipelines.lib.inbox import SourceFile
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.lib.rejected_values import Dropped
from pipelines.schemas.contacts import ContactsSchema

GOOGLE = "google"
GOOGLE_LEGACY = "google (2022 and earlier)"
OUTLOOK = "outlook desktop"
OUTLOOK_COM = "outlook.com"
THUNDERBIRD = "thunderbird"

# Most specific first: outlook.com and Outlook desktop share many column names.
VARIANTS = (
    requires_columns(GOOGLE, ("First Name", "Middle Name", "Last Name", "File As", "Labels")),
    requires_columns(GOOGLE_LEGACY, ("Name", "Given Name", "Family Name", "Group Membership")),
    requires_columns(OUTLOOK_COM, ("First Name", "Last Name", "Given Yomi", "Surname Yomi")),
    requires_columns(
        OUTLOOK, ("First Name", "Last Name", "Company", "Job Title", "E-mail Type", "Categories")
    ),
    requires_columns(THUNDERBIRD, ("First Name", "Last Name", "Display Name", "Primary Email")),
)
EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
GOOGLE_EMAIL = re.compile(r"^E-mail \d+ - Value$")
MULTI = " ::: "  # Google joins several values of one cell with this
NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")  # vCard-style birthday without a year
# Apple and Outlook write these years for "no year"; they are not real birth years.
SENTINEL_YEARS = {1, 1604, 1900, 4501}
OUTLOOK_EMPTY_DATE = {"0/0/00", "00/00/00", "0/0/0000", "1/1/4501"}


def _columns(table: CsvTable, record: Record, names: Iterable[str]) -> list[str]:
    return [table.get(record, name) for name in names]


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p.strip())


def _none(text: str) -> str | None:
    return text.strip() or None


def _emails(values: Iterable[str]) -> list[str | Dropped]:
    """Lower-cased distinct addresses; a value that is not an address (an Exchange X.500 path,
    a typo) is left out as `Dropped` (a rejected value)."""
    found: list[str | Dropped] = []
    for value in values:
        for part in value.split(MULTI):
            address = part.strip().strip("<>").lower()
            if address.startswith("mailto:"):
                address = address[len("mailto:") :]
            if not address:
                continue
            if not EMAIL.match(address):
                found.append(Dropped(part.strip(), f"{part.strip()!r} is not an e-mail address"))
            elif address not in found:
                found.append(address)
    return found


def _labels(text: str, separator: str) -> list[str]:
    """`* myContacts ::: Friends` -> [myContacts, Friends]; `*` marks Google's primary label."""
    labels = []
    for part in text.split(separator):
        label = part.strip().lstrip("*").strip()
        if label and label not in labels:
            labels.append(label)
    return labels


def _google_emails(table: CsvTable) -> list[str]:
    return [name for name in table.variant.header if GOOGLE_EMAIL.match(name)]


# (birthday with its year, month, day); `Dropped` in the first place when it cannot be read.
Birthday = tuple[dt.date | Dropped | None, int | None, int | None]


class _Birthdays:
    """Birthdays of one file, with the day/month order its unambiguous birthdays show."""

    def __init__(self, table: CsvTable) -> None:
        self.order: FileOrder = file_order(
            table.get(r, "Birthday") for r in table.records if table.variant.name != THUNDERBIRD
        )

    def parse(self, text: str) -> Birthday:
        """(birthday with its year or None, month, day); `Dropped` in the birthday's place when
        it cannot be read."""
        value = text.strip()
        if not value or value in OUTLOOK_EMPTY_DATE:
            return None, None, None
        if match := NO_YEAR.match(value):
            month, day = int(match.group(1)), int(match.group(2))
            return (None, month, day) if _valid(month, day) else _bad(value, "no such day")
        try:
            date = parse_day(value, "Birthday", order=self.order.order, mixed=self.order.mixed)
        except BadValue as exc:
            return _bad(value, str(exc))
        if date is None:
            return None, None, None
        if date.year in SENTINEL_YEARS:
            return None, date.month, date.day
        return date, date.month, date.day

    def from_parts(self, year: str, month: str, day: str) -> Birthday:
        if not (month.strip() and day.strip()):
            return None, None, None
        written = "-".join(part.strip() for part in (year, month, day) if part.strip())
        try:
            m, d = int(month), int(day)
            y = int(year) if year.strip() else None
        except ValueError:
            return _bad(written, "Birth Year/Month/Day are not numbers")
        if not _valid(m, d) or (y and y not in SENTINEL_YEARS and not _valid(m, d, y)):
            return _bad(written, "no such day")
        if y and y not in SENTINEL_YEARS:
            return dt.date(y, m, d), m, d
        return None, m, d


def _bad(value: str, why: str) -> Birthday:
    return Dropped(value, f"Birthday {value!r}: {why}"), None, None


def _valid(month: int, day: int, year: int = 2000) -> bool:
    try:
        dt.date(year, month, day)  # 2000 is a leap year, so 29 February is a valid birthday
    except ValueError:
        return False
    return True


def _fields(table: CsvTable, record: Record, birthdays: _Birthdays) -> dict:
    layout = table.variant.name

    def get(name: str) -> str:
        return table.get(record, name)

    if layout == GOOGLE:
        first, last = get("First Name"), get("Last Name")
        full = _join(get("Name Prefix"), first, get("Middle Name"), last, get("Name Suffix"))
        full = full or get("File As") or get("Nickname")
        emails = _columns(table, record, _google_emails(table))
        company, title = get("Organization Name"), get("Organization Title")
        birthday = birthdays.parse(get("Birthday"))
        labels = _labels(get("Labels"), MULTI)
    elif layout == GOOGLE_LEGACY:
        first, last = get("Given Name"), get("Family Name")
        full = get("Name") or _join(first, get("Additional Name"), last) or get("Nickname")
        emails = _columns(table, record, _google_emails(table))
        company, title = get("Organization 1 - Name"), get("Organization 1 - Title")
        birthday = birthdays.parse(get("Birthday"))
        labels = _labels(get("Group Membership"), MULTI)
    elif layout in (OUTLOOK, OUTLOOK_COM):
        first, last = get("First Name"), get("Last Name")
        full = _join(get("Title"), first, get("Middle Name"), last, get("Suffix"))
        emails = _columns(table, record, ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address"))
        company, title = get("Company"), get("Job Title")
        birthday = birthdays.parse(get("Birthday"))
        labels = _labels(get("Categories"), ";")
    else:  # Thunderbird
        first, last = get("First Name"), get("Last Name")
        full = get("Display Name") or _join(first, last) or get("Nickname")
        emails = _columns(table, record, ("Primary Email", "Secondary Email"))
        company, title = get("Organization"), get("Job Title")
        birthday = birthdays.from_parts(get("Birth Year"), get("Birth Month"), get("Birth Day"))
        labels = []
    return {
        "full_name": full,
        "first_name": first,
        "last_name": last,
        "emails": emails,
        "company": company,
        "title": title,
        "birthday": birthday,
        "labels": labels,
    }


def parse(data: bytes, source: SourceFile) -> ParsedFile:
    table = read_csv(data, VARIANTS)
    birthdays = _Birthdays(table)
    kept: dict[int, str] = {}  # record number -> the stored (redacted) raw text

    def to_row(table: CsvTable, record: Record) -> dict:
        f = _fields(table, record, birthdays)
        emails = _emails(f["emails"])
        good_emails = [e for e in emails if not isinstance(e, Dropped)]
        birthday, month, day = f["birthday"]
        row = {
            "source_layout": table.variant.name,
            "full_name": _none(f["full_name"]),
            "first_name": _none(f["first_name"]),
            "last_name": _none(f["last_name"]),
            "emails": emails,
            "company": _none(f["company"]),
            "title": _none(f["title"]),
            "birthday": birthday,
            "birthday_month": month,
            "birthday_day": day,
            "labels": f["labels"],
        }
        kept[record.record_number] = json.dumps(
            {
                k: good_emails if k == "emails" else v
                for k, v in row.items()
                if v and k != "source_layout" and not isinstance(v, Dropped)
            },
            default=str,
            ensure_ascii=False,
        )
        if not (row["full_name"] or good_emails or row["company"]):
            raise BadValue("no name, email address or company: nothing Constellation can use")
        return row

    parsed = parse_records(table, to_row, ContactsSchema)
    # Contact rows carry phone numbers and postal addresses: keep only the fields we store.
    parsed.raw = [kept[n] for n in parsed.rows["record_number"].to_list()]
    parsed.rejected = [_redacted(r, kept) for r in parsed.rejected]
    if table.variant.name == OUTLOOK and "Business Country" in table.variant.header:
        parsed.variant = "outlook desktop (older, Business Country)"
    notes = parsed.notes
    if birthdays.order.order in (DMY, MDY):
        notes.append(
            f"birthdays read as {'day/month' if birthdays.order.order == DMY else 'month/day'} (from the file's unambiguous dates)"
        )
    return parsed


def _redacted(rejected: Rejected, kept: dict[int, str]) -> Rejected:
    raw = kept.get(
        rejected.record_number,
        "(row not stored: contact rows hold phone numbers and addresses)",
    )
    return Rejected(rejected.record_number, rejected.line_number, raw, rejected.reason)
