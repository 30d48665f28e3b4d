"""Every dashboard page rendered by Streamlit's AppTest against a snapshot the real pipeline built
from a tiny inbox (tests/dashboard/conftest.py), and with no snapshot at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import page_files
from pipelines import warehouse

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
PAGES = page_files()
# Pages that need the metrics and actions marts; the tiny fixture warehouse has none of them.
MART_PAGES = [
    ("views/this_week.py", "marts.recommended_actions"),
    ("views/people.py", "marts.relationship_health"),
    ("views/person.py", "marts.relationship_health"),
    ("views/reciprocity.py", "marts.reciprocity"),
    ("views/goals.py", "marts.goal_progress"),
]


def open_page(page: str, query_params: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.switch_page(page)  # opened directly, as from a bookmark, so the URL's filters apply
    for name, value in (query_params or {}).items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def texts(app: AppTest) -> str:
    kinds = ("title", "header", "subheader", "markdown", "caption", "page_link")
    parts = [e.value for kind in kinds for e in app.get(kind)]
    parts += [e.value for kind in ("info", "success", "warning", "error") for e in app.get(kind)]
    return "\n".join(str(p) for p in parts)


def frame_with(app: AppTest, column: str):
    frames = [d.value for d in app.dataframe if column in d.value.columns]
    assert frames, f"no table with a {column!r} column"
    return frames[0]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_explains_how_to_start_when_there_is_no_data(empty_env: Path, page: str) -> None:
    app = open_page(page)
    shown = texts(app)
    assert "No data yet" in shown
    assert "make run" in shown and str(empty_env) in shown
    assert not app.metric and not app.dataframe


def test_overview_shows_headline_counts(dashboard_env) -> None:
    app = open_page("views/overview.py")
    metrics = {m.label: m.value for m in app.metric}
    # 2024 export: 7 rows loaded (one without its unreadable date), one of them empty (no
    # name, URL or email: not a person); the 2022 export holds two of the same people again,
    # counted once, and one more loaded without its date. One short row per file set aside.
    assert metrics == {
        "Connections": "7",
        "Messages": "0",
        "Files loaded": "2",
        "Rows set aside": "2",
    }
    assert "will appear here" in texts(app)
    charts = app.get("vega_lite_chart")
    assert charts, "the connections-per-year chart is missing"


def test_data_quality_reports_files_quarantine_skips_and_freshness(dashboard_env) -> None:
    app = open_page("views/data_quality.py")
    loads = frame_with(app, "rows_quarantined")
    assert sorted(loads["path"]) == [
        "Basic_LinkedInDataExport_01-10-2022/Connections.csv",
        "Basic_LinkedInDataExport_03-15-2024/Connections.csv",
    ]
    assert set(loads["status"]) == {"loaded"}
    quarantine = frame_with(app, "raw_text")
    assert quarantine["raw_text"].tolist() == ["Too,Few", "Too,Few,Fields"]
    assert quarantine["line_number"].tolist() == [9, 11]
    # the unreadable dates cost the dates only: both connections loaded, the values shown
    left_out = frame_with(app, "column_name")
    assert left_out[["path", "record_number", "line_number", "column_name", "value"]].to_dict(
        "records"
    ) == [
        {
            "path": "Basic_LinkedInDataExport_01-10-2022/Connections.csv",
            "record_number": 4,
            "line_number": 8,
            "column_name": "connected_on",
            "value": "31 Foo 2022",
        },
        {
            "path": "Basic_LinkedInDataExport_03-15-2024/Connections.csv",
            "record_number": 6,
            "line_number": 10,
            "column_name": "connected_on",
            "value": "31 Foo 2024",
        },
    ]
    assert str(left_out["line_number"].dtype) == "int64"  # a number, never NaN
    assert "2** value(s) left out of loaded rows" in texts(app)
    skipped = frame_with(app, "size_bytes")
    assert skipped["path"].tolist() == ["holiday-notes.txt"]
    fresh = frame_with(app, "newest_snapshot_date")
    row = fresh[fresh["kind"] == "LinkedIn connections"].iloc[0]
    assert str(row["newest_snapshot_date"])[:10] == "2024-03-15"
    assert row["files"] == 2
    assert "Last load ran" in texts(app)


def test_quarantine_filter_comes_from_the_url(dashboard_env) -> None:
    other = "Basic_LinkedInDataExport_01-10-2022/Connections.csv"
    app = open_page("views/data_quality.py", {"file": other})
    assert app.multiselect(key="quarantine_file").value == [other]
    assert "Showing **1** of 2 rows set aside" in texts(app)
    assert frame_with(app, "reason")["path"].tolist() == [other]


def test_quarantine_filter_is_written_to_the_url(dashboard_env) -> None:
    app = open_page("views/data_quality.py")
    assert "Showing **2** of 2 rows set aside" in texts(app)
    app.multiselect(key="quarantine_kind").select("linkedin_connections").run()
    assert app.query_params["kind"] == "linkedin_connections"  # the code, as bookmarks keep it
    assert set(frame_with(app, "raw_text")["kind"]) == {"LinkedIn connections"}  # words shown
    app.multiselect(key="quarantine_kind").unselect("linkedin_connections").run()
    assert "kind" not in app.query_params


def test_sql_page_lists_tables_and_runs_a_query(dashboard_env) -> None:
    app = open_page("views/sql.py")
    listing = frame_with(app, "rows")
    row = listing[listing["table"] == "linkedin_connections"].iloc[0]
    # 7 + 4: each export has a connection loaded without its unreadable date
    assert (row["schema"], row["rows"]) == ("raw", 11)
    app.text_area(key="sql_text").set_value(
        "SELECT count(*) AS people FROM raw.linkedin_connections WHERE company IS NOT NULL"
    )
    app.button(key="sql_run").click().run()
    assert not app.exception and not app.error
    assert frame_with(app, "people")["people"].tolist() == [8]


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "files, other databases and extensions"),
        ("DROP TABLE raw.linkedin_connections", "only reads data"),
    ],
)
def test_sql_page_refuses_with_a_friendly_message(dashboard_env, sql: str, says: str) -> None:
    app = open_page("views/sql.py")
    app.text_area(key="sql_text").set_value(sql)
    app.button(key="sql_run").click().run()
    assert not app.exception
    assert [e.value for e in app.error if says in e.value]
    assert not [d for d in app.dataframe if "root" in str(d.value)]


@pytest.mark.parametrize(("page", "table"), MART_PAGES)
def test_pages_say_kindly_when_their_tables_are_not_built_yet(
    dashboard_env, page: str, table: str
) -> None:
    app = open_page(page)
    shown = texts(app)
    assert "will appear here after the next refresh" in shown and table in shown
    assert not app.error


# --- The pages on a warehouse `constellation refresh` built from the bundled sample ------------


def snapshot_frame(snapshot: Path, sql: str, params: list | None = None):
    with warehouse.connect(snapshot, read_only=True) as con:
        return warehouse.frame(con, sql, params)


def metric(app: AppTest, label: str) -> str:
    found = [m.value for m in app.metric if m.label == label]
    assert found, f"no metric {label!r} among {[m.label for m in app.metric]}"
    return found[0]


def test_overview_figures_match_the_warehouse(sample_dashboard: Path) -> None:
    app = open_page("views/overview.py")
    latest = snapshot_frame(
        sample_dashboard, "SELECT * FROM marts.weekly_trends ORDER BY week_start DESC LIMIT 1"
    ).row(0, named=True)
    # the as-of week ends on the as-of date: its ties in touch are the ones the overview counts
    assert metric(app, "In touch") == f"{latest['ties_in_touch']:,}"
    gives = snapshot_frame(
        sample_dashboard,
        """SELECT count(*) AS n FROM core.interactions
           WHERE direction = 'outbound' AND kind = 'give'
             AND (occurred_at AT TIME ZONE 'UTC')::DATE BETWEEN ?::DATE - 27 AND ?::DATE""",
        [latest["week_end"], latest["week_end"]],
    )["n"][0]
    assert metric(app, "Gives") == f"{gives:,}"
    assert len(app.get("vega_lite_chart")) == 5  # four weekly trends and the tiers
    tiers = snapshot_frame(
        sample_dashboard,
        "SELECT count(*) AS n FROM marts.relationship_health WHERE tier = 'inner'",
    )["n"][0]
    assert 0 < tiers <= 5
    new = snapshot_frame(
        sample_dashboard,
        """SELECT p.display_name FROM core.interactions i JOIN core.people p USING (person_id)
           WHERE channel = 'connection'
             AND (occurred_at AT TIME ZONE 'UTC')::DATE BETWEEN ?::DATE - 6 AND ?::DATE""",
        [latest["week_end"], latest["week_end"]],
    )["display_name"]
    shown = texts(app)
    assert f"New connections: {len(new)}" in shown
    assert all(name in shown for name in new)
    assert "Job changes:" in shown


def test_in_touch_headline_is_the_marts_in_touch_and_leaves_out_connection_only_ties(
    sample_dashboard: Path,
) -> None:
    """ "In touch" means one thing everywhere: a conversation (not only a connection, an
    invitation or an endorsement) in the 365 days up to the as-of date."""
    app = open_page("views/overview.py")
    assert "Active ties" not in [m.label for m in app.metric]  # "active" is a tier's name
    counts = snapshot_frame(
        sample_dashboard,
        """SELECT count(*) FILTER (WHERE in_touch) AS in_touch,
                  count(*) FILTER (WHERE interactions_365d > 0) AS any_touch,
                  count(*) FILTER (WHERE interactions_365d > 0 AND NOT in_touch
                                   AND person_id IN (
                                       SELECT person_id FROM core.interactions
                                       WHERE channel = 'connection')) AS connection_only
           FROM marts.relationship_health""",
    ).row(0, named=True)
    assert metric(app, "In touch") == f"{counts['in_touch']:,}"
    # the sample has people whose only touch of the year was connecting: they are not counted
    assert counts["connection_only"] > 0
    assert counts["in_touch"] < counts["any_touch"]


def test_people_filters_come_from_the_url(sample_dashboard: Path) -> None:
    app = open_page("views/people.py", {"tier": "inner"})
    assert app.multiselect(key="people_tier").value == ["inner"]
    inner = snapshot_frame(
        sample_dashboard, "SELECT display_name FROM marts.relationship_health WHERE tier = 'inner'"
    )["display_name"]
    table = frame_with(app, "health_score")
    assert sorted(table["name"]) == sorted(inner)
    assert f"**{len(inner)}** people match" in texts(app)


def test_people_tag_and_search_filter_and_write_the_url(sample_dashboard: Path) -> None:
    app = open_page("views/people.py", {"tag": "Friends"})
    friends = frame_with(app, "health_score")
    assert len(friends) > 0
    assert all("Friends" in list(tags) for tags in friends["tags"])
    name = friends["name"].iloc[0]
    app.text_input(key="people_search").set_value(name.split()[0]).run()
    assert app.query_params["q"] == name.split()[0]
    assert name in list(frame_with(app, "health_score")["name"])
    app.multiselect(key="people_status").select("on_track").run()
    assert app.query_params["status"] == "on_track"
    assert set(frame_with(app, "health_score")["status"]) <= {"On track"}


def test_person_page_explains_the_score_and_lists_the_timeline(sample_dashboard: Path) -> None:
    top = snapshot_frame(
        sample_dashboard,
        "SELECT * FROM marts.relationship_health ORDER BY health_score DESC LIMIT 1",
    ).row(0, named=True)
    app = open_page("views/person.py", {"id": top["person_id"]})
    assert app.title[0].value == top["display_name"]
    assert metric(app, "Health score") == f"{top['health_score']:.0f} / 100"
    components = frame_with(app, "based_on")
    parts = ["together", "reply", "from_them", "from_you", "connection"]
    assert list(components["points"]) == [top[f"{part}_points"] for part in parts]
    assert sum(components["points"]) == pytest.approx(top["health_score"], abs=0.3)
    touches = snapshot_frame(
        sample_dashboard,
        """SELECT count(*) AS n FROM core.interactions
           WHERE person_id = ? AND (occurred_at AT TIME ZONE 'UTC')::DATE <= ?::DATE""",
        [top["person_id"], top["as_of"]],
    )["n"][0]
    assert f"**{touches:,}** touches" in texts(app)
    assert len(frame_with(app, "direction")) == min(touches, 500)
    ledger = snapshot_frame(
        sample_dashboard, "SELECT * FROM marts.reciprocity WHERE person_id = ?", [top["person_id"]]
    ).row(0, named=True)
    assert metric(app, "You gave") == str(ledger["gives"])
    assert metric(app, "They gave") == str(ledger["gives_received"])


def test_person_page_with_an_unknown_id_says_so(sample_dashboard: Path) -> None:
    app = open_page("views/person.py", {"id": "p_000000000000"})
    assert "Nobody with this id" in texts(app)


def test_reciprocity_matches_the_ledger(sample_dashboard: Path) -> None:
    app = open_page("views/reciprocity.py")
    overall = snapshot_frame(
        sample_dashboard, "SELECT * FROM marts.reciprocity WHERE person_id IS NULL"
    ).row(0, named=True)
    assert metric(app, "You gave") == f"{overall['gives']:,}"
    assert metric(app, "They asked you") == f"{overall['asks_received']:,}"
    assert metric(app, "Specific, time-bound asks") == f"{overall['specific_ask_share']:.0%}"
    helped = frame_with(app, "gives_received")
    assert (helped["gives_received"] > helped["gives"]).all()


def test_data_quality_shows_what_the_noise_filter_removed(sample_dashboard: Path) -> None:
    app = open_page("views/data_quality.py")
    noise = snapshot_frame(
        sample_dashboard, "SELECT reason, count(*) AS n FROM quality.noise GROUP BY ALL"
    )
    table = frame_with(app, "first_seen")
    assert table["rows"].sum() == noise["n"].sum() > 0
    assert set(table["reason"]) == set(noise["reason"])
    examples = frame_with(app, "source_key")
    assert set(examples["reason"]) == set(noise["reason"])


def open_actions_shown(app: AppTest) -> list[str]:
    return [b.key.removeprefix("done_") for b in app.button if b.key.startswith("done_")]


def test_this_week_lists_the_actions_and_remembers_done_snooze_dismiss(
    sample_dashboard: Path,
) -> None:
    actions = snapshot_frame(
        sample_dashboard,
        "SELECT action_id, reason, status FROM marts.recommended_actions ORDER BY priority",
    )
    app = open_page("views/this_week.py")
    shown = open_actions_shown(app)
    assert shown == [
        a for a, s in zip(actions["action_id"], actions["status"], strict=True) if s == "open"
    ]
    assert all(reason in texts(app) for reason in actions["reason"])
    first, second, third = shown[:3]
    app.button(key=f"done_{first}").click().run()
    app.button(key=f"snooze_{second}").click().run()
    app.button(key=f"dismiss_{third}").click().run()
    assert not {first, second, third} & set(open_actions_shown(app))
    # a reload (a new session) reads the feedback log again: the choices stay
    again = open_page("views/this_week.py")
    assert open_actions_shown(again) == shown[3:]
    handled = texts(again)
    assert "✓ Done" in handled and "✗ Dismissed" in handled
    assert "Snoozed until" in handled and f"**{len(shown) - 3}** suggestions open" in handled
    from pipelines.lib.user_state import current_feedback, user_state_path
    from pipelines.settings import load_settings

    log = current_feedback(user_state_path(load_settings().db_path))
    assert dict(zip(log["action_id"], log["status"], strict=True)) == {
        first: "done",
        second: "snoozed",
        third: "dismissed",
    }
    again.button(key=f"undo_{first}").click().run()
    assert first in open_actions_shown(again)


def test_exports_hold_the_open_actions(sample_dashboard: Path) -> None:
    import icalendar

    app = open_page("views/this_week.py")
    opened = open_actions_shown(app)
    app.button(key=f"done_{opened[0]}").click().run()
    from dashboard import data, exports, ui

    actions = data.actions(data.current_snapshot())
    calendar = icalendar.Calendar.from_ical(
        exports.actions_ics(actions, ui.ACTION_LABELS, data.current_snapshot().published_at)
    )
    uids = [str(e["uid"]).split("@")[0] for e in calendar.walk("VEVENT")]
    assert uids == opened[1:]
    csv = exports.actions_csv(actions).decode()
    assert csv.splitlines()[0].startswith("priority,action_type,person_name")
    assert len(csv.splitlines()) == actions.height + 1
    assert f"done,,{opened[0]}" in csv


def test_person_page_shows_their_open_action(sample_dashboard: Path) -> None:
    action = snapshot_frame(
        sample_dashboard,
        "SELECT * FROM marts.recommended_actions WHERE other_person_id IS NULL "
        "ORDER BY priority LIMIT 1",
    ).row(0, named=True)
    app = open_page("views/person.py", {"id": action["person_id"]})
    assert action["reason"] in texts(app)


def test_warm_paths_for_a_typed_company(sample_dashboard: Path) -> None:
    company = snapshot_frame(
        sample_dashboard,
        """SELECT p.company FROM core.people p JOIN marts.relationship_health USING (person_id)
           WHERE p.company IS NOT NULL GROUP BY ALL ORDER BY count(*) DESC LIMIT 1""",
    )["company"][0]
    app = open_page("views/introductions.py", {"target": company})
    assert app.text_input(key="warm_target").value == company
    paths = frame_with(app, "via_name")
    works_there = snapshot_frame(
        sample_dashboard,
        """SELECT p.display_name FROM core.people p JOIN marts.relationship_health USING (person_id)
           WHERE p.company = ?""",
        [company],
    )["display_name"]
    assert set(works_there) & set(paths["via_name"])
    pairs = frame_with(app, "person_b_name")
    assert len(pairs) == min(
        50,
        snapshot_frame(sample_dashboard, "SELECT count(*) AS n FROM marts.introductions")["n"][0],
    )


def test_goals_show_progress_per_goal(sample_dashboard: Path) -> None:
    app = open_page("views/goals.py")
    goals = snapshot_frame(
        sample_dashboard,
        "SELECT goal, count(*) AS n FROM marts.goal_contacts GROUP BY ALL ORDER BY goal",
    )
    assert [h.value for h in app.subheader] == goals["goal"].to_list()
    assert [m.value for m in app.metric if m.label == "Matching contacts"] == [
        str(n) for n in goals["n"]
    ]
    assert app.get("vega_lite_chart")
