"""A first run with nothing but a real LinkedIn export (shared/datasets/linkedin-export-2026-03,
pseudonymised): the pages a LinkedIn-only user opens read right. Refreshed once by the real
command; every test reads its own copy of nothing (the pages only read the snapshot)."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pytest

from pipelines import warehouse
from pipelines.cli import main as cli_main
from pipelines.lib import shared_data
from pipelines.settings import ENV_DB, ENV_INBOX
from tests.dashboard.test_pages import frame_with, open_page, texts

EXPORT = "Complete_LinkedInDataExport_03-09-2026"


@pytest.fixture(scope="module")
def linkedin_only(tmp_path_factory):
    folder = shared_data.dataset("linkedin-export-2026-03")
    if folder is None:
        pytest.skip("shared/datasets/linkedin-export-2026-03 is not on this machine")
    root = tmp_path_factory.mktemp("linkedin_only")
    shutil.copytree(folder / EXPORT, root / "inbox" / EXPORT)
    db = root / "w.duckdb"
    refresh = ["refresh", "--inbox", str(root / "inbox"), "--db", str(db), "--as-of", "2026-03-09"]
    assert cli_main(refresh) == 0
    return root / "inbox", db


@pytest.fixture
def pages_env(linkedin_only, monkeypatch):
    inbox, db = linkedin_only
    monkeypatch.setenv(ENV_INBOX, str(inbox))
    monkeypatch.setenv(ENV_DB, str(db))
    return db


def snapshot_rows(db, sql: str) -> list[tuple]:
    with warehouse.connect(db.with_name("w.snapshot.duckdb"), read_only=True) as con:
        return warehouse.frame(con, sql).rows()


def test_suggestions_quote_messages_as_text_and_date_new_connections_in_words(pages_env):
    reasons = [
        r for (r,) in snapshot_rows(pages_env, "SELECT reason FROM marts.recommended_actions")
    ]
    assert reasons
    assert not [r for r in reasons if "<p" in r or "&amp;" in r]  # LinkedIn writes HTML bodies
    assert not [r for r in reasons if " 0 days ago" in r]
    app = open_page("views/this_week.py")
    assert "<p" not in texts(app)


def test_people_show_no_none_and_introductions_say_what_would_feed_them(pages_env):
    people = frame_with(open_page("views/people.py"), "health_score")
    assert people["company"].isna().sum() == 0 and "None" not in people["company"].to_list()
    intro = texts(open_page("views/introductions.py"))
    assert "adding your mail or a calendar export" in intro


def test_the_overview_does_not_call_every_tie_on_rhythm(pages_env):
    overview = texts(open_page("views/overview.py"))
    assert "Nicely done" not in overview
    assert "Ready for a hello" in overview


def test_a_fresh_connection_scores_below_a_conversation(pages_env):
    rows = snapshot_rows(
        pages_env,
        """SELECT max(health_score) FILTER (WHERE episodes = 0),
                  median(health_score) FILTER (WHERE two_way_episodes_365d > 0)
           FROM marts.relationship_health""",
    )
    clicks_only, two_way = rows[0]
    # a connection, an invitation or an endorsement is a touch, not a talk: a quarter day each
    assert clicks_only < 17 and clicks_only < two_way


def test_the_touches_headline_says_how_many_were_clicks(pages_env):
    app = open_page("views/overview.py")
    touches = next(m for m in app.metric if m.label == "Touches")
    clicks = snapshot_rows(
        pages_env,
        """SELECT count(*) FROM core.interactions AS i JOIN core.people AS p USING (person_id)
           WHERE NOT p.is_owner AND i.channel IN ('connection', 'invitation', 'endorsement')
             AND (i.occurred_at AT TIME ZONE 'UTC')::DATE > DATE '2026-03-09' - 28""",
    )[0][0]
    assert clicks > 0
    assert f"{clicks:,} of them were clicks" in touches.proto.help


def test_connections_left_out_by_linkedin_are_explained(pages_env):
    app = open_page("views/overview.py")
    tile = next(m for m in app.metric if m.label == "Connections")
    hidden = snapshot_rows(
        pages_env,
        """SELECT count(*) FROM staging.linkedin_connections
           WHERE profile_slug IS NULL AND full_name IS NULL""",
    )[0][0]
    assert hidden > 0
    assert f"Not counted: {hidden:,} connections" in tile.proto.help


def test_a_headline_without_a_figure_says_why(pages_env):
    app = open_page("views/overview.py")
    reply = next(m for m in app.metric if m.label == "Reply time")
    assert reply.value == "—"  # no reply of the owner's in the 28 days up to 9 March 2026
    assert "No reply of yours in the last 28 days" in reply.proto.help


def test_a_check_in_past_its_rhythm_is_due_now_not_when_it_turns_overdue(pages_env):
    due = snapshot_rows(
        pages_env,
        "SELECT DISTINCT due_on FROM marts.recommended_actions WHERE action_type = 'check_in_due'",
    )
    assert due and {str(day) for (day,) in due} == {"2026-03-09"}


def test_warm_paths_show_no_none_and_no_company_of_the_sample(pages_env):
    app = open_page("views/introductions.py", {"target": "Microsoft"})
    paths = frame_with(app, "through_name")
    assert "None" not in paths["through_name"].astype(str).to_list()
    assert "lead to **Microsoft**" in texts(app)
    assert all("Copperleaf" not in (box.placeholder or "") for box in app.text_input)


def test_the_reciprocity_tiles_say_over_what_period(pages_env):
    app = open_page("views/reciprocity.py")
    tiles = {m.label: m.proto.help for m in app.metric}
    for label in ("You gave", "You asked", "They gave you", "They asked you"):
        assert tiles[label].startswith("All your history up to the as-of date"), label


def test_data_quality_names_inputs_in_words_and_says_what_adding_mail_would_show(pages_env):
    app = open_page("views/data_quality.py")
    loads = frame_with(app, "rows_loaded")
    assert "LinkedIn connections" in loads["kind"].to_list()
    assert not [kind for kind in loads["kind"] if "_" in kind]  # no loader codes
    page = texts(app)
    assert "raw.email_messages" not in page
    assert "no mail yet: put your mailbox in the inbox" in page


def chart_frames(app) -> dict:
    """Each chart of a page by its title: (its Vega-Lite spec, its data as a pandas frame)."""
    charts = {}
    for chart in app.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        data = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()
        charts[spec.get("title")] = (spec, data)
    return charts


def test_weekly_charts_share_their_weeks_and_never_draw_a_trend_across_empty_weeks(pages_env):
    app = open_page("views/overview.py")
    app.radio[0].set_value("All").run()
    charts = chart_frames(app)
    weekly = ["In touch", "Your gives and asks per week", "Followed up within 2 days"]
    weekly.append("Your reply time")
    domains = {str(charts[title][0]["encoding"]["x"]["scale"]["domain"]) for title in weekly}
    assert len(domains) == 1  # one time axis for the four charts, not one per chart's data
    for title in ("Followed up within 2 days", "Your reply time"):
        spec, frame = charts[title]
        assert spec["encoding"]["detail"]["field"] == "run"
        # a line joins only weeks next to each other: within a run the weeks are consecutive
        for _, run in frame.groupby("run"):
            gaps = run["week_start"].astype("datetime64[ns]").diff().dropna().dt.days
            assert set(gaps) <= {7}
        assert frame["run"].nunique() > 1  # this export has weeks without a reply or follow-up


def test_in_touch_says_when_its_365_day_window_is_still_filling(pages_env):
    app = open_page("views/overview.py")
    app.radio[0].set_value("All").run()
    spec, frame = chart_frames(app)["In touch"]
    first_year = frame[frame["history"] == "first year (filling)"]
    start = frame["week_start"].astype("datetime64[ns]").min()
    assert (first_year["week_start"].astype("datetime64[ns]") - start).dt.days.max() <= 371
    assert (frame["history"] == "a full year").any()


def test_time_axes_use_one_date_format_for_the_span_shown(pages_env):
    overview = open_page("views/overview.py")
    overview.radio[0].set_value("All").run()
    axis = chart_frames(overview)["In touch"][0]["encoding"]["x"]["axis"]
    # years of history: a tick per year, labelled by its year, so no label repeats
    assert (axis["format"], axis["tickCount"]["interval"]) == ("%Y", "year")
    overview.radio[0].set_value("13 weeks").run()
    axis = chart_frames(overview)["In touch"][0]["encoding"]["x"]["axis"]
    assert (axis["format"], axis["tickCount"]["interval"]) == ("%d %b", "week")
    (person,) = snapshot_rows(
        pages_env,
        """SELECT person_id FROM marts.relationship_health
           ORDER BY interactions_total DESC, person_id LIMIT 1""",
    )[0:1]
    page = open_page("views/person.py", {"id": person[0]})
    spec, frame = chart_frames(page)["Touches over time"]
    ticks = {"%Y": "year", "%b %Y": "month", "%d %b": "week"}
    axis = spec["encoding"]["x"]["axis"]
    assert ticks[axis["format"]] == axis["tickCount"]["interval"]


def test_the_people_table_fits_a_laptop_screen(pages_env):
    """At 1366 px the wide layout leaves about 900 px for the table; a LinkedIn-only user has no
    tags, so no empty Tags column takes room either."""
    table = open_page("views/people.py").dataframe[0].proto
    columns = json.loads(table.columns)
    shown = list(table.column_order)
    assert "tags" not in shown
    assert sum(columns[name]["width"] for name in shown) + 36 <= 904  # 36: the row selector


def test_a_weekly_pick_says_which_year_it_counts(pages_env):
    reasons = [
        r
        for (r,) in snapshot_rows(
            pages_env,
            "SELECT reason FROM marts.recommended_actions WHERE action_type = 'weekly_pick'",
        )
    ]
    assert reasons
    # "in touch on 3 days in your most active year" read oddly for a few LinkedIn messages
    assert not [r for r in reasons if "most active year" in r]
    assert [r for r in reasons if "days in the year up to your last touch" in r]


def test_a_connection_on_the_timeline_says_who_invited_not_a_direction(pages_env):
    (person,) = snapshot_rows(
        pages_env,
        """SELECT person_id FROM core.interactions WHERE channel = 'connection'
             AND direction <> 'mutual'
           ORDER BY occurred_at DESC, person_id LIMIT 1""",
    )
    timeline = frame_with(open_page("views/person.py", {"id": person[0]}), "is_reply")
    connected = timeline[timeline["channel"] == "Connected"]
    assert len(connected) and set(connected["direction"]) <= {
        "you invited them",
        "they invited you",
    }
