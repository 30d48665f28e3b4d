"""The sample owner's Google Calendar export: `Calendar/maya.lindqvist@example.com.ics`.

Google's flavour of iCalendar: CRLF, lines folded at 75 octets, `X-WR-TIMEZONE` and a
VTIMEZONE for Europe/Stockholm, times local with `TZID`, `ORGANIZER;CN=...`, attendees with
`CUTYPE`, `ROLE`, `PARTSTAT`, quoted `CN` when the name has a comma. Every meeting of the cast
marked `in_calendar` is an event (cancelled ones with `STATUS:CANCELLED`); a meeting with a
contact who has no e-mail address is a private event without attendees. On top of those: a
fortnightly data-guild sync (RRULE with an EXDATE, one member declined), a monthly all-hands
with more invitees than the "large meeting" threshold, and a few personal appointments.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from zoneinfo import ZoneInfo

from pipelines.lib.sample.cast import OWNER, Cast, Contact

ZONE = "Europe/Stockholm"
LOCAL = ZoneInfo(ZONE)
STAMP = "20241216T031200Z"
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{ZONE}",
    f"X-LIC-LOCATION:{ZONE}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def generate(out: Path, cast: Cast, rng: random.Random, scale: int) -> list[Path]:
    folder = out / "Calendar"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{cast.owner.personal_email}.ics"
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{cast.owner.personal_email}",
        f"X-WR-TIMEZONE:{ZONE}",
        *VTIMEZONE,
    ]
    for meeting in cast.meetings:
        if not meeting.in_calendar:
            continue
        people = [cast.person(i) for i in meeting.attendees]
        invited = [p for p in people if p.emails]
        organizer = (
            _owner(cast) if meeting.organizer == OWNER else _person(cast.person(meeting.organizer))
        )
        lines += _event(
            uid=f"{meeting.id}-{rng.getrandbits(48):012x}@google.com",
            start=meeting.start,
            minutes=meeting.minutes,
            summary=meeting.title,
            organizer=organizer if invited else None,
            attendees=[(_owner(cast), "ACCEPTED")]
            + [
                (_person(p), "DECLINED" if p.id in meeting.declined else "ACCEPTED")
                for p in invited
            ],
            status=meeting.status,
        )
    lines += _guild_sync(cast, rng) + _all_hands(cast, rng) + _personal(rng)
    lines.append("END:VCALENDAR")
    path.write_bytes(("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8"))
    return [path]


def _owner(cast: Cast) -> tuple[str, str]:
    return cast.owner.full_name, cast.owner.personal_email


def _person(contact: Contact) -> tuple[str, str]:
    return contact.full_name, (contact.work_email or contact.emails[0]) if contact.emails else ""


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(LOCAL).strftime("%Y%m%dT%H%M%S")


def _cn(name: str) -> str:
    """Google quotes a CN that holds a comma, semicolon or colon; `"` becomes `^'` (RFC 6868)."""
    name = name.replace('"', "^'")
    return f'"{name}"' if any(ch in name for ch in ",;:") else name


def _event(
    *,
    uid: str,
    start: dt.datetime,
    minutes: int,
    summary: str,
    organizer: tuple[str, str] | None,
    attendees: list[tuple[tuple[str, str], str]],
    status: str = "CONFIRMED",
    extra: tuple[str, ...] = (),
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"DTSTART;TZID={ZONE}:{_local(start)}",
        f"DTEND;TZID={ZONE}:{_local(start + dt.timedelta(minutes=minutes))}",
        *extra,
        f"DTSTAMP:{STAMP}",
    ]
    if organizer:
        lines.append(f"ORGANIZER;CN={_cn(organizer[0])}:mailto:{organizer[1]}")
    lines.append(f"UID:{uid}")
    if organizer:
        for (name, email), partstat in attendees:
            lines.append(
                f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};"
                f"CN={_cn(name)};X-NUM-GUESTS=0:mailto:{email}"
            )
    lines += [
        "SEQUENCE:0",
        f"STATUS:{status}",
        f"SUMMARY:{summary}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    return lines


def _colleagues(cast: Cast, size: int, rng: random.Random) -> list[Contact]:
    pool = [c for c in cast.contacts if c.emails and c.tier in ("inner", "close", "active")]
    return rng.sample(pool, min(size, len(pool)))


def _guild_sync(cast: Cast, rng: random.Random) -> list[str]:
    """A fortnightly sync with four colleagues for a year; one holiday skipped, one declined."""
    members = _colleagues(cast, 4, rng)
    start = dt.datetime(2023, 9, 5, 8, 30, tzinfo=dt.UTC)
    skipped = start + dt.timedelta(weeks=16)  # Christmas week
    attendees = [(_owner(cast), "ACCEPTED")] + [
        (_person(m), "DECLINED" if i == 3 else "ACCEPTED") for i, m in enumerate(members)
    ]
    return _event(
        uid="data-guild-sync-2023@google.com",
        start=start,
        minutes=30,
        summary="Data guild sync",
        organizer=_owner(cast),
        attendees=attendees,
        extra=(
            "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=26;BYDAY=TU",
            f"EXDATE;TZID={ZONE}:{_local(skipped)}",
        ),
    )


def _all_hands(cast: Cast, rng: random.Random) -> list[str]:
    """A monthly all-hands: more invitees than the large-meeting threshold (15)."""
    invitees = _colleagues(cast, 24, rng)
    host = invitees[0]
    return _event(
        uid="copperleaf-all-hands@google.com",
        start=dt.datetime(2024, 1, 11, 14, 0, tzinfo=dt.UTC),
        minutes=60,
        summary="Copperleaf all-hands",
        organizer=_person(host),
        attendees=[(_person(p), "ACCEPTED") for p in invitees] + [(_owner(cast), "ACCEPTED")],
        extra=("RRULE:FREQ=MONTHLY;BYDAY=2TH;UNTIL=20241212T150000Z",),
    )


def _personal(rng: random.Random) -> list[str]:
    lines: list[str] = []
    for n, what in enumerate(("Dentist", "Gym", "Pick up parcel", "Flat viewing")):
        day = dt.date(2024, 2, 1) + dt.timedelta(days=rng.randrange(0, 300))
        start = dt.datetime.combine(day, dt.time(7, 0), dt.UTC)
        lines += _event(
            uid=f"personal-{n}@google.com",
            start=start,
            minutes=60,
            summary=what,
            organizer=None,
            attendees=[],
        )
    return lines


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character, as Google does."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)
