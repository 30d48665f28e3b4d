"""The dashboard's user-state controls (Streamlit AppTest on the sample warehouse): feedback that
names the action's people, a person's own cadence, tags, forgetting and taking it back — each
written to the user's logs and shown by the pages; and one real `constellation refresh` that
removes a forgotten person from the published data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipelines.lib import user_state
from pipelines.settings import ENV_DB, load_settings
from tests.conftest import copy_of_sample, refresh_with_cli
from tests.dashboard.test_pages import frame_with, open_page, snapshot_frame, texts


def log_path() -> Path:
    return user_state.user_state_path(load_settings().db_path)


def names_listed(app) -> list[str]:
    return list(frame_with(app, "health_score")["name"])


def a_person(snapshot: Path, tier: str = "close") -> dict:
    """A person of the sample with an address-book label and a cadence from their tier."""
    return snapshot_frame(
        snapshot,
        """SELECT person_id, display_name, cadence_ideal_days, cadence_max_days
           FROM marts.relationship_health WHERE tier = ? AND cadence_source = 'tier'
           ORDER BY health_score DESC LIMIT 1""",
        [tier],
    ).row(0, named=True)


def test_feedback_goes_to_this_tests_own_warehouse_not_the_shared_sample(
    sample_dashboard: Path, sample_built: dict[str, str]
) -> None:
    """Test workers run side by side: feedback given in one test must never land in (or be wiped
    from) the warehouse that every other test reads."""
    shared_log = user_state.user_state_path(Path(sample_built[ENV_DB]))
    before = shared_log.read_bytes() if shared_log.exists() else None
    user_state.record_feedback(log_path(), "an-action", "done")
    assert log_path() != shared_log
    assert (shared_log.read_bytes() if shared_log.exists() else None) == before
    assert len(user_state.read_events(log_path())) == 1


def test_feedback_names_the_action_people_and_type(sample_dashboard: Path) -> None:
    actions = snapshot_frame(
        sample_dashboard,
        """SELECT action_id, action_type, person_id, other_person_id
           FROM marts.recommended_actions WHERE status = 'open' ORDER BY priority""",
    )
    pair = actions.filter(actions["other_person_id"].is_not_null()).row(0, named=True)
    single = actions.filter(actions["other_person_id"].is_null()).row(0, named=True)
    app = open_page("views/this_week.py")
    app.button(key=f"done_{pair['action_id']}").click().run()
    app.button(key=f"snooze_{single['action_id']}").click().run()
    app.button(key=f"undo_{pair['action_id']}").click().run()
    events = user_state.read_events(log_path())
    assert events.select("action_id", "status").rows() == [
        (pair["action_id"], "done"),
        (single["action_id"], "snoozed"),
        (pair["action_id"], "open"),
    ]
    # what a refresh needs to count a done action as a touch, even rebuilt from scratch
    recorded = events.select("action_id", "action_type", "person_id", "other_person_id").rows(
        named=True
    )
    assert recorded == [pair, single, pair]


def test_cadence_is_set_shown_and_cleared(sample_dashboard: Path) -> None:
    who = a_person(sample_dashboard)
    pid = who["person_id"]
    app = open_page("views/person.py", {"id": pid})
    assert "from the default for their tier, close" in texts(app)
    # the boxes start at the cadence in force
    assert app.number_input(key=f"cadence_ideal_{pid}").value == who["cadence_ideal_days"]
    app.number_input(key=f"cadence_ideal_{pid}").set_value(50)
    app.number_input(key=f"cadence_max_{pid}").set_value(40)
    app.button(key=f"cadence_save_{pid}").click().run()
    assert "cannot be shorter" in app.error[0].value
    assert user_state.person_cadence(log_path()).height == 0

    app.number_input(key=f"cadence_ideal_{pid}").set_value(21)
    app.number_input(key=f"cadence_max_{pid}").set_value(45)
    app.button(key=f"cadence_save_{pid}").click().run()
    assert user_state.person_cadence(log_path()).select(
        "person_id", "ideal_days", "max_days"
    ).rows() == [(pid, 21, 45)]
    assert "every **21 days**, at most **45** — applies at the next refresh" in texts(app)

    again = open_page("views/person.py", {"id": pid})  # a new session reads the log
    assert again.number_input(key=f"cadence_ideal_{pid}").value == 21
    assert again.number_input(key=f"cadence_max_{pid}").value == 45
    again.button(key=f"cadence_clear_{pid}").click().run()
    assert user_state.person_cadence(log_path()).height == 0
    assert "applies at the next refresh" not in texts(again)
    assert not [b for b in again.button if b.key == f"cadence_clear_{pid}"]


def test_tags_are_added_and_removed_and_filter_people_at_once(sample_dashboard: Path) -> None:
    friends = open_page("views/people.py", {"tag": "Friends"})
    name = names_listed(friends)[0]
    pid = snapshot_frame(
        sample_dashboard,
        "SELECT person_id FROM marts.relationship_health WHERE display_name = ?",
        [name],
    )["person_id"][0]
    app = open_page("views/person.py", {"id": pid})
    assert "**Friends** (address book)" in texts(app)
    app.text_input(key=f"tag_new_{pid}").input("Mentor")
    app.button(key=f"tag_add_{pid}").click().run()
    app.button(key=f"untag_{pid}_Friends").click().run()
    tags = user_state.person_tags(log_path())
    assert tags.select("person_id", "tag", "action").rows() == [
        (pid, "Friends", "untag"),
        (pid, "Mentor", "tag"),
    ]
    shown = texts(app)
    assert "**Mentor** (yours)" in shown and "**Friends**" not in shown
    assert app.text_input(key=f"tag_new_{pid}").value == ""  # ready for the next one

    # the People page filters by the new tag and no longer by the hidden label
    assert names_listed(open_page("views/people.py", {"tag": "Mentor"})) == [name]
    assert name not in names_listed(open_page("views/people.py", {"tag": "Friends"}))

    app.button(key=f"retag_{pid}_Friends").click().run()
    assert "**Friends** (yours)" in texts(app)
    assert name in names_listed(open_page("views/people.py", {"tag": "Friends"}))


@pytest.fixture
def sample_copy(
    sample_built: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """A copy of the sample warehouse and its snapshot, of its own, that this test may refresh;
    the dashboard in this process points at it."""
    settings = copy_of_sample(sample_built, tmp_path)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return settings


def test_forget_takes_a_person_out_at_the_next_refresh_and_undo_is_offered(
    sample_copy: dict[str, str],
) -> None:
    snapshot = load_settings().snapshot_path
    who = snapshot_frame(
        snapshot,
        """SELECT a.person_id, a.person_name, p.primary_email
           FROM marts.recommended_actions AS a JOIN core.people AS p USING (person_id)
           WHERE a.other_person_id IS NULL AND p.primary_email IS NOT NULL
           ORDER BY a.priority LIMIT 1""",
    ).row(0, named=True)
    pid, name = who["person_id"], who["person_name"]

    app = open_page("views/person.py", {"id": pid})
    assert app.button(key=f"forget_{pid}").disabled  # nothing happens without the confirmation
    app.checkbox(key=f"forget_sure_{pid}").check().run()
    app.button(key=f"forget_{pid}").click().run()
    entry = user_state.forgotten_people(log_path()).row(0, named=True)
    assert entry["person_id"] == pid and who["primary_email"] in entry["emails"]
    assert f"You asked to forget {name}" in texts(app)
    assert app.button(key=f"unforget_{pid}")  # undo is right there
    # hidden at once from the People list and from this week's suggestions
    assert names_listed(open_page("views/people.py", {"q": name})) == []
    week = open_page("views/this_week.py")
    assert name not in texts(week)
    assert week.button  # the others' suggestions are still there

    run = refresh_with_cli({**os.environ, **sample_copy})
    output, _ = run.communicate(timeout=300)
    assert run.returncode == 0, output
    assert (
        snapshot_frame(
            snapshot,
            """SELECT (SELECT count(*) FROM core.people WHERE person_id = ?)
                + (SELECT count(*) FROM core.person_identifiers WHERE value = ?) AS n""",
            [pid, who["primary_email"]],
        )["n"][0]
        == 0
    )

    people = open_page("views/people.py", {"q": name})
    assert "removed from the published data" in texts(people)
    people.button(key=f"unforget_{entry['forget_id']}").click().run()
    assert user_state.forgotten_people(log_path()).height == 0
    assert "Forgotten people" not in texts(people)
    # the refresh removed them, not the dashboard: they come back only at the next refresh
    assert names_listed(open_page("views/people.py", {"q": name})) == []


def test_a_tie_without_a_rhythm_offers_empty_boxes_and_asks_for_both(sample_dashboard: Path):
    who = snapshot_frame(
        sample_dashboard,
        # a name nobody else has: AppTest finds a picker's choice again by its label
        """SELECT person_id FROM marts.relationship_health WHERE cadence_ideal_days IS NULL
             AND display_name IN (SELECT display_name FROM marts.relationship_health
                                  GROUP BY ALL HAVING count(*) = 1)
           ORDER BY health_score DESC LIMIT 1""",
    ).row(0, named=True)
    pid = who["person_id"]
    app = open_page("views/person.py", {"id": pid})
    assert "In force now: no rhythm expected" in texts(app)
    # no made-up 90 / 180 days that look like a rhythm in force
    assert app.number_input(key=f"cadence_ideal_{pid}").value is None
    assert app.number_input(key=f"cadence_max_{pid}").value is None
    app.number_input(key=f"cadence_ideal_{pid}").set_value(30)
    app.button(key=f"cadence_save_{pid}").click().run()
    assert "Enter both gaps" in texts(app)
    assert user_state.person_cadence(log_path()).height == 0
    app.number_input(key=f"cadence_max_{pid}").set_value(60)
    app.button(key=f"cadence_save_{pid}").click().run()
    saved = user_state.person_cadence(log_path()).select("person_id", "ideal_days", "max_days")
    assert saved.rows() == [(pid, 30, 60)]
