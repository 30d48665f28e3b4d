import datetime as dt

import pytest

from pipelines.lib.calendar import ics
from pipelines.lib.csvfile import UnreadableFile
from tests.conftest import fixture_bytes

WINDOW = ics.Window.around(dt.date(2025, 6, 30))


def read(name: str, large: int = 15) -> ics.CalendarFile:
    return ics.read_calendar(
        fixture_bytes(f"calendar/{name}"), window=WINDOW, large_meeting_attendees=large
    )


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def test_window_is_three_years_back_to_ninety_days_ahead():
    assert WINDOW.start == utc(2022, 6, 1)
    assert WINDOW.end == utc(2025, 9, 29)


def test_google_recurrence_with_exdate_in_local_time_across_dst():
    cal = read("google.ics")
    assert cal.flavour == "google"
    weekly = [e for e in cal.events if e["event_uid"] == "1on1-maren-2025@google.com"]
    # Five Mondays, 17 March excluded; 09:00 Oslo is 08:00 UTC in winter, 07:00 in summer time.
    assert [e["occurrence_start"] for e in weekly] == [
        utc(2025, 3, 3, 8),
        utc(2025, 3, 10, 8),
        utc(2025, 3, 24, 8),
        utc(2025, 3, 31, 7),
    ]
    assert all(e["recurring"] and not e["all_day"] for e in weekly)


def test_folded_quoted_and_caret_escaped_names_are_decoded():
    cal = read("google.ics")
    names = {a["email"]: a["name"] for a in cal.attendees}
    assert names["maren.holtby@fjordline.example"] == 'Holtby, Maren "Fjordline"'


def test_all_day_event_declined_attendee_room_and_cancelled_event_are_handled():
    cal = read("google.ics")
    [offsite] = [e for e in cal.events if e["summary"] == "Küstenwerk offsite"]
    assert offsite["all_day"] and offsite["occurrence_date"] == dt.date(2025, 4, 10)
    assert offsite["occurrence_start"] == utc(2025, 4, 10)
    assert (offsite["attendee_count"], offsite["attendees_declined"]) == (3, 1)
    people = {a["email"] for a in cal.attendees if a["event_key"] == offsite["event_key"]}
    assert people == {"zoe@kuestenwerk.example", "sam.owner@example.org"}
    assert "Lunch with Priya" not in {e["summary"] for e in cal.events}
    assert cal.message() == (
        "window 2022-06-01 to 2025-09-29, large meetings above 15 attendees; "
        "left out: 1 events without attendees (not meetings), 1 cancelled occurrences, "
        "1 events with no occurrence in the window, 1 declined attendees, 1 rooms/resources"
    )


def test_outlook_windows_zone_names_and_cancelled_instance_of_a_series():
    cal = read("outlook.ics")
    assert cal.flavour == "outlook"
    starts = [e["occurrence_start"] for e in cal.events]
    # W. Europe Standard Time 10:00 in January is 09:00 UTC; the March review was cancelled.
    assert starts == [utc(2025, 1, 15, 9), utc(2025, 2, 4, 14), utc(2025, 4, 1, 13)]
    assert {a["email"] for a in cal.attendees} >= {"sam.owner@example.org"}  # lower-cased


def test_thunderbird_large_meeting_flag_and_unreadable_event_quarantined():
    cal = read("thunderbird.ics")
    assert cal.flavour == "thunderbird"
    assert [(e["summary"], e["is_large"]) for e in cal.events] == [
        ("Bike club planning", False),
        ("Town hall", True),
    ]
    assert [e["is_large"] for e in read("thunderbird.ics", large=20).events] == [False, False]
    [bad] = cal.rejected
    assert bad.record_number == 3 and "has no DTSTART" in bad.reason


def test_truncated_and_non_calendar_files_are_refused_with_a_reason():
    with pytest.raises(UnreadableFile, match="truncated"):
        read("truncated.ics")
    with pytest.raises(UnreadableFile, match="binary"):
        ics.read_calendar(b"\x00\x01\x02" * 100, window=WINDOW, large_meeting_attendees=15)
    with pytest.raises(UnreadableFile, match="does not start with BEGIN:VCALENDAR"):
        ics.read_calendar(b"Subject: hi\r\n", window=WINDOW, large_meeting_attendees=15)
