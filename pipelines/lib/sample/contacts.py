"""The sample owner's Google Contacts export and her hand-kept interaction log.

- `Google Contacts/contacts.csv`: Google's current layout with a UTF-8 byte-order mark, as many
  `E-mail N` groups as the widest contact needs, ` ::: ` between several values of one cell,
  `* myContacts` labels, birthdays as `1986-12-09` or `--12-09` (no year), phone numbers (which
  Constellation does not store) and one row cut short (quarantined).
- `interaction_log.csv`: the documented template (`data/templates/interaction_log.csv`) with
  the meetings she wrote down by hand. She mostly types ISO dates and sometimes `14/03/2024`
  (Swedish order), which the file's other day-first dates settle; one date that does not exist
  (`31/04/2024`) is quarantined.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from pipelines.lib.sample.cast import OWNER, Cast, Contact

GOOGLE_FIXED = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
]
LOG_HEADER = ["date", "person", "email", "linkedin_url", "channel", "direction", "kind", "note"]
CHANNEL = {"meeting": "meeting", "coffee": "coffee", "lunch": "coffee", "call": "call"}
LABELS = {"inner": "Friends", "close": "Former colleagues", "active": "Work"}


def generate(out: Path, cast: Cast, rng: random.Random, scale: int) -> list[Path]:
    folder = out / "Google Contacts"
    folder.mkdir(parents=True, exist_ok=True)
    contacts = folder / "contacts.csv"
    contacts.write_bytes(_google_contacts(cast, rng))
    log = out / "interaction_log.csv"
    log.write_bytes(_interaction_log(cast, rng))
    return [contacts, log]


def _in_address_book(contact: Contact) -> bool:
    return bool(contact.emails or contact.phone or contact.birthday)


def _google_contacts(cast: Cast, rng: random.Random) -> bytes:
    people = [c for c in cast.contacts if _in_address_book(c)]
    width = max(len(c.emails) for c in people)
    header = list(GOOGLE_FIXED)
    for n in range(1, width + 1):
        header += [f"E-mail {n} - Label", f"E-mail {n} - Value"]
    header += ["Phone 1 - Label", "Phone 1 - Value"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for contact in people:
        job = contact.job_at(cast.end)
        labels = ["* myContacts"] + ([LABELS[contact.tier]] if contact.tier in LABELS else [])
        row = dict.fromkeys(header, "")
        row.update(
            {
                "First Name": contact.first_name,
                "Last Name": contact.last_name,
                "File As": contact.full_name,
                "Organization Name": job.company if rng.random() < 0.7 else "",
                "Organization Title": job.title if rng.random() < 0.5 else "",
                "Birthday": _birthday(contact),
                "Labels": " ::: ".join(labels),
                "Phone 1 - Label": "Mobile" if contact.phone else "",
                "Phone 1 - Value": contact.phone or "",
            }
        )
        emails = list(contact.emails)
        if len(emails) > 1 and rng.random() < 0.3:  # Google sometimes packs both in one cell
            emails = [" ::: ".join(emails)]
        for n, email in enumerate(emails, start=1):
            row[f"E-mail {n} - Label"] = "* Work" if email == contact.work_email else "* Home"
            row[f"E-mail {n} - Value"] = email
        writer.writerow([row[h] for h in header])
    writer.writerow(["Quinn", "", "Harlow"])  # a row cut short by a bad copy: quarantined
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _birthday(contact: Contact) -> str:
    if not contact.birthday:
        return ""
    if contact.birthday_year_known:
        return contact.birthday.isoformat()
    return contact.birthday.strftime("--%m-%d")


def _interaction_log(cast: Cast, rng: random.Random) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LOG_HEADER)
    for meeting in cast.meetings:
        if not meeting.in_log or meeting.status == "CANCELLED":
            continue
        contact = cast.person(meeting.attendees[0])
        day = meeting.start.date()
        # She mostly types ISO dates, sometimes the Swedish day/month/year.
        date = day.strftime("%d/%m/%Y") if rng.random() < 0.15 else day.isoformat()
        by = rng.random()
        writer.writerow(
            [
                date,
                contact.full_name if by < 0.8 or not contact.emails else "",
                contact.emails[0] if contact.emails and by > 0.5 else "",
                contact.profile_url if contact.on_linkedin and by > 0.9 else "",
                CHANNEL[meeting.kind],
                "out" if meeting.organizer == OWNER else "in",
                meeting.give_ask or "neutral",
                meeting.note,
            ]
        )
    first = cast.contacts[0]
    writer.writerow(["31/04/2024", first.full_name, "", "", "coffee", "out", "", "typo in date"])
    return buffer.getvalue().encode("utf-8")
