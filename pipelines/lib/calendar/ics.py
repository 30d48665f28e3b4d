"""Meetings from iCalendar (.ics) exports of Google Calendar, Outlook/Exchange and Thunderbird.

Parsing is left to `icalendar` (line unfolding, quoted and `^'`-escaped parameters, VTIMEZONE)
and recurrence to `recurring-ical-events` (RRULE, RDATE, EXDATE, moved instances), expanded only
within a bounded window around the as-of date so an endless weekly series stays finite.

What a "row read" is, for the ledger: one occurrence, within the window, of an event that has
attendees and is not cancelled — plus each event that could not be read (quarantined). Events
without attendees (personal appointments), cancelled occurrences and series with no occurrence
in the window are not meetings; they are counted in the file's message, not loaded. Declined
attendees and rooms/resources are left out of `raw.calendar_attendees`, also counted.

An organizer or attendee address that is not an e-mail address (Outlook writes
`invalid:nomail`) is left out of its row, which still loads: the value goes to
`quality.rejected_values`, located by the line where its event (the first VEVENT with that UID)
begins.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

import icalendar
import recurring_ical_events

from pipelines.lib.csvfile import Rejected, UnreadableFile, decode
from pipelines.lib.inbox import SourceFile
from pipelines.lib.loading import ParsedFile, frame_from_rows
from pipelines.lib.rejected_values import Dropped, RejectedValue, take_dropped
from pipelines.schemas.calendar_attendees import CalendarAttendeesSchema
from pipelines.schemas.calendar_events import CalendarEventsSchema

NOT_PEOPLE = {"ROOM", "RESOURCE"}
ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+$")  # what the attendee and event models accept


@dataclass(frozen=True)
class Window:
    """Occurrences starting in [start, end) are expanded and loaded."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def around(cls, as_of: dt.date, *, years_back: int = 3, days_ahead: int = 90) -> Window:
        start = dt.datetime(as_of.year - years_back, as_of.month, 1, tzinfo=dt.UTC)
        end = dt.datetime.combine(as_of, dt.time(), dt.UTC) + dt.timedelta(days=days_ahead + 1)
        return cls(start, end)


@dataclass
class CalendarFile:
    flavour: str
    events: list[dict] = field(default_factory=list)
    event_raw: list[str] = field(default_factory=list)
    attendees: list[dict] = field(default_factory=list)
    attendee_raw: list[str] = field(default_factory=list)
    event_lines: dict[str, int] = field(default_factory=dict)  # UID -> where its VEVENT begins
    event_values: list[RejectedValue] = field(default_factory=list)  # left out of events
    attendee_values: list[RejectedValue] = field(default_factory=list)  # left out of attendees
    rejected: list[Rejected] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    notes: list[str] = field(default_factory=list)

    def message(self) -> str:
        left_out = {
            "without_attendees": "events without attendees (not meetings)",
            "cancelled": "cancelled occurrences",
            "no_occurrence_in_window": "events with no occurrence in the window",
            "declined": "declined attendees",
            "rooms": "rooms/resources",
        }
        flagged = {
            "large": "large meetings (loaded, is_large)",
            "floating": "times without a zone read as UTC",
            "no_uid": "events without UID (key made from their content)",
        }
        parts = list(self.notes)
        for title, words in (("left out", left_out), ("noted", flagged)):
            counted = [f"{self.counts[k]} {w}" for k, w in words.items() if self.counts.get(k)]
            if counted:
                parts.append(f"{title}: " + ", ".join(counted))
        return "; ".join(parts)


def settings_note(window: Window, large_meeting_attendees: int) -> str:
    """The settings a load used, first in the file's message: a change means a reload."""
    return (
        f"window {window.start.date()} to {window.end.date()}, "
        f"large meetings above {large_meeting_attendees} attendees"
    )


def flavour(text: str) -> str:
    head = text[:2000].lower()
    if "google" in head:
        return "google"
    if "microsoft" in head or "outlook" in head or "exchange" in head:
        return "outlook"
    if "mozilla" in head or "thunderbird" in head:
        return "thunderbird"
    return "other"


def _event_lines(text: str) -> dict[str, int]:
    """UID -> the line number where the first VEVENT with that UID begins, to locate what is
    rejected in its rows (folded lines are unfolded first, as a long UID is)."""
    unfolded: list[list] = []  # [first physical line, text]
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t") and unfolded:
            unfolded[-1][1] += line[1:]
        else:
            unfolded.append([number, line])
    lines: dict[str, int] = {}
    begin = None
    for number, line in unfolded:
        upper = line[:16].upper()
        if upper.startswith("BEGIN:VEVENT"):
            begin = number
        elif upper.startswith("UID:") and begin is not None:
            lines.setdefault(line[4:].strip(), begin)
    return lines


