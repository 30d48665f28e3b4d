"""Rhythm from conversations, not from messages: the episodes mart and what counts it, on a small
story as of Friday 2025-01-31, through the real marts (Dagster materialise, DuckDB file).

Bea had one chat: five days in a row in December, you wrote and she answered each day. Rita and
you talk every fortnight, each time your message and her answer the next day. Tess met you three
times a month apart, Fay four times. Gus wrote on a Monday, again on the Thursday (3 days later:
the same conversation) and the next Monday (4 days later: a new one). Cody only connected and
endorsed you. Ed exchanged e-mails in October and endorsed you last week.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines import warehouse
from pipelines.defs.marts import metrics
from pipelines.defs.resources import ConstellationResource
from pipelines.lib.actions import describe
from pipelines.lib.interactions import INTERACTION_COLUMNS
from pipelines.lib.metrics_backtest import HEALTH_SQL
from tests.marts.test_metrics import INTERACTION_SCHEMA, touch

AS_OF = "2025-01-31"
PEOPLE = ["p_me", "p_bea", "p_rita", "p_tess", "p_fay", "p_gus", "p_cody", "p_ed"]
ASSETS = [
    metrics.cadence_rules,
    metrics.episodes,
    metrics.relationship_health,
    metrics.follow_ups,
    metrics.weekly_trends,
]


def days(first: str, count: int, step: int) -> list[str]:
    start = dt.date.fromisoformat(first)
    return [str(start + dt.timedelta(days=step * k)) for k in range(count)]


def exchange(person: str, day: str, answer_on: str, channel: str = "linkedin_message") -> list:
    """Your message on `day` and their reply on `answer_on`, in one thread."""
    return [
        touch(person, day, channel, "outbound", thread=f"{person}-{day}"),
        touch(person, answer_on, channel, "inbound", hour=15, thread=f"{person}-{day}", reply=True),
    ]


def story() -> list[dict]:
    rows = []
    for day in days("2024-12-02", 5, 1):  # Bea: one chat, Monday to Friday
        rows += exchange("p_bea", day, day)
    for day in days("2024-09-02", 11, 14):  # Rita: fortnightly, answered the next day
        rows += exchange("p_rita", day, str(dt.date.fromisoformat(day) + dt.timedelta(days=1)))
    rows += [touch("p_tess", day, "meeting", "inbound") for day in days("2024-10-01", 3, 30)]
    rows += [touch("p_fay", day, "meeting", "inbound") for day in days("2024-10-01", 4, 30)]
    rows += [
        touch("p_gus", day, "email", "inbound", thread="g")
        for day in ("2024-11-04", "2024-11-07", "2024-11-11")
    ]
    rows += [
        touch("p_cody", "2024-06-03", "connection", "inbound", hour=0),
        touch("p_cody", "2025-01-10", "endorsement", "inbound"),
        touch("p_ed", "2025-01-20", "endorsement", "inbound"),
        *exchange("p_ed", "2024-10-01", "2024-10-02", channel="email"),
    ]
    return rows


def write_story(db) -> None:
    people = pl.DataFrame(
        [
            {
                "person_id": pid,
                "display_name": pid.removeprefix("p_").title(),
                "linkedin_slug": None,
                "primary_email": None,
                "company": None,
                "sources": ["test"],
                "sightings": 1,
                "is_owner": pid == "p_me",
            }
            for pid in PEOPLE
        ]
    )
    identifiers = pl.DataFrame(
        schema={"person_id": pl.String, "kind": pl.String, "value": pl.String}
    )
    interactions = pl.DataFrame(story(), schema=INTERACTION_SCHEMA).select(INTERACTION_COLUMNS)
    with warehouse.connect(db) as con:
        warehouse.replace_table(con, "core.people", people)
        warehouse.replace_table(con, "core.person_identifiers", identifiers)
        warehouse.replace_table(con, "core.interactions", interactions)


def build(root, as_of: str) -> dict[str, pl.DataFrame]:
    root.mkdir(parents=True, exist_ok=True)
    db = root / "w.duckdb"
    if not db.exists():
        write_story(db)
    resource = ConstellationResource(inbox=str(root), db_path=str(db), as_of=as_of)
    result = dg.materialize(ASSETS, resources={"constellation": resource})
    assert result.success
    assert all(c.passed for c in result.get_asset_check_evaluations())
    with warehouse.connect(db, read_only=True) as con:
        return {
            name: warehouse.frame(con, f"SELECT * FROM marts.{name} ORDER BY ALL")
            for name in ("episodes", "relationship_health", "weekly_trends")
        }


@pytest.fixture(scope="module")
def story_root(tmp_path_factory):
    return tmp_path_factory.mktemp("episodes")


@pytest.fixture(scope="module")
def marts(story_root) -> dict[str, pl.DataFrame]:
    return build(story_root, AS_OF)


def health(marts, person_id: str) -> dict:
    found = marts["relationship_health"].filter(pl.col("person_id") == person_id)
    assert found.height == 1
    return found.row(0, named=True)


def test_a_chat_on_consecutive_days_is_one_conversation_and_no_daily_rhythm(marts):
    bea = health(marts, "p_bea")
    assert bea["contact_days"] == 5  # the messages are all still there
    assert bea["episodes"] == 1
    # one conversation says nothing about how often you talk (the median over contact days was 1)
    assert bea["typical_gap_days"] is None
    assert bea["overdue_ratio"] is None
    episode = marts["episodes"].filter(pl.col("person_id") == "p_bea").row(0, named=True)
    assert (episode["started_on"], episode["ended_on"]) == (
        dt.date(2024, 12, 2),
        dt.date(2024, 12, 6),
    )
    assert (episode["contact_days"], episode["touches"], episode["is_two_way"]) == (5, 10, True)
    # frequency counts the one conversation, not five days: 25 ln2 / ln53
    assert bea["frequency_points"] == pytest.approx(25 * 0.6931 / 3.9703, abs=0.05)


def test_the_rhythm_is_the_gap_between_conversations(marts):
    rita = health(marts, "p_rita")
    assert (rita["contact_days"], rita["episodes"]) == (22, 11)
    # contact days alternate 1 and 13 days apart (a median of 7); the conversations are 14 apart
    assert rita["typical_gap_days"] == 14
    assert rita["days_since_in_touch"] == 10  # her answer on Tuesday the 21st
    assert rita["overdue_ratio"] == pytest.approx(10 / 14, abs=0.005)


def test_a_rhythm_needs_four_conversations(marts):
    assert health(marts, "p_tess")["typical_gap_days"] is None  # three meetings
    assert health(marts, "p_fay")["typical_gap_days"] == 30  # four


def test_touches_three_days_apart_are_one_conversation_four_days_are_two(marts):
    gus = marts["episodes"].filter(pl.col("person_id") == "p_gus")
    assert gus.select("started_on", "ended_on").rows() == [
        (dt.date(2024, 11, 4), dt.date(2024, 11, 7)),
        (dt.date(2024, 11, 11), dt.date(2024, 11, 11)),
    ]


def test_a_connection_or_an_endorsement_is_a_touch_but_not_being_in_touch(marts):
    cody = health(marts, "p_cody")
    assert cody["interactions_365d"] == 2  # connecting and the endorsement are touches
    assert (cody["in_touch"], cody["episodes"], cody["days_since_in_touch"]) == (False, 0, None)
    assert marts["episodes"].filter(pl.col("person_id") == "p_cody").height == 0
    ed = health(marts, "p_ed")
    assert ed["days_since_last_interaction"] == 11  # the endorsement
    assert ed["days_since_in_touch"] == 121  # the e-mail of 2 October
    assert ed["in_touch"]
    in_touch = set(marts["relationship_health"].filter("in_touch")["person_id"])
    assert in_touch == {"p_bea", "p_rita", "p_tess", "p_fay", "p_gus", "p_ed"}
    # the weekly trend counts the same people for the as-of week
    assert marts["weekly_trends"]["ties_in_touch"][-1] == len(in_touch)


def test_scoring_an_earlier_day_sees_only_the_conversations_up_to_it(tmp_path, story_root, marts):
    """The backtest runs relationship_health.sql as of past days on the finished warehouse: that
    must equal a warehouse built as of that day (no later touch may leak into it), even in the
    middle of Bea's chat and between Gus's touches."""
    for day in ("2024-12-04", "2024-11-08"):
        early = build(tmp_path / day, day)["relationship_health"]
        with warehouse.connect(story_root / "w.duckdb", read_only=True) as con:
            warehouse.run(con, "SET VARIABLE as_of = ?::DATE", [day])
            replayed = warehouse.frame(
                con, f"SELECT * FROM ({HEALTH_SQL.read_text()}) ORDER BY ALL"
            )
        assert_frame_equal(replayed, early)


def test_check_in_wording_says_every_day_not_every_1_days():
    row = {
        "action_type": "check_in_due",
        "person_name": "Rita Regular",
        "facts": {"days": 1, "tier": "inner", "cadence": 1, "typical_gap": None},
    }
    reason, _ = describe(row)
    assert "1 days" not in reason
    assert reason.endswith(
        "since you were last in touch with Rita Regular, one of your inner "
        "ties; you talk every day."
    )
    assert "It has been 1 day since" in reason


@pytest.mark.parametrize(("days", "said"), [(0, "today"), (1, "yesterday"), (5, "5 days ago")])
def test_a_new_connection_is_dated_today_or_yesterday_not_0_days_ago(days, said):
    row = {
        "action_type": "follow_up_new",
        "person_name": "Nora New",
        "facts": {"what": "connection", "days": days},
    }
    reason, _ = describe(row)
    assert reason.startswith(f"You connected with Nora New {said} and have not written yet")
