"""Two LinkedIn data exports of the sample owner, byte-faithful to the 2024 formats.

- `Basic_LinkedInDataExport_06-14-2024/` (unpacked folder): `messages.csv` with the mid-2023–2024
  header (`RECIPIENT PROFILE URLS`, no draft columns).
- `Complete_LinkedInDataExport_12-16-2024.zip` (read in place by the inbox scan):
  `messages.csv` with the Dec 2024 header (`IS MESSAGE DRAFT`, `IS CONVERSATION DRAFT`), every
  message of the first export again plus the newer ones, a draft, and the new company/title of
  the contacts who changed jobs.

Both carry `Connections.csv` (Notes preamble, blank line, URL column, no newline after the last
row, hidden-profile rows, a few e-mail addresses), `Invitations.csv` (2024 variant with profile
URLs), endorsements and recommendations given and received, `Profile.csv`,
`Email Addresses.csv`, `Positions.csv` and a `Skills.csv` Constellation does not read.
A handful of deliberately bad rows (a wrong field count, impossible dates) exercise quarantine.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import random
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.sample.cast import OWNER, Cast, Contact, Thread

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
CONNECTIONS_PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
CONNECTIONS_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
MESSAGES_HEADER = [
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
]
DRAFT_COLUMNS = ["IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
INVITATIONS_HEADER = [
    "From",
    "To",
    "Sent At",
    "Message",
    "Direction",
    "inviterProfileUrl",
    "inviteeProfileUrl",
]
ENDORSEMENT_RECEIVED_HEADER = [
    "Endorsement Date",
    "Skill Name",
    "Endorser First Name",
    "Endorser Last Name",
    "Endorser Public Url",
    "Endorsement Status",
]
ENDORSEMENT_GIVEN_HEADER = [
    "Endorsement Date",
    "Skill Name",
    "Endorsee First Name",
    "Endorsee Last Name",
    "Endorsee Public Url",
    "Endorsement Status",
]
RECOMMENDATIONS_HEADER = [
    "First Name",
    "Last Name",
    "Company",
    "Job Title",
    "Text",
    "Creation Date",
    "Status",
]
PROFILE_HEADER = [
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
]
EMAIL_ADDRESSES_HEADER = ["Email Address", "Confirmed", "Primary", "Updated On"]
POSITIONS_HEADER = ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"]

OWNER_SKILLS = (
    "Data Engineering",
    "Python",
    "SQL",
    "Data Modeling",
    "Apache Airflow",
    "Data Quality",
    "Mentoring",
    "DuckDB",
)
SPONSORED_HTML = (
    "<p>Hi %FIRSTNAME%,</p><p>Lumen Ridge Capital is growing its data platform team in "
    "Gothenburg. Would you be open to a <b>confidential</b> conversation?</p>"
    '<p><a href="https://careers.lumenridge.example/data">See open roles</a></p>'
)
RECOMMENDATION_TEXTS = (
    "Maya rebuilt our reporting pipeline in three months, and she did it while mentoring two "
    'junior engineers. She is the person you want when a project is "impossible".',
    "I worked with Maya on the data quality programme. Calm, precise, generous with her time, "
    "and very good at explaining trade-offs to people outside engineering.",
    "Maya has a rare mix: deep technical skill, and the habit of making everyone around her "
    "better. Any team would be lucky to have her.",
    "{first} joined my team as an analyst and quickly became the person everyone asked about "
    "the numbers. Thoughtful, reliable, and kind.",
    "I mentored {first} for a year. {first} asks sharp questions, follows through, and is ready "
    "for a lead role.",
)


@dataclass(frozen=True)
class Raw:
    """A line written verbatim: for the deliberately malformed rows."""

    line: str


@dataclass(frozen=True)
class Export:
    day: dt.date
    later: bool  # the second export: new header variant, draft, changed jobs

    @property
    def name(self) -> str:
        kind = "Complete" if self.later else "Basic"
        return f"{kind}_LinkedInDataExport_{self.day:%m-%d-%Y}"


@dataclass
class History:
    """What both exports draw from, decided once so the exports agree with each other."""

    hidden: list[dt.date]  # connections whose profile is hidden: only a date survives
    shares_email: set[int]  # contacts who let connections see their address
    endorsements_received: list[tuple[dt.datetime, str, Contact]]
    endorsements_given: list[tuple[dt.datetime, str, Contact]]
    recommendations_received: list[tuple[dt.datetime, str, Contact]]
    recommendations_given: list[tuple[dt.datetime, str, Contact]]
    pending_invites: list[tuple[dt.datetime, Contact]]  # sent by the owner, never accepted


def generate(out: Path, cast: Cast, rng: random.Random, scale: int) -> list[Path]:
    """Write the June 2024 export as a folder and the December 2024 export as a zip."""
    history = _history(cast, rng)
    first, later = (Export(cast.exports[0], False), Export(cast.exports[1], True))
    written: list[Path] = []
    folder = out / first.name
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in _files(cast, history, first).items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    archive = out / f"{later.name}.zip"
    stamp = (later.day.year, later.day.month, later.day.day, 3, 12, 0)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _files(cast, history, later).items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    written.append(archive)
    return written


# --- formatting --------------------------------------------------------------------------------


def _csv(
    header: Sequence[str], rows: Iterable[Sequence[str] | Raw], *, final_newline: bool = True
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        if isinstance(row, Raw):
            buffer.write(row.line + "\n")
        else:
            writer.writerow(row)
    text = buffer.getvalue()
    return (text if final_newline else text.removesuffix("\n")).encode("utf-8")


def _connected_on(day: dt.date) -> str:
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def _utc(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _us_short(moment: dt.datetime, *, pad: bool) -> str:
    """`12/15/24, 7:47 AM` (invitations) or, padded, `04/15/24, 09:25 PM` (recommendations)."""
    hour = moment.hour % 12 or 12
    ampm = "AM" if moment.hour < 12 else "PM"
    if pad:
        return f"{moment:%m/%d/%y}, {hour:02d}:{moment:%M} {ampm}"
    return f"{moment.month}/{moment.day}/{moment:%y}, {hour}:{moment:%M} {ampm}"


def _bare_url(contact: Contact) -> str:
    return f"www.linkedin.com/in/{contact.slug}"


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    seconds = rng.randrange(7 * 3600, 22 * 3600)
    return dt.datetime.combine(day, dt.time(), dt.UTC) + dt.timedelta(seconds=seconds)


def _after(rng: random.Random, first: dt.date, last: dt.date) -> dt.datetime:
    days = max(1, (last - first).days)
    return _moment(rng, first + dt.timedelta(days=rng.randrange(days)))


# --- the shared history ------------------------------------------------------------------------


def _history(cast: Cast, rng: random.Random) -> History:
    connected = [c for c in cast.contacts if c.story.connected_on]
    hidden = sorted(
        _after(rng, cast.start - dt.timedelta(days=300), cast.end).date()
        for _ in range(max(2, round(len(connected) * 0.015)))
    )
    shares_email = {c.id for c in rng.sample(connected, max(2, round(len(connected) * 0.02)))}
    endorsements_received, endorsements_given = [], []
    recommendations_received, recommendations_given = [], []
    for c in connected:
        since = max(c.story.connected_on, cast.start)
        if c.tier != "acquaintance" and rng.random() < 0.3:
            for skill in rng.sample(OWNER_SKILLS, rng.randrange(1, 4)):
                endorsements_received.append((_after(rng, since, cast.end), skill, c))
        if c.tier in ("inner", "close", "active") and rng.random() < 0.2:
            skill = rng.choice((c.job_before.function, "Leadership", "Python", "Research"))
            endorsements_given.append((_after(rng, since, cast.end), skill, c))
    strong = [c for c in connected if c.tier in ("inner", "close")]
    for i, c in enumerate(rng.sample(strong, min(len(strong), 5))):
        text = RECOMMENDATION_TEXTS[i].format(first=c.first_name or c.last_name)
        target = recommendations_received if i < 3 else recommendations_given
        target.append((_after(rng, max(c.story.connected_on, cast.start), cast.end), text, c))
    off_linkedin = [c for c in cast.contacts if not c.on_linkedin]
    pending = [
        (_after(rng, cast.end - dt.timedelta(days=120), cast.end), c)
        for c in rng.sample(off_linkedin, min(len(off_linkedin), 3))
    ]
    return History(
        hidden,
        shares_email,
        endorsements_received,
        endorsements_given,
        recommendations_received,
        recommendations_given,
        pending,
    )


# --- the files of one export -------------------------------------------------------------------


def _files(cast: Cast, history: History, export: Export) -> dict[str, bytes]:
    return {
        "Connections.csv": _connections(cast, history, export),
        "messages.csv": _messages(cast, export),
        "Invitations.csv": _invitations(cast, history, export),
        "Endorsement_Received_Info.csv": _endorsements(
            ENDORSEMENT_RECEIVED_HEADER, history.endorsements_received, export
        ),
        "Endorsement_Given_Info.csv": _endorsements(
            ENDORSEMENT_GIVEN_HEADER, history.endorsements_given, export
        ),
        "Recommendations_Received.csv": _recommendations(history.recommendations_received, export),
        "Recommendations_Given.csv": _recommendations(history.recommendations_given, export),
        "Profile.csv": _profile(cast, export),
        "Email Addresses.csv": _email_addresses(cast),
        "Positions.csv": _positions(cast, export),
        "Skills.csv": _csv(["Name"], [[s] for s in OWNER_SKILLS]),
    }


def _connections(cast: Cast, history: History, export: Export) -> bytes:
    dated: list[tuple[dt.date, int, list[str] | Raw]] = []
    for c in cast.contacts:
        day = c.story.connected_on
        if day is None or day > export.day:
            continue
        job = c.job_at(export.day)
        email = (c.personal_email or c.work_email or "") if c.id in history.shares_email else ""
        row = [c.first_name, c.last_name, c.profile_url, email, job.company, job.title]
        dated.append((day, c.id, [*row, _connected_on(day)]))
    for i, day in enumerate(history.hidden):
        if day <= export.day:
            dated.append((day, -i, ["", "", "", "", "", "", _connected_on(day)]))
    dated.sort(key=lambda item: (item[0], item[1]), reverse=True)  # newest first, as LinkedIn
    rows = [row for _, _, row in dated]
    if not export.later:
        # A date that does not exist: the row must land in quarantine, not vanish.
        rows.insert(
            7,
            [
                "Quinn",
                "Harlow",
                "https://www.linkedin.com/in/quinn-harlow-0b0b0b",
                "",
                "Tidewater Logistics",
                "Dispatcher",
                "31 Jun 2024",
            ],
        )
    return CONNECTIONS_PREAMBLE.encode() + _csv(CONNECTIONS_HEADER, rows, final_newline=False)


def _conversation_id(cast: Cast, key: str) -> str:
    digest = hashlib.sha256(f"{cast.seed}:{key}".encode()).hexdigest()
    uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    return "2-" + base64.b64encode(f"{uuid}_010".encode()).decode()


def _person(cast: Cast, pid: int) -> tuple[str, str]:
    if pid == OWNER:
        return cast.owner.full_name, cast.owner.profile_url
    contact = cast.person(pid)
    return contact.full_name, contact.profile_url


def _messages(cast: Cast, export: Export) -> bytes:
    header = MESSAGES_HEADER + (DRAFT_COLUMNS if export.later else [])
    extra = ["No", "No"] if export.later else []
    conversations: list[tuple[dt.datetime, list[list[str]]]] = []
    threads = [t for t in cast.threads if t.channel == "linkedin"]
    for thread in threads:
        conversation = _thread_rows(cast, thread, export, extra)
        if conversation:
            conversations.append(conversation)
    conversations.extend(_special_conversations(cast, export, extra))
    conversations = _merge_conversations(conversations)
    # Newest conversation first, newest message first within it, as LinkedIn writes them.
    conversations.sort(key=lambda conv: (conv[0], conv[1][0][0]), reverse=True)
    rows: list[list[str] | Raw] = [row for _, conv in conversations for row in conv]
    if export.later:
        # A row cut short (fields missing), as when a file is truncated by hand.
        rows.insert(
            11, Raw(f"{_conversation_id(cast, 'broken')},,Kai Lambert,,2024-11-02 09:14:55 UTC")
        )
    return _csv(header, rows)


def _merge_conversations(
    conversations: list[tuple[dt.datetime, list[list[str]]]],
) -> list[tuple[dt.datetime, list[list[str]]]]:
    """One block per conversation id (the draft joins its thread), newest message first."""
    blocks: dict[str, list[list[str]]] = {}
    for _, rows in conversations:
        blocks.setdefault(rows[0][0], []).extend(rows)
    merged = []
    for rows in blocks.values():
        rows.sort(key=lambda row: row[6], reverse=True)  # DATE sorts as text
        merged.append((dt.datetime.strptime(rows[0][6], "%Y-%m-%d %H:%M:%S UTC"), rows))
    return merged


def _thread_rows(
    cast: Cast, thread: Thread, export: Export, extra: list[str]
) -> tuple[dt.datetime, list[list[str]]] | None:
    messages = [m for m in thread.messages if m.sent_at.date() <= export.day]
    if not messages:
        return None
    cid = _conversation_id(cast, thread.id)
    title = thread.subject if len(thread.participants) > 2 else ""
    folder = "ARCHIVE" if messages[-1].sent_at.year < 2023 and len(cid) % 3 == 0 else "INBOX"
    rows = []
    for m in sorted(messages, key=lambda m: m.sent_at, reverse=True):
        sender, sender_url = _person(cast, m.sender)
        recipients = [_person(cast, p) for p in cast.recipients(thread, m)]
        rows.append(
            [
                cid,
                title,
                sender,
                sender_url,
                ",".join(name for name, _ in recipients),
                ",".join(url for _, url in recipients),
                _utc(m.sent_at),
                "",
                m.text,
                folder,
                *extra,
            ]
        )
    return messages[-1].sent_at, rows


def _special_conversations(
    cast: Cast, export: Export, extra: list[str]
) -> list[tuple[dt.datetime, list[list[str]]]]:
    """A sponsored InMail, a recruiter's InMail and, in the later export, an unsent draft."""
    owner, owner_url = cast.owner.full_name, cast.owner.profile_url
    sponsored_at = dt.datetime(2024, 3, 5, 9, 0, 12, tzinfo=dt.UTC)
    recruiter_at = dt.datetime(2024, 5, 21, 13, 40, 2, tzinfo=dt.UTC)
    found = [
        (
            sponsored_at,
            [
                [
                    _conversation_id(cast, "sponsored"),
                    "Sponsored Conversation",
                    "Lumen Ridge Capital",
                    "",
                    owner,
                    owner_url,
                    _utc(sponsored_at),
                    "Maya, your next move in data?",
                    SPONSORED_HTML,
                    "INBOX",
                    *extra,
                ]
            ],
        ),
        (
            recruiter_at,
            [
                [
                    _conversation_id(cast, "recruiter"),
                    "",
                    "Rowan Pike",
                    "https://www.linkedin.com/in/rowan-pike-talent-77e1a0",
                    owner,
                    owner_url,
                    _utc(recruiter_at),
                    "Staff Data Engineer opportunity",
                    "Hi Maya,\nI came across your profile and think you'd be a great fit for a "
                    "Staff Data Engineer role with one of our clients. Open to a quick chat?",
                    "INBOX",
                    *extra,
                ]
            ],
        ),
    ]
    if export.later:
        found.append(_draft(cast, export))
    return found


