"""The relationship marts on a tiny story, as of Friday 2025-01-31, worked out by hand.

Wendy and you exchange messages every Monday (you at 9:00, she answers at 15:00) and have a
coffee every fourth Monday; Fiona was such a weekly contact until May 2024 and has been silent
since; Quinn (a "Mentors" label in your address book) meets you once a quarter but not since
September; Arthur asks three times and you answer; Olga answered your ask and waits for you;
Uma never answered your two written asks; Nina got a message the day after connecting; Nora
connected eleven days ago and heard nothing; Nell connected yesterday; Zed has your pending
invitation; Yusuf is in your address book and nothing more. Two touches after the as-of date
must change nothing.

The configuration moves the active tier to [14, 60] days, gives the Mentors label [60, 120],
Uma [7, 14] and a person who does not exist [7, 14].
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines import warehouse
from pipelines.cli import main
from pipelines.defs.marts import metrics
from pipelines.defs.resources import ConstellationResource
from pipelines.lib.interactions import CANDIDATE_SCHEMA, INTERACTION_COLUMNS
from pipelines.lib.metrics import cadence_rules, roc_auc
from pipelines.lib.metrics_backtest import backtest, scored_at
from pipelines.settings import DEFAULT_SAMPLE, ENV_CONFIG, ENV_DB, SAMPLE_AS_OF
from tests.conftest import copy_of_sample

AS_OF = "2025-01-31"
EARLY = "2024-12-10"
MARTS = ["relationship_health", "reciprocity", "follow_ups", "weekly_trends", "network_diversity"]
CONFIG = """
[cadence]
active = [14, 60]

[cadence.tags]
Mentors = [60, 120]