def _calendars(data: bytes) -> tuple[list[icalendar.Calendar], str, list[str], dict[str, int]]:
    text, notes = decode(data, "iCalendar")
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.upper().startswith("BEGIN:VCALENDAR"):
        raise UnreadableFile("not an iCalendar file: it does not start with BEGIN:VCALENDAR")
    if "END:VCALENDAR" not in stripped.upper()[-200:]:
        raise UnreadableFile(
            "the calendar is truncated (no END:VCALENDAR at the end): the export or the "
            "download was cut off; export it again"
        )
    try:
        calendars = icalendar.Calendar.from_ical(stripped, multiple=True)
    except ValueError as exc:
        raise UnreadableFile(f"not a valid iCalendar file: {exc}") from exc
    return list(calendars), flavour(stripped), notes, _event_lines(text)


def _as_utc(value: dt.date | dt.datetime) -> dt.datetime:
    """All-day dates start at midnight UTC; floating times (no zone, no X-WR-TIMEZONE) are
    taken as UTC and counted in the file's message."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(), dt.UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _address(value: object) -> str | Dropped | None:
    """The e-mail address of an ORGANIZER or ATTENDEE; `Dropped` when it is none."""
    written = str(value).strip()
    text = written[len("mailto:") :] if written.lower().startswith("mailto:") else written
    text = text.strip().lower()
    if not text:
        return None
    if not ADDRESS.match(text):
        return Dropped(written, f"{written!r} is not an e-mail address")
    return text


def _list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _series(calendar: icalendar.Calendar, file: CalendarFile) -> dict[str, list]:
    """VEVENTs grouped by UID (a series and its moved instances), in file order."""
    series: dict[str, list] = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", "")).strip()
        if not uid:
            digest = hashlib.sha1(event.to_ical()).hexdigest()[:16]
            uid = f"no-uid-{digest}"
            event["UID"] = uid
            file.counts["no_uid"] += 1
        series.setdefault(uid, []).append(event)
    return series


def _time_zones(calendar: icalendar.Calendar) -> tuple[list, list]:
    """What every series of `calendar` needs to be read alone: its X-WR-TIMEZONE properties and
    VTIMEZONE components (collected once per file: walking them per event cost seconds)."""
    properties = [
        (name, value)
        for name, value in calendar.property_items(recursive=False)
        if name.startswith("X-WR-TIMEZONE")
    ]
    return properties, list(calendar.walk("VTIMEZONE"))


def _expand(zones: tuple[list, list], events: list, window: Window) -> list:
    """The occurrences of one series in the window; raises when the series cannot be read."""
    single = icalendar.Calendar()
    properties, timezones = zones
    for name, value in properties:
        single.add(name, value)
    for timezone in timezones:
        single.add_component(timezone)
    for event in events:
        if event.get("DTSTART") is None:
            raise ValueError("the event has no DTSTART")
        single.add_component(event)
    return list(recurring_ical_events.of(single).between(window.start, window.end))


def read_calendar(data: bytes, *, window: Window, large_meeting_attendees: int) -> CalendarFile:
    calendars, kind, notes, lines = _calendars(data)
    file = CalendarFile(
        kind, notes=[settings_note(window, large_meeting_attendees), *notes], event_lines=lines
    )
    occurrences = []
    for calendar in calendars:
        zones = _time_zones(calendar)
        for uid, events in _series(calendar, file).items():
            if not any(_list(e.get("ATTENDEE")) for e in events):
                file.counts["without_attendees"] += 1
                continue
            try:
                found = _expand(zones, events, window)
            except Exception as exc:  # the library's errors vary; any one spoils only this event
                raw = events[0].to_ical().decode("utf-8", "replace")[:2000]
                reason = f"event {uid!r} cannot be read: {exc}"
                file.rejected.append(Rejected(0, file.event_lines.get(uid), raw, reason))
                continue
            if not found:
                file.counts["no_occurrence_in_window"] += 1
            recurring = any(e.get("RRULE") or e.get("RDATE") for e in events)
            occurrences.extend((uid, occurrence, recurring) for occurrence in found)
    rows = []
    for uid, occurrence, recurring in occurrences:
        if str(occurrence.get("STATUS", "")).upper() == "CANCELLED":
            file.counts["cancelled"] += 1
            continue
        people = [
            a
            for a in _list(occurrence.get("ATTENDEE"))
            if str(a.params.get("CUTYPE", "")).upper() not in NOT_PEOPLE
        ]
        file.counts["rooms"] += len(_list(occurrence.get("ATTENDEE"))) - len(people)
        if not people:
            file.counts["without_attendees"] += 1
            continue
        rows.append((_as_utc(occurrence.get("DTSTART").dt), uid, occurrence, recurring, people))
    rows.sort(key=lambda item: (item[0], item[1]))
    for number, (_, uid, occurrence, recurring, people) in enumerate(rows, start=1):
        _add_occurrence(file, number, uid, occurrence, recurring, people, large_meeting_attendees)
    # Unreadable events are numbered after the occurrences, so every record number is unique.
    file.rejected = [
        Rejected(number, r.line_number, r.raw, r.reason)
        for number, r in enumerate(file.rejected, start=len(rows) + 1)
    ]
    return file


def _add_occurrence(
    file: CalendarFile,
    number: int,
    uid: str,
    occurrence: icalendar.Event,
    recurring: bool,
    people: list,
    large: int,
) -> None:
    start_value = occurrence.get("DTSTART").dt
    end_prop = occurrence.get("DTEND")
    all_day = not isinstance(start_value, dt.datetime)
    file.counts["floating"] += not all_day and start_value.tzinfo is None
    start = _as_utc(start_value)
    end = _as_utc(end_prop.dt) if end_prop is not None else None
    key = f"{uid}|{start.isoformat()}"
    organizer = occurrence.get("ORGANIZER")
    organizer_email = _address(organizer) if organizer is not None else None
    line = file.event_lines.get(uid)
    organizer_name = str(organizer.params.get("CN", "")).strip() if organizer is not None else ""
    declined = [a for a in people if str(a.params.get("PARTSTAT", "")).upper() == "DECLINED"]
    file.counts["declined"] += len(declined)
    is_large = len(people) > large
    file.counts["large"] += is_large
    summary = str(occurrence.get("SUMMARY", "")).strip() or None
    event = {
        "event_key": key,
        "event_uid": uid,
        "occurrence_start": start,
        "occurrence_end": end,
        "occurrence_date": start_value if all_day else start_value.date(),
        "all_day": all_day,
        "recurring": recurring,
        "summary": summary,
        "organizer_email": organizer_email,
        "organizer_name": organizer_name or None,
        "status": str(occurrence.get("STATUS", "")).upper() or None,
        "attendee_count": len(people),
        "attendees_declined": len(declined),
        "is_large": is_large,
        "record_number": number,
    }
    file.event_values += take_dropped(event, number, line)
    file.events.append(event)
    file.event_raw.append(f"UID:{uid} DTSTART:{start_value.isoformat()} SUMMARY:{summary or ''}")
    for attendee in people:
        if attendee in declined:
            continue
        email = _address(attendee)
        params = attendee.params
        row = {
            "event_key": key,
            "event_uid": uid,
            "occurrence_start": start,
            "email": email,
            "name": str(params.get("CN", "")).strip() or None,
            "partstat": str(params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
            "role": str(params.get("ROLE", "REQ-PARTICIPANT")).upper(),
            "is_organizer": isinstance(email, str) and email == organizer_email,
            "record_number": len(file.attendees) + 1,
        }
        file.attendee_values += take_dropped(row, row["record_number"], line)
        file.attendees.append(row)
        file.attendee_raw.append(f"{key} ATTENDEE:{attendee}")


_last: tuple[tuple, CalendarFile] | None = None


def _read_cached(data: bytes, window: Window, large: int) -> CalendarFile:
    """Both tables are loaded from one parse: the asset runs the events parser and then the
    attendees parser on each file, so keeping the last result is enough."""
    global _last
    key = (hashlib.sha256(data).digest(), window, large)
    if _last is None or _last[0] != key:
        _last = (key, read_calendar(data, window=window, large_meeting_attendees=large))
    return _last[1]


def events_parser(window: Window, large_meeting_attendees: int):
    """A loader parser (bytes, source) -> ParsedFile for `raw.calendar_events`."""

    def parse(data: bytes, source: SourceFile) -> ParsedFile:
        file = _read_cached(data, window, large_meeting_attendees)
        rows = frame_from_rows(file.events, CalendarEventsSchema)
        return ParsedFile(
            file.flavour,
            rows,
            file.event_raw,
            list(file.rejected),
            [file.message()],
            list(file.event_values),
            [file.event_lines.get(e["event_uid"]) for e in file.events],
        )

    return parse


def attendees_parser(window: Window, large_meeting_attendees: int):
    """A loader parser for `raw.calendar_attendees`: the attendees of the loaded occurrences."""

    def parse(data: bytes, source: SourceFile) -> ParsedFile:
        file = _read_cached(data, window, large_meeting_attendees)
        rows = frame_from_rows(file.attendees, CalendarAttendeesSchema)
        return ParsedFile(
            file.flavour,
            rows,
            file.attendee_raw,
            [],
            [file.message()],
            list(file.attendee_values),
            [file.event_lines.get(a["event_uid"]) for a in file.attendees],
        )

    return parse