def _draft(cast: Cast, export: Export) -> tuple[dt.datetime, list[list[str]]]:
    """An unsent reply, two days before the later export, in Maya's latest 1:1 conversation."""
    thread = next(
        t for t in reversed(cast.threads) if t.channel == "linkedin" and len(t.participants) == 1
    )
    contact = cast.person(thread.participants[0])
    at = dt.datetime.combine(export.day - dt.timedelta(days=2), dt.time(21, 3, 44), dt.UTC)
    row = [
        _conversation_id(cast, thread.id),
        "",
        cast.owner.full_name,
        cast.owner.profile_url,
        contact.full_name,
        contact.profile_url,
        _utc(at),
        "",
        "Hi! Could you send me the slides from Tuesday by Friday? I'd like to",
        "INBOX",
        "Yes",
        "No",
    ]
    return at, [row]


def _invitations(cast: Cast, history: History, export: Export) -> bytes:
    owner, owner_url = cast.owner.full_name, cast.owner.profile_url
    rng = random.Random(f"{cast.seed}:invitations")  # same sending moments in both exports
    dated: list[tuple[dt.datetime, list[str]]] = []
    for c in cast.contacts:
        day = c.story.connected_on
        if day is None or day > export.day or (export.day - day).days > 365:
            continue
        sent = _moment(rng, day - dt.timedelta(days=rng.choice((0, 0, 1, 2))))
        by_owner = c.story.invited_by_owner
        note = c.story.invite_note or ""
        ends = [(owner, owner_url), (c.full_name, c.profile_url)]
        (from_name, from_url), (to_name, to_url) = ends if by_owner else ends[::-1]
        direction = "OUTGOING" if by_owner else "INCOMING"
        dated.append(
            (
                sent,
                [from_name, to_name, _us_short(sent, pad=False), note, direction, from_url, to_url],
            )
        )
    for sent, c in history.pending_invites:
        if sent.date() <= export.day:
            row = [owner, c.full_name, _us_short(sent, pad=False), "", "OUTGOING", owner_url]
            dated.append((sent, [*row, c.profile_url]))
    dated.sort(key=lambda item: item[0], reverse=True)
    rows: list[list[str]] = [row for _, row in dated]
    if export.later:
        bad = ["Ines Quist", owner, "13/45/24, 7:47 AM", "", "INCOMING"]
        rows.insert(3, [*bad, "https://www.linkedin.com/in/ines-quist-5e5e5e", owner_url])
    return _csv(INVITATIONS_HEADER, rows)


