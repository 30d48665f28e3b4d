"""Which kind of input each file is, decided from its name and, where names are ambiguous, its
first bytes. One place for this, so every file gets exactly one kind (or is listed as skipped
with the reason) and no two loaders claim the same file.

A kind is named after the raw table it loads into: kind `linkedin_connections` fills
`raw.linkedin_connections`.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pipelines.lib.contacts import address_book, interaction_log
from pipelines.lib.csvfile import UnreadableFile, find_variant
from pipelines.lib.inbox import SourceFile
from pipelines.lib.mail.sources import mail_kind


def _norm(name: str) -> str:
    """`Endorsement Received Info.csv` and `Endorsement_Received_Info.csv` alike."""
    return re.sub(r"[\s_]+", "_", name.strip().lower())


# LinkedIn export files by normalised name. Since 2026 some names carry a numeric suffix
# (`Comments_<id>.csv`), stripped before the lookup.
LINKEDIN_FILES = {
    "connections.csv": "linkedin_connections",
    "messages.csv": "linkedin_messages",
    "guide_messages.csv": "linkedin_messages",
    "coach_messages.csv": "linkedin_messages",
    "learning_coach_messages.csv": "linkedin_messages",
    "learning_role_play_messages.csv": "linkedin_messages",
    "invitations.csv": "linkedin_invitations",
    "endorsement_received_info.csv": "linkedin_endorsements_received",
    "endorsement_given_info.csv": "linkedin_endorsements_given",
    "recommendations_received.csv": "linkedin_recommendations_received",
    "recommendations_given.csv": "linkedin_recommendations_given",
    "profile.csv": "linkedin_profile",
    "email_addresses.csv": "linkedin_email_addresses",
    "positions.csv": "linkedin_positions",
    "events.csv": "linkedin_events",
    "company_follows.csv": "linkedin_company_follows",
}
# LinkedIn's own address book; Google also names its export contacts.csv, so the header decides.
LINKEDIN_CONTACTS_NAMES = {"contacts.csv", "importedcontacts.csv", "imported_contacts.csv"}
LINKEDIN_CONTACTS_HEADER = b"Source,FirstName,LastName"
NUMERIC_SUFFIX = re.compile(r"_\d+(\.csv)$")


def head(source: SourceFile, size: int = 4096) -> bytes:
    """The first bytes of a file, for sniffing a header."""
    with source.open() as handle:
        return handle.read(size)


def linkedin_kind(source: SourceFile) -> str | None:
    name = _norm(PurePosixPath(source.path).name)
    name = NUMERIC_SUFFIX.sub(r"\1", name)
    if name in LINKEDIN_FILES:
        return LINKEDIN_FILES[name]
    if name in LINKEDIN_CONTACTS_NAMES and head(source).lstrip(b"\xef\xbb\xbf").startswith(
        LINKEDIN_CONTACTS_HEADER
    ):
        return "linkedin_contacts"
    return None


def contacts_calendar_kind(source: SourceFile) -> str | None:
    """`.ics` -> calendar_events. A CSV by its header: an address-book export (Google, Outlook,
    Thunderbird) -> contacts, the interaction log (template or mapped headers) ->
    interaction_log. A CSV whose header is not recognised but whose name says what it is meant
    to be (`contacts.csv`, `Interaction log.csv`) gets that kind anyway, so the user sees a
    failed load explaining the header instead of a silently skipped file."""
    suffix = PurePosixPath(source.path).suffix.lower()
    if suffix == ".ics":
        return "calendar_events"
    if suffix != ".csv":
        return None
    start = head(source, 65536)
    if find_variant(start, address_book.VARIANTS):
        return "contacts"
    try:
        log_variant = interaction_log.variant(interaction_log.configured())
    except UnreadableFile:  # an invalid configuration is reported by the loader, not here
        log_variant = interaction_log.variant(interaction_log.LogConfig({}))
    if find_variant(start, (log_variant,)):
        return "interaction_log"
    name = _norm(PurePosixPath(source.path).name)
    if "interaction" in name:
        return "interaction_log"
    if "contacts" in name and not source.container:
        return "contacts"
    return None


# Classifiers in order; the first that names a kind wins. Other loaders add theirs here.
CLASSIFIERS = [linkedin_kind, contacts_calendar_kind, mail_kind]


def kind_of(source: SourceFile) -> str | None:
    """The kind of a file, or None when Constellation does not read it."""
    for classify in CLASSIFIERS:
        kind = classify(source)
        if kind:
            return kind
    return None


def _part_of_an_export(source: SourceFile) -> bool:
    return bool(source.container) and PurePosixPath(source.path).suffix.lower() == ".csv"


def skip_kind(source: SourceFile) -> str:
    """What the load report calls a file with no kind: a known export's file it leaves alone
    (`Skills.csv`) is not an unknown file."""
    return "export file, not used" if _part_of_an_export(source) else "not read"


def skip_reason(source: SourceFile) -> str:
    """Why a file with no kind is left alone, in words a user understands."""
    if _part_of_an_export(source):
        return "a file of the export that Constellation does not use"
    return "not a file type Constellation reads"
