"""`messages.csv` (`Messages.csv` in 2018) and its same-schema companions (`guide_messages.csv`,
`coach_messages.csv`, `learning_coach_messages.csv`, `learning_role_play_messages.csv`).

Eras (see shared/formats/linkedin.md), told apart by the header: 2018 (From/To/Direction),
2021–mid-2023, mid-2023–2024 (recipient profile URLs), Dec 2024 (draft flags), 2025 (attachments,
with or without the message-draft flag) and Mar 2026 (the 2025 header, every field quoted, real
line breaks inside content). A file holding only `No conversations found` loads 0 rows.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pipelines.lib.csvfile import CsvTable, Record, Variant, decode, read_csv
from pipelines.lib.dates import BadValue, parse_timestamp
from pipelines.lib.inbox import SourceFile
from pipelines.lib.keys import stable_key
from pipelines.lib.linkedin.common import blank_to_none, profile_slug
from pipelines.lib.loading import ParsedFile, frame_from_rows, parse_records
from pipelines.lib.rejected_values import Dropped, optional
from pipelines.schemas.linkedin_messages import LinkedinMessagesSchema

V2018 = ("From", "To", "Date", "Subject", "Content", "Direction", "Folder")
V2021 = (
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
)
V2023 = (*V2021[:5], "RECIPIENT PROFILE URLS", *V2021[5:])
VARIANTS = (
    Variant("2018 (Messages.csv)", V2018),
    Variant("2021-2023", V2021),
    Variant("2023-2024 (recipient URLs)", V2023),
    Variant("Dec 2024 (draft flags)", (*V2023, "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT")),
    Variant("2025 (attachments)", (*V2023, "ATTACHMENTS")),
    Variant("2025 (attachments, draft flag)", (*V2023, "ATTACHMENTS", "IS MESSAGE DRAFT")),
)
ALL_QUOTED_VARIANT = "2026 (all quoted)"
NO_RECORDS_VARIANT = "no conversations"
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S %Z", "%Y-%m-%d %H:%M:%S", "%m/%d/%y, %I:%M %p")
# A file LinkedIn writes when there is nothing to export: one line, no header.
NO_RECORDS = re.compile(r"^no (conversations|messages) found\.?$", re.IGNORECASE)
# Mail-merge placeholders left in sponsored InMail (`Hi %FIRSTNAME%`).
PLACEHOLDER = re.compile(r"%(FIRST_?NAME|LAST_?NAME|FULL_?NAME|COMPANY_?NAME)%", re.IGNORECASE)
SOURCES = {
    "messages.csv": "member",
    "guide_messages.csv": "guide",
    "coach_messages.csv": "coach",
    "learning_coach_messages.csv": "learning_coach",
    "learning_role_play_messages.csv": "learning_role_play",
}
YES_NO = {"yes": True, "no": False, "": None}


def conversation_source(path: str) -> str:
    """Who the conversations are with: `member` for people, else the LinkedIn assistant."""
    name = re.sub(r"[\s_]+", "_", PurePosixPath(path).name.strip().lower())
    name = re.sub(r"_\d+(\.csv)$", r"\1", name)  # 2026 numeric suffixes
    return SOURCES.get(name, "member")


def split_names(text: str, expected: int | None) -> list[str]:
    """The names of a `TO` field. Names are joined by `,` without a space, and a name may itself
    contain `, ` (`Rezaee, PhD`), so a piece that starts with a space continues the previous
    name. `expected` is the number of recipient URLs when the era gives them."""
    text = text.strip()
    if not text:
        return []
    if expected == 1:
        return [text]
    pieces = text.split(",")
    merged: list[str] = []
    for piece in pieces:
        if merged and (piece[:1].isspace() or not piece.strip()):
            merged[-1] += "," + piece
        else:
            merged.append(piece)
    if expected and len(merged) != expected and len(pieces) == expected:
        merged = pieces
    return [name.strip() for name in merged]


def _yes_no(value: str, column: str) -> bool | None:
    try:
        return YES_NO[value.strip().lower()]
    except KeyError:
        raise BadValue(f"{column} {value!r} is neither Yes nor No") from None


def _is_draft(flags: list[bool | Dropped | None]) -> bool | Dropped | None:
    """Yes when either draft flag says Yes; else a flag that is neither Yes nor No is left out
    (a rejected value); else No when a flag says so; None when the era has no flags."""
    if any(flag is True for flag in flags):
        return True
    unreadable = [flag for flag in flags if isinstance(flag, Dropped)]
    if unreadable:
        return unreadable[0]
    return False if any(flag is False for flag in flags) else None


def _row(table: CsvTable, record: Record, source: str) -> dict:
    header = table.variant.header
    if header == V2018:
        get = {
            "FROM": "From",
            "TO": "To",
            "DATE": "Date",
            "SUBJECT": "Subject",
            "CONTENT": "Content",
            "FOLDER": "Folder",
        }
        value = {key: table.column(record, name) for key, name in get.items()}
        direction = blank_to_none(table.column(record, "Direction").upper())
    else:
        value = {name: table.column(record, name) for name in header}
        direction = None
    date = value["DATE"]
    if not date.strip():
        raise BadValue("DATE is empty")
    sent_at = parse_timestamp(date, DATE_FORMATS, "DATE")
    sender_url = value.get("SENDER PROFILE URL", "").strip()
    sender_slug = profile_slug(sender_url) if sender_url else None
    sender_name = blank_to_none(value["FROM"])
    has_urls = "RECIPIENT PROFILE URLS" in value
    urls = [u.strip() for u in value.get("RECIPIENT PROFILE URLS", "").split(",") if u.strip()]
    names = split_names(value["TO"], len(urls) if has_urls else None)
    content = blank_to_none(value["CONTENT"])
    title = blank_to_none(value.get("CONVERSATION TITLE", ""))
    drafts = [
        optional(_yes_no, value[column], column)
        for column in ("IS MESSAGE DRAFT", "IS CONVERSATION DRAFT")
        if column in value
    ]
    conversation_id = blank_to_none(value.get("CONVERSATION ID", ""))
    return {
        "conversation_id": conversation_id,
        "conversation_title": title,
        "sender_name": sender_name,
        "sender_profile_url": blank_to_none(sender_url),
        "sender_slug": sender_slug,
        "recipient_names": names,
        "recipient_profile_urls": urls if has_urls else None,
        "recipient_slugs": [profile_slug(u) for u in urls] if has_urls else None,
        "sent_at": sent_at,
        "subject": blank_to_none(value["SUBJECT"]),
        "content": content,
        "folder": blank_to_none(value["FOLDER"].upper()),
        "direction_2018": direction,
        "is_draft": _is_draft(drafts),
        "attachments": blank_to_none(value.get("ATTACHMENTS", "")),
        "is_sponsored": not sender_url
        and (
            (title or "").lower() == "sponsored conversation"
            or bool(PLACEHOLDER.search(content or ""))
        ),
        "conversation_source": source,
        # The same message in two overlapping exports gets the same key; the era-specific
        # columns (recipient URLs, drafts, attachments) stay out of it so eras agree too.
        "message_key": stable_key(
            source,
            conversation_id,
            sent_at.isoformat() if sent_at else None,
            sender_slug or (sender_name or "").lower(),
            content,
        ),
    }


def parse(data: bytes, source: SourceFile) -> ParsedFile:
    conversation = conversation_source(source.path)
    text, notes = decode(data)
    if NO_RECORDS.match(text.strip()):
        return ParsedFile(
            NO_RECORDS_VARIANT,
            frame_from_rows([], LinkedinMessagesSchema),
            [],
            notes=[*notes, f"the file says {text.strip()!r}: no messages to load"],
        )
    table = read_csv(data, VARIANTS)
    parsed = parse_records(table, lambda t, r: _row(t, r, conversation), LinkedinMessagesSchema)
    if data.lstrip(b"\xef\xbb\xbf").startswith(b'"CONVERSATION ID"'):
        # Mar 2026 quotes every field of the 2025 header; other quoted headers keep their era.
        all_quoted = table.variant.name == "2025 (attachments)"
        parsed.variant = ALL_QUOTED_VARIANT if all_quoted else f"{parsed.variant}, all quoted"
    return parsed