def _endorsements(
    header: list[str], endorsements: list[tuple[dt.datetime, str, Contact]], export: Export
) -> bytes:
    rows = [
        [
            at.strftime("%Y/%m/%d %H:%M:%S UTC"),
            skill,
            c.first_name,
            c.last_name,
            _bare_url(c),
            "ACCEPTED",
        ]
        for at, skill, c in sorted(endorsements, key=lambda e: (e[0], e[2].id), reverse=True)
        if at.date() <= export.day
    ]
    return _csv(header, rows)


def _recommendations(
    recommendations: list[tuple[dt.datetime, str, Contact]], export: Export
) -> bytes:
    rows = []
    for at, text, c in sorted(recommendations, key=lambda r: r[0], reverse=True):
        if at.date() > export.day:
            continue
        job = c.job_at(at.date())
        rows.append(
            [
                c.first_name,
                c.last_name,
                job.company,
                job.title,
                text,
                _us_short(at, pad=True),
                "VISIBLE",
            ]
        )
    return _csv(RECOMMENDATIONS_HEADER, rows)


def _profile(cast: Cast, export: Export) -> bytes:
    o = cast.owner
    current = next(p for p in o.positions if p.started and p.started <= export.day)
    headline = o.headline.replace("Staff", current.title.split()[0], 1)
    birth = f"{MONTHS[o.birth_date.month - 1]} {o.birth_date.day}, {o.birth_date.year}"
    row = [
        o.first_name,
        o.last_name,
        "",
        "",
        birth,
        headline,
        "I build data pipelines people can trust, and I mentor engineers moving into data.",
        o.industry,
        "411 04",
        o.location,
        "[mayalq]",
        "[PORTFOLIO:https://maya-lindqvist.example]",
        "",
    ]
    return _csv(PROFILE_HEADER, [row])


def _email_addresses(cast: Cast) -> bytes:
    o = cast.owner
    rows = [
        [o.personal_email, "Yes", "Yes", "Not Available"],
        [o.work_email, "Yes", "No", "Not Available"],
        [o.old_work_email, "No", "No", "Not Available"],
    ]
    return _csv(EMAIL_ADDRESSES_HEADER, rows)


def _positions(cast: Cast, export: Export) -> bytes:
    def month(day: dt.date | None) -> str:
        return f"{MONTHS[day.month - 1]} {day.year}" if day else ""

    rows = []
    for p in cast.owner.positions:
        if p.started and p.started > export.day:
            continue
        finished = p.finished if p.finished and p.finished <= export.day else None
        description = f"{p.title} in the {p.sector.lower()} data platform team."
        rows.append(
            [
                p.company,
                p.title,
                description,
                "Gothenburg, Sweden",
                month(p.started),
                month(finished),
            ]
        )
    return _csv(POSITIONS_HEADER, rows)
