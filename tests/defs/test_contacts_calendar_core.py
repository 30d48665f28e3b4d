"""Calendar meetings and the interaction log reach the people model: staging removes copies,
attendees become sightings, and the channel SQL turns meetings into touches with the right
people (owner left out, large and future meetings counted apart)."""

from __future__ import annotations

import dagster as dg

from pipelines import warehouse
from pipelines.defs.core.people import owner, resolve_people
from pipelines.defs.raw.calendar import calendar
from pipelines.defs.raw.contacts import contacts, interaction_log_table
from pipelines.defs.resources import ConstellationResource
from pipelines.defs.sql_table import SQL_ROOT
from pipelines.defs.staging import contacts_calendar
from tests.conftest import fixture_bytes

STAGING = [
    contacts_calendar.contacts,
    contacts_calendar.interaction_log,
    contacts_calendar.calendar_events,
    contacts_calendar.calendar_attendees,
]


def test_meetings_and_logged_coffees_become_touches_with_the_right_people(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    (inbox / "again").mkdir(parents=True)
    (inbox / "google.ics").write_bytes(fixture_bytes("calendar/google.ics"))
    (inbox / "again" / "google.ics").write_bytes(fixture_bytes("calendar/google.ics"))  # a copy
    (inbox / "thunderbird.ics").write_bytes(fixture_bytes("calendar/thunderbird.ics"))
    (inbox / "interaction_log.csv").write_bytes(fixture_bytes("contacts/interaction_log_dmy.csv"))
    config = tmp_path / "constellation.toml"
    config.write_text('[owner]\nemails = ["sam.owner@example.org"]\nnames = ["Sam Owner"]\n')
    monkeypatch.setenv("CONSTELLATION_CONFIG", str(config))
    db = tmp_path / "w.duckdb"
    resource = ConstellationResource(
        inbox=str(inbox), db_path=str(db), as_of="2025-06-01", config_path=str(config)
    )
    result = dg.materialize(
        [calendar, contacts, interaction_log_table, *STAGING, owner, resolve_people],
        resources={"constellation": resource},
    )
    assert result.success
    for check in result.get_asset_check_evaluations():
        if check.asset_key.path[0] == "staging":
            assert check.passed, check

    with warehouse.connect(db) as con:
        # The copied calendar adds no occurrence.
        assert warehouse.scalar(con, "SELECT count(*) FROM raw.calendar_events") == 12
        assert warehouse.scalar(con, "SELECT count(*) FROM staging.calendar_events") == 7
        touches = {}
        for name in ("calendar_meetings", "interaction_log"):
            sql = (SQL_ROOT / "core" / "interactions" / f"{name}.sql").read_text()
            touches[name] = warehouse.frame(
                con,
                f"""SELECT p.display_name AS who, t.* FROM ({sql}) AS t
                    JOIN core.people AS p USING (person_id) ORDER BY occurred_at, who""",
            )
        people = warehouse.frame(con, "SELECT * FROM core.people")
    meetings = touches["calendar_meetings"]
    real = meetings.filter(meetings["noise_reason"].is_null())
    # Maren's four 1:1s, organised by the owner; Zoë's all-day offsite, which she organised.
    # The owner, the declined Tobias and the room are nobody's touch.
    assert real["who"].to_list() == ['Holtby, Maren "Fjordline"'] * 4 + ["Zoë Achterberg-Núñez"]
    assert real["direction"].to_list() == ["outbound"] * 4 + ["inbound"]
    assert people.filter(people["display_name"].str.contains("Tobias")).height == 1  # the log
    noise = meetings.filter(meetings["noise_reason"].is_not_null())
    by_reason = dict(noise.group_by("noise_reason").len().iter_rows())
    # The town hall: 17 members and its organizer; the bike-club evening after the as-of date.
    assert by_reason == {"large meeting (17 invitees)": 18, "meeting after the as-of date": 3}
    logged = touches["interaction_log"].sort("occurred_at")
    # the last: Priya's line whose channel word ("dance") was left out, logged as "other"
    assert logged["channel"].to_list() == ["coffee", "call", "meeting", "coffee", "other"]
    assert logged["direction"].to_list() == ["outbound", "inbound", "mutual", "outbound", "mutual"]
    # None: left to the text classifier
    assert logged["kind"].to_list() == ["give", "ask", "neutral", None, None]
    # The log's Maren (by address) and the calendar's Maren are one person.
    maren = set(logged["person_id"][:1]) | set(real["person_id"][:4])
    assert len(maren) == 1
