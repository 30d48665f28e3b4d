"""This week's actions as files to take elsewhere: CSV for a spreadsheet, .ics for a calendar."""

from __future__ import annotations

import datetime as dt

import icalendar
import polars as pl

CSV_COLUMNS = [
    "priority",
    "action_type",
    "person_name",
    "other_person_name",
    "goal",
    "reason",
    "opening_line",
    "due_on",
    "status",
    "snoozed_until",
    "action_id",
]


def actions_csv(actions: pl.DataFrame) -> bytes:
    """Every action with its status, in priority order, as UTF-8 CSV."""
    return actions.select(CSV_COLUMNS).sort("priority").write_csv().encode("utf-8")


def actions_ics(actions: pl.DataFrame, labels: dict[str, str], stamp: dt.datetime) -> bytes:
    """The open actions as all-day events on their due date (an .ics file any calendar imports).
    Each event's UID is the action's stable id, so importing again updates instead of
    duplicating."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Constellation//This week//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Constellation: this week")
    for action in actions.filter(pl.col("status") == "open").iter_rows(named=True):
        who = action["person_name"]
        if action["other_person_name"]:
            who += f" & {action['other_person_name']}"
        event = icalendar.Event()
        event.add("uid", f"{action['action_id']}@constellation.local")
        event.add("dtstamp", stamp)
        event.add("dtstart", action["due_on"])
        event.add("dtend", action["due_on"] + dt.timedelta(days=1))
        event.add("summary", f"{labels.get(action['action_type'], action['action_type'])}: {who}")
        description = action["reason"] or ""
        if action["opening_line"]:
            description += f"\n\nOpening line: {action['opening_line']}"
        event.add("description", description)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        calendar.add_component(event)
    return calendar.to_ical()