[cadence.people]
"email:Uma@Example.com" = [7, 14]
"linkedin:nobody-here" = [7, 14]
"""
INTERACTION_SCHEMA = {
    **CANDIDATE_SCHEMA,
    "interaction_id": pl.String,
    "is_specific": pl.Boolean,
    "is_time_bound": pl.Boolean,
    "classified_by": pl.String,
}
ASSETS = [
    metrics.cadence_rules,
    metrics.episodes,
    metrics.relationship_health,
    metrics.reciprocity,
    metrics.follow_ups,
    metrics.weekly_trends,
    metrics.network_diversity,
]
PEOPLE = {
    "p_me": ("Me", None),
    "p_wendy": ("Wendy Weekly", "Acme Software"),
    "p_quinn": ("Quinn Quarterly", "Northwind Bank"),
    "p_fiona": ("Fiona Formerly", "Acme Software"),
    "p_arthur": ("Arthur Asker", None),
    "p_nora": ("Nora New", None),
    "p_nina": ("Nina Noted", None),
    "p_nell": ("Nell Newest", None),
    "p_olga": ("Olga Owed", None),
    "p_uma": ("Uma Unanswered", None),
    "p_zed": ("Zed Pending", None),
    "p_yusuf": ("Yusuf Unknown", None),
}
TITLES = {  # the LinkedIn export's job titles
    "p_wendy": "Senior Data Engineer",
    "p_quinn": "VP Sales",
    "p_olga": "Software Engineering Intern",
}


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


def touch(person, day, channel, direction, *, hour=9, thread=None, reply=False, **extra) -> dict:
    return {
        "interaction_id": f"{person}-{day}-{hour}-{channel}-{direction}",
        "person_id": person,
        "occurred_at": at(day, hour),
        "channel": channel,
        "direction": direction,
        "thread_id": thread,
        "is_reply": reply,
        "reply_latency_hours": extra.get("latency"),
        "kind": extra.get("kind", "neutral"),
        "subkind": None,
        "is_specific": extra.get("specific"),
        "is_time_bound": extra.get("time_bound"),
        "classified_by": "test",
        "source_table": "test",
        "source_key": f"{person}-{day}-{hour}-{channel}",
    }


def mondays(first: str, last: str, step: int = 7) -> list[str]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [str(start + dt.timedelta(days=d)) for d in range(0, (end - start).days + 1, step)]


def weekly_exchange(person: str, first: str, last: str) -> list[dict]:
    """You write on Monday at 9:00, they answer at 15:00, each week in a new thread."""
    rows = []
    for day in mondays(first, last):
        rows.append(touch(person, day, "linkedin_message", "outbound", thread=f"t-{day}"))
        rows.append(
            touch(
                person,
                day,
                "linkedin_message",
                "inbound",
                hour=15,
                thread=f"t-{day}",
                reply=True,
                latency=6.0,
            )
        )
    return rows


def story() -> list[dict]:
    rows = weekly_exchange("p_wendy", "2024-02-05", "2025-01-27")  # 52 Mondays
    # 13 coffees, every fourth Monday from 2024-02-05 to 2025-01-06, logged by you at noon
    rows += [
        touch("p_wendy", day, "coffee", "outbound", hour=12)
        for day in mondays("2024-02-05", "2025-01-27", 28)
    ]
    rows += weekly_exchange("p_fiona", "2023-06-05", "2024-05-13")
    rows += [
        touch("p_quinn", day, "meeting", "inbound")
        for day in ("2024-01-15", "2024-04-15", "2024-07-15", "2024-09-20")
    ]
    for asked, answered in (("2024-12-02", "2024-12-03"), ("2024-12-16", "2024-12-17")):
        rows.append(touch("p_arthur", asked, "linkedin_message", "inbound", thread="a", kind="ask"))
        rows.append(
            touch("p_arthur", answered, "linkedin_message", "outbound", thread="a", reply=True)
            | {"kind": "give", "reply_latency_hours": 24.0}
        )
    rows += [
        touch("p_arthur", "2025-01-13", "linkedin_message", "inbound", thread="a2", kind="ask"),
        touch("p_arthur", "2025-01-14", "linkedin_message", "outbound", thread="a2", reply=True),
        touch("p_nora", "2025-01-20", "connection", "inbound", hour=0),
        touch("p_nell", "2025-01-30", "connection", "inbound", hour=0),
        touch("p_nina", "2025-01-03", "invitation", "outbound"),
        touch("p_nina", "2025-01-05", "connection", "outbound", hour=0),
        touch("p_nina", "2025-01-06", "linkedin_message", "outbound", hour=10, thread="n"),
        touch("p_olga", "2025-01-10", "linkedin_message", "outbound", thread="o", kind="ask"),
        touch("p_olga", "2025-01-21", "linkedin_message", "inbound", thread="o", reply=True),
        touch("p_uma", "2024-12-01", "email", "outbound", thread="u1", kind="ask")
        | {"is_specific": False, "is_time_bound": False},
        touch("p_uma", "2025-01-15", "email", "outbound", thread="u2", kind="ask")
        | {"is_specific": True, "is_time_bound": True},
        touch("p_zed", "2025-01-25", "invitation", "outbound", kind="ask"),  # the note asks
        # after the as-of date: must not count
        touch("p_quinn", "2025-02-03", "meeting", "inbound"),
        touch("p_nora", "2025-02-01", "linkedin_message", "outbound", thread="late"),
    ]
    return rows


def write_story(db) -> None:
    people = pl.DataFrame(
        [
            {
                "person_id": pid,
                "display_name": name,
                "linkedin_slug": None,
                "primary_email": "uma@example.com" if pid == "p_uma" else None,
                "company": company,
                "sources": ["test"],
                "sightings": 1,
                "is_owner": pid == "p_me",
            }
            for pid, (name, company) in PEOPLE.items()
        ]
    )
    identifiers = pl.DataFrame(
        {
            "person_id": ["p_uma", "p_quinn"],
            "kind": ["email", "linkedin_slug"],
            "value": ["uma@example.com", "quinn-q"],
        }
    )
    interactions = pl.DataFrame(story(), schema=INTERACTION_SCHEMA).select(INTERACTION_COLUMNS)
    invitations = pl.DataFrame(
        {
            "invitation_key": ["inv-nina", "inv-zed", "inv-nora"],
            "direction": ["OUTGOING", "OUTGOING", "INCOMING"],
            "has_note": [True, False, False],
            "sent_at": [at("2025-01-03"), at("2025-01-25"), at("2025-01-19")],
        }
    )
    connections = pl.DataFrame(
        {
            "connection_key": [f"c-{p}" for p in TITLES],
            "company": ["Acme Software", "Northwind Bank", "Acme Software"],
            "position": list(TITLES.values()),
            "snapshot_date": [dt.date(2025, 1, 15)] * len(TITLES),
        }
    )
    # contact sightings point at the raw address-book row (source_path#record_number)
    contacts = pl.DataFrame(
        {
            "source_path": ["contacts.csv"] * 2,
            "record_number": [1, 2],
            "labels": [["Mentors", "myContacts"], ["mentors"]],
        }
    )
    sightings = pl.DataFrame(
        {
            "source": ["linkedin_invitations"] * 3
            + ["linkedin_connections"] * len(TITLES)
            + ["contacts"] * 2,
            "ref": ["inv-nina", "inv-zed", "inv-nora", *[f"c-{p}" for p in TITLES]]
            + ["contacts.csv#1", "contacts.csv#2"],
            "person_id": ["p_nina", "p_zed", "p_nora", *TITLES, "p_quinn", "p_uma"],
        }
    )
    with warehouse.connect(db) as con:
        warehouse.replace_table(con, "core.people", people)
        warehouse.replace_table(con, "core.person_identifiers", identifiers)
        warehouse.replace_table(con, "core.interactions", interactions)
        warehouse.replace_table(con, "core.person_sightings", sightings)
        warehouse.replace_table(con, "raw.contacts", contacts)
        warehouse.replace_table(con, "staging.linkedin_invitations", invitations)
        warehouse.replace_table(con, "staging.linkedin_connections", connections)


def build(root, as_of: str) -> dict[str, pl.DataFrame]:
    """Materialise the marts (and their checks, which must pass) on the story in `root`."""
    db, config = root / "w.duckdb", root / "constellation.toml"
    if not db.exists():
        write_story(db)
        config.write_text(CONFIG)
    resource = ConstellationResource(
        inbox=str(root), db_path=str(db), as_of=as_of, config_path=str(config)
    )
    result = dg.materialize(ASSETS, resources={"constellation": resource})
    assert result.success
    assert {c.check_name: c.passed for c in result.get_asset_check_evaluations()} == {
        "episodes_apart": True,
        "one_row_per_person": True,
        "score_between_0_and_100": True,
        "overall_row_adds_up": True,
        "known_items": True,
        "one_row_per_week": True,
    }
    with warehouse.connect(db, read_only=True) as con:
        return {
            name: warehouse.frame(con, f"SELECT * FROM marts.{name}")
            for name in [*MARTS, "cadence_rules"]
        }


@pytest.fixture(scope="module")
def marts(tmp_path_factory) -> dict[str, pl.DataFrame]:
    return build(tmp_path_factory.mktemp("marts"), AS_OF)


def row(frame: pl.DataFrame, person_id: str | None, **where) -> dict:
    found = frame.filter(
        pl.col("person_id").is_null() if person_id is None else pl.col("person_id") == person_id
    )
    for column, value in where.items():
        found = found.filter(pl.col(column) == value)
    assert found.height == 1, found
    return found.row(0, named=True)


def column_of(frame: pl.DataFrame, person_id: str, column: str):
    return row(frame, person_id)[column]


def log_points(days: int, full_at: int) -> float:
    """ln(1 + days) / ln(1 + full_at), capped at 1: the scale of frequency and two-way points."""
    return min(1.0, math.log(1 + days) / math.log(1 + full_at))


def weighted_days(ages: list[int]) -> float:
    """Contact days `ages` days old, each halved every 180 days; two years back at most."""
    return sum(0.5 ** (age / 180) for age in ages if age < 730)


def health_of(ages: list[int]) -> float:
    """The health score of contact days `ages` days old: 100 at 28 weighted days, log scale."""
    return 100 * log_points(weighted_days(ages), 28)


# --- relationship_health ---------------------------------------------------------------------


def test_only_people_in_touch_by_the_as_of_date_have_a_row(marts):
    people = set(marts["relationship_health"]["person_id"])
    assert people == set(PEOPLE) - {"p_me", "p_yusuf"}


def test_wendy_weekly_with_coffees_is_inner_circle_with_every_component(marts):
    wendy = row(marts["relationship_health"], "p_wendy")
    # 52 Mondays, each with two messages; 13 of them also with a coffee (you logged it)
    assert wendy["interactions_total"] == 52 * 2 + 13
    assert wendy["contact_days_365d"] == 52
    assert wendy["two_way_days_365d"] == 52  # her answers are replies; coffees are time together
    assert (wendy["inbound_365d"], wendy["outbound_365d"]) == (52, 65)
    assert wendy["typical_gap_days"] == 7
    assert wendy["days_since_last_interaction"] == 4  # Monday 27th to Friday 31st
    assert wendy["overdue_ratio"] == pytest.approx(4 / 7, abs=0.005)
    # depth: 104 messages weigh 2, 13 coffees weigh 3 -> (208 + 39) / 117
    assert wendy["channel_depth"] == pytest.approx(247 / 117, abs=0.005)
    strength = {
        "frequency_points": 25.0,  # a conversation every week of the year
        "reciprocity_points": 10 * 2 * 52 / 117 + 10.0,  # balance 104/117, two-way monthly+
        "depth_points": 15 * (247 / 117 - 1) / 2,
    }
    for column, value in strength.items():
        assert wendy[column] == pytest.approx(value, abs=0.05), column
    assert wendy["tie_strength"] == pytest.approx(sum(strength.values()), abs=0.05)
    # health: 52 contact days 4, 11, ... 361 days old; the 13 with a coffee count as time
    # together, the other 39 as replies (her answers), none as only written by one side
    mondays_ago = [4 + 7 * week for week in range(52)]
    coffees_ago = [25 + 28 * month for month in range(13)]
    assert wendy["weighted_contact_days"] == pytest.approx(weighted_days(mondays_ago), abs=0.005)
    score = health_of(mondays_ago)
    together = score * weighted_days(coffees_ago) / weighted_days(mondays_ago)
    parts = {
        "together_points": together,
        "reply_points": score - together,
        "from_them_points": 0,
        "from_you_points": 0,
        "connection_points": 0,
    }
    for column, value in parts.items():
        assert wendy[column] == pytest.approx(value, abs=0.05), column
    assert wendy["health_score"] == pytest.approx(score, abs=0.05)
    assert wendy["tier"] == "inner"  # strength 52.2 >= 45 and the strongest tie
    assert wendy["strength_rank"] == 1
    assert (wendy["cadence_ideal_days"], wendy["cadence_max_days"]) == (14, 30)
    assert wendy["cadence_source"] == "tier"
    assert wendy["status"] == "on_track"
    assert wendy["due_on"] == dt.date(2025, 2, 10)  # last contact + 14 days
    assert wendy["trend"] == "steady"


def test_tiers_follow_tie_strength(marts):
    tiers = dict(marts["relationship_health"].select("person_id", "tier").iter_rows())
    # Frequency and two-way contact count conversations (episodes: touches at most 3 days apart)
    # Arthur: 6 contact days in 3 conversations (each an ask and your answer the next day), 3 in
    #   and 3 out, 3 of your replies, all messages:
    #   25 ln4/ln53 + 10 + 10 ln4/ln13 + 7.5 = 31.6 (active: >= 28 but < 36)
    # Quinn: 3 meetings in the year (the January one is older): 25 ln4/ln53 + 0 + 10 ln4/ln13
    #   + 15 = 29.1 (active)
    # Olga: 2 conversations, 1 in 1 out, 1 reply: 25 ln3/ln53 + 10 + 10 ln2/ln13 + 7.5 = 27.1
    #   (wider)
    # Uma: 2 conversations, only yours, e-mail: 25 ln3/ln53 + 7.5 = 14.4 (wider: >= 12)
    # Nina: invitation, connection, one message (one conversation): 25 ln2/ln53
    #   + 15 (4/3 - 1)/2 = 6.9 (acquaintance)
    # Nora, Nell, Zed: a connection or an invitation only, no conversation: strength 0
    # Fiona: a weekly tie whose last contact was 263 days ago (> 8 x 7 days, > 90): dormant
    assert tiers == {
        "p_wendy": "inner",
        "p_arthur": "active",
        "p_quinn": "active",
        "p_olga": "wider",
        "p_uma": "wider",
        "p_nina": "acquaintance",
        "p_nora": "acquaintance",
        "p_nell": "acquaintance",
        "p_zed": "acquaintance",
        "p_fiona": "dormant",
    }
    arthur = row(marts["relationship_health"], "p_arthur")
    assert (arthur["contact_days_365d"], arthur["episodes_365d"]) == (6, 3)
    strength = 25 * log_points(3, 52) + 10 + 10 * log_points(3, 12) + 7.5
    assert arthur["tie_strength"] == pytest.approx(strength, abs=0.05)


def test_a_stranger_you_never_answered_is_never_ranked_into_a_circle(tmp_path):
    """Ivan sends four cold InMails a month apart and you never answer: four conversations of
    his alone, 25 ln5/ln53 + 7.5 = 17.2 strength, enough for the wider circle (>= 12) by
    strength alone. A tie you never took part in is not ranked: he stays an acquaintance."""
    db = tmp_path / "w.duckdb"
    write_story(db)
    (tmp_path / "constellation.toml").write_text(CONFIG)
    ivan = [
        touch("p_ivan", day, "linkedin_message", "inbound", thread=f"i-{day}", kind="ask")
        for day in ("2024-09-02", "2024-10-07", "2024-11-04", "2024-12-02")
    ]
    # Erin's cold e-mail sequence: seven monthly messages, each after the first sent as a reply
    # to her own, then silence for eight months: neither engaged nor "a formerly strong tie"
    erin_days = mondays("2024-01-01", "2024-06-17", 28)
    ivan += [
        touch("p_erin", day, "email", "inbound", thread="seq", reply=number > 0)
        for number, day in enumerate(erin_days)
    ]
    with warehouse.connect(db) as con:
        people = warehouse.frame(con, "SELECT * FROM core.people")
        stranger = pl.concat(
            people.filter(pl.col("person_id") == "p_yusuf").with_columns(
                person_id=pl.lit(pid), display_name=pl.lit(name)
            )
            for pid, name in (("p_ivan", "Ivan InMail"), ("p_erin", "Erin Sequence"))
        )
        interactions = warehouse.frame(con, "SELECT * FROM core.interactions")
        added = pl.DataFrame(ivan, schema=INTERACTION_SCHEMA).select(INTERACTION_COLUMNS)
        added = added.cast(dict(interactions.schema))
        warehouse.replace_table(con, "core.people", pl.concat([people, stranger]))
        warehouse.replace_table(con, "core.interactions", pl.concat([interactions, added]))
    health = build(tmp_path, AS_OF)["relationship_health"]
    found = row(health, "p_ivan")
    assert found["tie_strength"] == pytest.approx(25 * log_points(4, 52) + 7.5, abs=0.05)
    assert (found["ever_engaged"], found["strength_rank"], found["tier"]) == (
        False,
        None,
        "acquaintance",
    )
    erin = row(health, "p_erin")
    assert len(erin_days) == 7 and erin["peak_episodes"] == 7 and erin["reply_points"] > 0
    assert (erin["ever_engaged"], erin["tier"], erin["status"]) == (False, "acquaintance", None)
    # Uma never answered you, but you wrote to her: she keeps her place in the wider circle
    assert (row(health, "p_uma")["ever_engaged"], row(health, "p_uma")["tier"]) == (True, "wider")


def test_dormant_tie_has_no_cadence(marts):
    fiona = row(marts["relationship_health"], "p_fiona")
    assert fiona["days_since_last_interaction"] == 263
    assert fiona["peak_contact_days"] == 50  # weekly in the year up to her last contact
    assert fiona["overdue_ratio"] == pytest.approx(263 / 7, abs=0.005)
    assert (fiona["status"], fiona["cadence_ideal_days"], fiona["strength_rank"]) == (
        None,
        None,
        None,
    )
    # her 50 weekly exchanges are 263 to 606 days old: they still weigh 10 days, so the score
    # stays high (71) while the tier says the tie is dormant
    ages = [263 + 7 * week for week in range(50)]
    assert fiona["health_score"] == pytest.approx(health_of(ages), abs=0.05)
    assert fiona["reply_points"] == fiona["health_score"]


def test_quinn_is_cooling_against_90_days_earlier(marts):
    quinn = row(marts["relationship_health"], "p_quinn")
    # on 2 November the four meetings were 292, 201, 110 and 43 days old; now 90 days older
    then = health_of([292, 201, 110, 43])
    now = health_of([382, 291, 200, 133])
    assert quinn["health_score_90d_ago"] == pytest.approx(then, abs=0.05)
    assert quinn["health_score"] == pytest.approx(now, abs=0.05)
    assert quinn["together_points"] == quinn["health_score"]
    assert quinn["trend"] == "cooling"  # fell by 6.8 >= 5


def test_cadence_status_with_configured_tier_tag_and_person(marts):
    health = marts["relationship_health"]
    columns = ["cadence_ideal_days", "cadence_max_days", "cadence_source", "status"]
    status = {p: tuple(row(health, p)[c] for c in columns) for p in ("p_arthur", "p_quinn")}
    # Arthur, active, last contact 17 days ago: past the configured ideal 14, within 60
    assert status["p_arthur"] == (14, 60, "tier", "due")
    # Quinn, labelled Mentors: 133 days since 20 September is past the label's 120
    assert status["p_quinn"] == (60, 120, "tag:Mentors", "overdue")
    # Uma is labelled mentors too, but her own cadence wins: 16 days > 14
    assert tuple(row(health, "p_uma")[c] for c in columns) == (7, 14, "person", "overdue")
    # Olga, wider, 10 days: on track
    assert row(health, "p_olga")["status"] == "on_track"
    # acquaintances have no cadence
    assert row(health, "p_nora")["status"] is None
    rules = marts["cadence_rules"]
    assert rules.filter(pl.col("rule") == "linkedin:nobody-here")["person_id"].to_list() == [None]
    assert sorted(rules.filter(pl.col("rule") == "Mentors")["person_id"]) == ["p_quinn", "p_uma"]


def test_new_ties_are_rising(marts):
    olga = row(marts["relationship_health"], "p_olga")
    assert olga["health_score_90d_ago"] == 0  # no touch by 2 November
    assert olga["trend"] == "rising"


def test_touches_after_the_as_of_date_do_not_count(marts):
    quinn = row(marts["relationship_health"], "p_quinn")
    assert quinn["days_since_last_interaction"] == 133
    assert quinn["interactions_total"] == 4
    assert row(marts["follow_ups"], "p_nora", item="new_connection")["is_open"] is True


def test_bad_cadence_configuration_names_the_key():
    with pytest.raises(ValueError, match=r"\[cadence\] tags.Mentors"):
        cadence_rules({"tags": {"Mentors": [60, 30]}})
    with pytest.raises(ValueError, match="'weekly' is not a tier"):
        cadence_rules({"weekly": [7, 14]})


# --- reciprocity ------------------------------------------------------------------------------


def test_reciprocity_per_person_and_overall(marts):
    ledger = marts["reciprocity"]
    arthur = row(ledger, "p_arthur")
    assert (arthur["gives"], arthur["asks"], arthur["asks_received"]) == (2, 0, 3)
    assert (arthur["balance"], arthur["balance_received"]) == (2, -3)
    uma = row(ledger, "p_uma")
    assert (uma["asks"], uma["asks_specific_time_bound"], uma["specific_ask_share"]) == (2, 1, 0.5)
    everyone = row(ledger, None)
    assert everyone["display_name"] == "everyone"
    # your gives: Arthur's two answers; your asks: Uma 2, Olga 1, Zed's invitation 1
    assert (everyone["gives"], everyone["asks"], everyone["balance"]) == (2, 4, -2)
    assert (everyone["asks_received"], everyone["gives_received"]) == (3, 0)
    # outgoing invitations: Nina's with a note, Zed's without
    assert (everyone["invitations_sent"], everyone["personal_invite_share"]) == (2, 0.5)


# --- follow_ups -------------------------------------------------------------------------------


def test_follow_up_after_connections_and_meetings(marts):
    follow = marts["follow_ups"]
    nina = row(follow, "p_nina", item="new_connection")
    assert nina["followed_up_at"] == at("2025-01-06", 10)
    assert (nina["followed_up_within_2d"], nina["followed_up_within_7d"]) == (True, True)
    nora = row(follow, "p_nora", item="new_connection")
    assert (nora["followed_up_within_2d"], nora["followed_up_within_7d"]) == (False, False)
    assert nora["age_days"] == 11
    nell = row(follow, "p_nell", item="new_connection")  # yesterday: both windows still open
    assert (nell["followed_up_within_2d"], nell["followed_up_within_7d"]) == (None, None)
    # the first coffee with Wendy (Monday noon); your next message is the next Monday 9:00
    coffee = row(follow, "p_wendy", item="meeting")
    assert coffee["occurred_at"] == at("2024-02-05", 12)
    assert (coffee["followed_up_within_2d"], coffee["followed_up_within_7d"]) == (False, True)
    # Quinn: 15 Jan, 15 Apr and 15 Jul are each 91 days after the last; 20 Sep only 67
    quinn = follow.filter((pl.col("person_id") == "p_quinn") & (pl.col("item") == "meeting"))
    assert sorted(quinn["occurred_at"]) == [
        at(d) for d in ("2024-01-15", "2024-04-15", "2024-07-15")
    ]
    assert set(quinn["followed_up_within_7d"]) == {False}


def test_reply_owed_and_unanswered_asks(marts):
    follow = marts["follow_ups"]
    owed = follow.filter(pl.col("item") == "reply_owed")
    # Olga answered your ask; Wendy's last answer is Monday's; Fiona's is older than 90 days
    assert dict(owed.select("person_id", "age_days").iter_rows()) == {"p_olga": 10, "p_wendy": 4}
    asks = follow.filter(pl.col("item") == "unanswered_ask").sort("occurred_at")
    assert asks.select("person_id", "age_days").rows() == [
        ("p_uma", 61),
        ("p_uma", 16),
        ("p_zed", 6),
    ]


# --- weekly_trends ----------------------------------------------------------------------------


def test_weekly_rows_from_the_first_touch_to_the_as_of_week(marts):
    weeks = marts["weekly_trends"]
    # Monday 2023-06-05 (Fiona's first message) to Monday 2025-01-27: 602 days = 86 weeks
    assert weeks.height == 87
    assert weeks["week_start"][0] == dt.date(2023, 6, 5)
    last = weeks.row(-1, named=True)
    assert (last["week_start"], last["week_end"]) == (dt.date(2025, 1, 27), dt.date(2025, 1, 31))
    assert (last["iso_year"], last["iso_week"]) == (2025, 5)
    # in touch in the year up to the 31st: everyone with a conversation; not Nora and Nell
    # (a connection only), Zed (an invitation only) or Yusuf (nothing)
    assert last["ties_in_touch"] == 7
    health = marts["relationship_health"]
    assert set(health.filter("in_touch")["person_id"]) == {
        "p_wendy",
        "p_fiona",
        "p_quinn",
        "p_arthur",
        "p_nina",
        "p_olga",
        "p_uma",
    }
    assert last["new_connections"] == 1  # Nell
    week = weeks.filter(pl.col("week_start") == dt.date(2025, 1, 13)).row(0, named=True)
    # Monday: Wendy out and in; Arthur asks (in), you answer (out); Wednesday: your ask to Uma
    assert (week["interactions_in"], week["interactions_out"]) == (2, 3)
    assert (week["gives"], week["asks"]) == (0, 1)
    week_of_nina = weeks.filter(pl.col("week_start") == dt.date(2024, 12, 30)).row(0, named=True)
    assert week_of_nina["follow_up_2d_rate"] == 1.0  # Nina's connection on Sunday 5 January


def test_average_health_of_strongest_ties_matches_relationship_health(marts):
    # with fewer than 50 ties, the as-of week's average is every active tie's health score
    health = marts["relationship_health"].filter(pl.col("interactions_365d") > 0)
    last = marts["weekly_trends"].row(-1, named=True)
    assert last["avg_health_top50"] == pytest.approx(health["health_score"].mean(), abs=0.1)


# --- network_diversity ------------------------------------------------------------------------


def test_diversity_by_company_seniority_and_sector(marts):
    div = marts["network_diversity"]
    counts = {(d, v): n for d, v, n in div.select("dimension", "value", "ties_in_touch").rows()}
    assert counts[("seniority", "senior")] == 1  # Wendy
    assert counts[("seniority", "vp")] == 1  # Quinn
    assert counts[("seniority", "intern")] == 1  # Olga
    assert counts[("seniority", "unknown")] == 4  # Fiona, Arthur, Nina, Uma
    assert counts[("company", "Acme Software")] == 3  # Wendy, Fiona (core), Olga (export)
    assert counts[("sector", "technology")] == 3
    assert counts[("sector", "finance")] == 1
    # the ties in touch (not Nora, Nell, Zed: no conversation)
    assert div.filter(pl.col("dimension") == "sector")["ties_in_touch"].sum() == 7


# --- reproducible for any as-of date ----------------------------------------------------------


def test_same_warehouse_two_as_of_dates(tmp_path, marts):
    early = build(tmp_path, EARLY)
    health = early["relationship_health"]
    assert set(health["person_id"]) == {"p_wendy", "p_fiona", "p_quinn", "p_arthur", "p_uma"}
    assert row(health, "p_arthur")["interactions_total"] == 2
    assert row(health, "p_wendy")["days_since_last_interaction"] == 1
    follow = early["follow_ups"]
    assert follow.filter(pl.col("item") == "unanswered_ask")["person_id"].to_list() == ["p_uma"]
    assert follow.filter(pl.col("item") == "reply_owed")["person_id"].to_list() == ["p_wendy"]
    weeks = early["weekly_trends"]
    assert weeks.height == 80
    assert weeks["week_end"][-1] == dt.date(2024, 12, 10)
    # the same warehouse, rebuilt as of the 31st, gives exactly the first build's tables
    again = build(tmp_path, AS_OF)
    for name in MARTS:
        assert_frame_equal(again[name], marts[name])


# --- backtest ---------------------------------------------------------------------------------


def test_roc_auc_by_hand():
    # positives 3 and 1, negatives 2 and 0: pairs won 3>2, 3>0, 1>0, lost 1<2 -> 3/4
    assert roc_auc([3, 2, 1, 0], [True, False, True, False]) == 0.75
    assert roc_auc([1, 1], [True, False]) == 0.5
    assert roc_auc([None, 1], [True, False]) == 0.0
    assert roc_auc([1, 2], [True, True]) is None


# --- the bundled sample through Dagster -------------------------------------------------------


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, sample_built):
    """The metric marts rebuilt through Dagster on a copy of the sample warehouse (built by
    `constellation refresh`), with every asset check passing."""
    settings = copy_of_sample(sample_built, tmp_path_factory.mktemp("sample_metrics"))
    resource = ConstellationResource(
        inbox=str(DEFAULT_SAMPLE),
        db_path=settings[ENV_DB],
        as_of=SAMPLE_AS_OF.isoformat(),
        config_path=settings[ENV_CONFIG],
    )
    result = dg.materialize(ASSETS, resources={"constellation": resource})
    assert result.success
    failed = [c.check_name for c in result.get_asset_check_evaluations() if not c.passed]
    assert failed == []
    return Path(settings[ENV_DB])


def test_sample_network_has_dunbar_like_layers(sample_db):
    with warehouse.connect(sample_db, read_only=True) as con:
        tiers = dict(
            warehouse.frame(
                con, "SELECT tier, count(*) FROM marts.relationship_health GROUP BY ALL"
            ).iter_rows()
        )
        # the sample's story: a weekly core, a monthly circle, many quarterly ties
        assert (tiers["inner"], tiers["close"], tiers["active"]) == (5, 10, 35)
        assert 40 <= tiers["wider"] <= 100
        assert tiers["dormant"] > 0
        result = backtest(con, SAMPLE_AS_OF, dates=8)
    pooled = result.filter((pl.col("outcome") == "two_way") & (pl.col("scored_on") == "all"))
    two_way = pooled.row(0, named=True)
    # the health score predicts a two-way touch in the next 90 days better than either baseline
    assert two_way["health score"] > max(two_way["recency only"], two_way["count only"])
    assert two_way["score_won"] is True


def test_the_backtest_reports_both_outcomes_and_the_dates_the_score_won(sample_db, capsys):
    argv = ["backtest-health", "--db", str(sample_db), "--as-of", SAMPLE_AS_OF.isoformat()]
    assert main([*argv, "--dates", "4"]) == 0
    out = capsys.readouterr().out
    table = [
        line
        for line in out.splitlines()
        if line.startswith("│ two_way") or line.startswith("│ mutual")
    ]
    # four dates and the pooled row, for each outcome
    assert [line.split("┆")[0].strip("│ ") for line in table] == ["two_way"] * 5 + ["mutual"] * 5
    for outcome in ("two_way", "mutual"):
        assert f"{outcome}, all dates: health score 0." in out
    won = [line for line in out.splitlines() if "the score beat both baselines on" in line]
    assert len(won) == 2
    # the dates named are the rows whose score_won is true
    for line, outcome in zip(won, ("two_way", "mutual"), strict=True):
        rows = [row for row in table if row.startswith(f"│ {outcome}") and "all" not in row]
        winners = [row.split("┆")[1].strip() for row in rows if row.rstrip("│ ").endswith("true")]
        assert line.strip().startswith(f"the score beat both baselines on {len(winners)} of")
        assert all(day in line for day in winners)


def test_the_mutual_outcome_needs_a_message_each_way(sample_db):
    with warehouse.connect(sample_db, read_only=True) as con:
        scored = scored_at(con, SAMPLE_AS_OF - dt.timedelta(days=90))
        after = warehouse.frame(
            con,
            """SELECT person_id, direction FROM core.interactions
               WHERE channel IN ('email', 'linkedin_message', 'message')
                 AND (occurred_at AT TIME ZONE 'UTC')::DATE > ?::DATE - 90
                 AND (occurred_at AT TIME ZONE 'UTC')::DATE <= ?::DATE""",
            [SAMPLE_AS_OF, SAMPLE_AS_OF],
        )
    wrote = {
        d: set(after.filter(pl.col("direction") == d)["person_id"]) for d in ("inbound", "outbound")
    }
    mutual = set(scored.filter(pl.col("mutual"))["person_id"])
    known = set(scored["person_id"])
    assert mutual == wrote["inbound"] & wrote["outbound"] & known
    assert 0 < len(mutual) < len(known)


def test_a_connection_alone_counts_a_quarter_of_a_conversation_day(marts):
    # Nora connected 11 days ago and nothing else; Olga and you wrote on two days (21 and 10
    # days ago): a click is a touch, not being in touch
    nora = row(marts["relationship_health"], "p_nora")
    olga = row(marts["relationship_health"], "p_olga")
    click = 0.25 * 0.5 ** (11 / 180)
    assert nora["weighted_contact_days"] == pytest.approx(click, abs=0.005)
    assert nora["health_score"] == pytest.approx(100 * log_points(click, 28), abs=0.05)
    assert nora["connection_points"] == nora["health_score"]
    assert olga["health_score"] == pytest.approx(health_of([21, 10]), abs=0.05)
    assert nora["health_score"] < olga["health_score"] / 4
