"""`Invitations.csv`: connection invitations still pending at export time, sent and received.

Variants (see shared/formats/linkedin.md), told apart by the header: 2018–2022 (names only),
Jan 2024 (member URNs of inviter and invitee) and 2024–2026 (their profile URLs).
"""

from __future__ import annotations

from pipelines.lib.csvfile import CsvTable, Record, Variant, read_csv
from pipelines.lib.dates import BadValue, parse_timestamp
from pipelines.lib.inbox import SourceFile
from pipelines.lib.keys import stable_key
from pipelines.lib.linkedin.common import blank_to_none, profile_slug
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.schemas.linkedin_invitations import LinkedinInvitationsSchema

PLAIN = ("From", "To", "Sent At", "Message", "Direction")
VARIANTS = (
    Variant("2018-2022", PLAIN),
    Variant("Jan 2024 (member URNs)", (*PLAIN, "inviterProfileUrn", "inviteeProfileUrn")),
    Variant("2024-2026 (profile URLs)", (*PLAIN, "inviterProfileUrl", "inviteeProfileUrl")),
)
# `12/15/24, 7:47 AM`; the four-digit year is what Excel writes when it re-saves the file.
DATE_FORMATS = ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%Y %H:%M")


def _row(table: CsvTable, record: Record) -> dict:
    sent = table.column(record, "Sent At")
    if not sent.strip():
        raise BadValue("Sent At is empty")
    sent_at = parse_timestamp(sent, DATE_FORMATS, "Sent At")
    from_name = blank_to_none(table.column(record, "From"))
    to_name = blank_to_none(table.column(record, "To"))
    direction = table.column(record, "Direction").strip().upper()
    message = blank_to_none(table.column(record, "Message"))
    inviter_url = blank_to_none(table.get(record, "inviterProfileUrl"))
    invitee_url = blank_to_none(table.get(record, "inviteeProfileUrl"))
    return {
        "from_name": from_name,
        "to_name": to_name,
        "sent_at": sent_at,
        "message": message,
        "has_note": message is not None,
        "direction": direction,
        "inviter_profile_urn": blank_to_none(table.get(record, "inviterProfileUrn")),
        "invitee_profile_urn": blank_to_none(table.get(record, "inviteeProfileUrn")),
        "inviter_profile_url": inviter_url,
        "invitee_profile_url": invitee_url,
        "inviter_slug": profile_slug(inviter_url) if inviter_url else None,
        "invitee_slug": profile_slug(invitee_url) if invitee_url else None,
        # Names, time and direction are in every variant, so the same pending invitation in an
        # older and a newer export gets the same key.
        "invitation_key": stable_key(direction, sent_at.isoformat(), from_name, to_name),
    }


def parse(data: bytes, source: SourceFile) -> ParsedFile:
    return parse_records(read_csv(data, VARIANTS), _row, LinkedinInvitationsSchema)
