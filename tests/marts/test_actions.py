"""Recommended actions, introductions, warm paths and goals on a small story, as of Friday
2025-01-31 (the week of Monday 27 January).

Rita asked you a question on Monday and waits for your answer; Ray asked one two weeks ago (a
weaker tie); Tess only said thanks. Nora connected on Monday and has heard nothing since. Cara
met you monthly until November. Joe moved from Initech to Globex between your June and January
LinkedIn exports; Kim moved from Globex too, but you already congratulated her. Bea's birthday is on Monday
3 February, Bob's on the 20th. You asked Gail for things three times and gave nothing. Dora was
a weekly contact in 2023 and has been silent since; so were Una (your one question since is
unanswered) and Nat (your question and one follow-up are unanswered). Ann and Ben both used to
work at Initech (says the address book) and never met in your data; Cal and Dan also did, but
share a group thread. Ben met Joe and Rita once; Kim used to work at Globex. Rob is a robotics
engineer and Kes works at Kestrel Robotics (your goal). Pia and Pat were in touch a few times
last summer. Sue works at Hooli with Ann (never seen together in your data: still colleagues).
Gus wrote that he is looking for a product designer; Dee is one, at another company.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines import warehouse
from pipelines.defs.marts import actions as action_defs
from pipelines.defs.marts import metrics
from pipelines.defs.resources import ConstellationResource
from pipelines.defs.user_state import state
from pipelines.lib import actions, user_state
from pipelines.lib.interactions import INTERACTION_COLUMNS
from pipelines.lib.warm_paths import warm_paths_for

AS_OF = "2025-01-31"
GOAL = "Meet people in robotics"
CONFIG = f"""
[actions]
max_open = 15
weekly_picks = 1
per_type = {{ reply_owed = 1 }}

[[goals]]
name = "{GOAL}"
roles = ["robotics engineer"]
companies = ["Kestrel Robotics"]
"""
ASSETS = [
    state.action_feedback,
    metrics.cadence_rules,
    metrics.episodes,
    metrics.relationship_health,
    metrics.follow_ups,
    action_defs.person_jobs,
    action_defs.co_appearances,
    action_defs.contact_needs,
    action_defs.introductions,
    action_defs.goals,
    action_defs.goal_contacts,
    action_defs.goal_progress,
    action_defs.warm_paths,
    action_defs.recommended_actions,
]
NAMES = {
    "p_me": "Me Myself",
    "p_rita": "Rita Replied",
    "p_ray": "Ray Waiting",
    "p_tess": "Tess Thanks",
    "p_nora": "Nora New",
    "p_cara": "Cara Cadence",
    "p_joe": "Joe Jobchange",
    "p_kim": "Kim Congratulated",
    "p_bea": "Bea Birthday",
    "p_bob": "Bob Later",
    "p_gail": "Gail Given",
    "p_dora": "Dora Dormant",
    "p_una": "Una Once",
    "p_nat": "Nat Nagged",
    "p_ann": "Ann Alum",
    "p_ben": "Ben Alum",
    "p_cal": "Cal Alum",
    "p_dan": "Dan Alum",
    "p_rob": "Rob Robot",
    "p_kes": "Kes Kestrel",
    "p_pia": "Pia Summer",
    "p_pat": "Pat Summer",
    "p_sue": "Sue Samefirm",
    "p_gus": "Gus Asker",
    "p_dee": "Dee Designer",
}
JUNE, JANUARY = dt.date(2024, 6, 14), dt.date(2025, 1, 15)
JOBS = {  # person: (June export, January export) as (company, title)
    "p_joe": (("Initech", "Analyst"), ("Globex", "Senior Analyst")),
    "p_kim": (("Globex", "Designer"), ("Umbrella", "Designer")),
    "p_ann": (("Hooli", "Data Engineer"), ("Hooli", "Data Engineer")),
    "p_ben": (("Globex", "Data Scientist"), ("Globex", "Data Scientist")),
    "p_cal": (("Vandelay", "Data Engineer"), ("Vandelay", "Data Engineer")),
    "p_dan": (("Vandelay", "Data Scientist"), ("Vandelay", "Data Scientist")),
    "p_rob": (("Other Co", "Robotics Engineer"), ("Other Co", "Robotics Engineer")),
    "p_kes": (("Kestrel Robotics", "Accountant"), ("Kestrel Robotics", "Accountant")),
    "p_sue": (("Hooli", "Data Analyst"), ("Hooli", "Data Analyst")),
    "p_gus": (("Wayne Corp", "Founder"), ("Wayne Corp", "Founder")),
    "p_dee": (("Initrode", "Product Designer"), ("Initrode", "Product Designer")),
}
# the address book: birthdays, and where the alumni worked before (Initech)
ADDRESS_BOOK = {
    "p_bea": (None, 2, 3),
    "p_bob": (None, 2, 20),
    **{pid: ("Initech", None, None) for pid in ("p_ann", "p_ben", "p_cal", "p_dan")},
}


def touch(person, day, channel, direction, *, thread=None, kind="neutral", subkind=None, n=0):
    return {
        "interaction_id": f"{person}-{day}-{channel}-{direction}-{n}",
        "person_id": person,
        "occurred_at": dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC),
        "channel": channel,
        "direction": direction,
        "thread_id": thread,
        "is_reply": direction == "inbound" and thread is not None,
        "reply_latency_hours": None,
        "kind": kind,
        "subkind": subkind,
        "is_specific": None,
        "is_time_bound": None,
        "classified_by": "test",
        "source_table": "staging.linkedin_messages" if channel == "linkedin_message" else "test",
        "source_key": f"{person}-{day}-{channel}-{direction}-{n}",
    }


def meetings(person: str, first: str, last: str, every_days: int) -> list[dict]:
    rows, day = [], dt.date.fromisoformat(first)
    while day <= dt.date.fromisoformat(last):
        rows.append(touch(person, str(day), "meeting", "mutual", thread=f"m-{person}-{day}"))
        day += dt.timedelta(days=every_days)
    return rows


CONTENT = {  # what messages said, and their conversation
    "p_rita-2025-01-27-linkedin_message-inbound-0": (
        "Could you look at my deck by Friday?",
        "t-rita",
    ),
    "p_ray-2025-01-17-linkedin_message-inbound-0": ("Any thoughts on the draft?", "t-ray"),
    "p_tess-2025-01-28-linkedin_message-inbound-0": ("Thanks, that was kind!", "t-tess"),
    "p_gus-2025-01-10-linkedin_message-inbound-0": (
        "Happy new year! We are looking for a product designer for our new app.",
        "t-gus",
    ),
    "p_ann-2025-01-08-linkedin_message-inbound-0": ("I need advice on data, again.", "t-ann"),
}


def story() -> list[dict]:
    rows = [
        touch("p_rita", "2025-01-20", "linkedin_message", "outbound", thread="t-rita"),
        touch("p_rita", "2025-01-27", "linkedin_message", "inbound", thread="t-rita"),
        touch("p_ray", "2025-01-16", "linkedin_message", "outbound", thread="t-ray"),
        touch("p_ray", "2025-01-17", "linkedin_message", "inbound", thread="t-ray"),
        touch("p_tess", "2025-01-27", "linkedin_message", "outbound", thread="t-tess"),
        touch("p_tess", "2025-01-28", "linkedin_message", "inbound", thread="t-tess"),
        touch("p_nora", "2025-01-27", "connection", "inbound"),
        touch("p_kim", "2024-12-01", "linkedin_message", "outbound", subkind="congratulation"),
        touch("p_kim", "2024-12-02", "linkedin_message", "inbound"),
        touch("p_rob", "2024-12-05", "call", "outbound"),
        touch("p_rob", "2024-12-12", "call", "inbound"),
        touch("p_rob", "2025-01-05", "call", "outbound"),
        touch("p_kes", "2024-03-01", "connection", "mutual"),
        touch("p_pia", "2024-06-10", "call", "outbound"),
        touch("p_pia", "2024-07-10", "call", "inbound"),
        touch("p_pia", "2024-08-10", "call", "outbound"),
        touch("p_pat", "2024-06-12", "call", "outbound"),
        touch("p_pat", "2024-07-12", "call", "inbound"),
        touch("p_pat", "2024-08-12", "call", "outbound"),
        # Cal and Dan in one group conversation; Ben and Joe in one meeting
        touch("p_cal", "2024-05-02", "linkedin_message", "outbound", thread="t-group"),
        touch("p_dan", "2024-05-02", "linkedin_message", "outbound", thread="t-group"),
        touch("p_ben", "2024-04-04", "meeting", "mutual", thread="m-ben-joe"),
        touch("p_joe", "2024-04-04", "meeting", "mutual", thread="m-ben-joe"),
        touch("p_rita", "2024-04-04", "meeting", "mutual", thread="m-ben-joe"),
        # Gus says what he is looking for; you answered
        touch("p_gus", "2025-01-10", "linkedin_message", "inbound", thread="t-gus"),
        touch("p_gus", "2025-01-11", "linkedin_message", "outbound", thread="t-gus"),
        # Ann, a data engineer, asks about data: her own job answers that
        touch("p_ann", "2025-01-08", "linkedin_message", "inbound", thread="t-ann"),
        touch("p_ann", "2025-01-09", "linkedin_message", "outbound", thread="t-ann"),
    ]
    rows += meetings("p_cara", "2023-12-01", "2024-11-20", 30)
    for person in ("p_dora", "p_una", "p_nat"):
        rows += meetings(person, "2023-01-02", "2023-12-25", 7)
    rows.append(touch("p_una", "2024-11-01", "linkedin_message", "outbound", kind="ask"))
    rows.append(touch("p_nat", "2024-10-01", "linkedin_message", "outbound", kind="ask"))
    rows.append(touch("p_nat", "2024-11-01", "linkedin_message", "outbound", n=1))
    for person in ("p_ann", "p_ben", "p_cal", "p_dan", "p_bea", "p_bob", "p_joe", "p_sue"):
        rows += meetings(person, "2024-02-05", "2025-01-20", 14)
    for person in ("p_gus", "p_dee"):
        rows += meetings(person, "2024-02-05", "2025-01-20", 14)
    for n, day in enumerate(("2024-09-02", "2024-10-07", "2024-11-04")):
        rows.append(touch("p_gail", day, "linkedin_message", "outbound", kind="ask", n=n))
        rows.append(touch("p_gail", day, "linkedin_message", "inbound", thread=f"g{n}", n=n))
    rows += meetings("p_gail", "2024-02-10", "2025-01-25", 14)
    return rows


def write_story(db) -> None:
    people = pl.DataFrame(
        [
            {
                "person_id": pid,
                "display_name": name,
                "linkedin_slug": None,
                "primary_email": None,
                "company": JOBS[pid][1][0] if pid in JOBS else None,
                "sources": ["test"],
                "sightings": 1,
                "is_owner": pid == "p_me",
            }
            for pid, name in NAMES.items()
        ]
    )
    interactions = pl.DataFrame(story()).select(INTERACTION_COLUMNS)
    connections = pl.DataFrame(
        [
            {
                "connection_key": f"c-{pid}-{when}",
                "company": job[0],
                "position": job[1],
                "snapshot_date": when,
            }
            for pid, pair in JOBS.items()
            for when, job in zip((JUNE, JANUARY), pair, strict=True)
        ]
    )
    contacts = pl.DataFrame(
        [
            {
                "contact_key": f"k{i}",
                "labels": ["friends"],
                "source_path": "contacts.csv",
                "record_number": i,
                "company": company,
                "title": None,
                "birthday_month": month,
                "birthday_day": day,
                "snapshot_date": None,
            }
            for i, (company, month, day) in enumerate(ADDRESS_BOOK.values(), start=1)
        ],
        schema_overrides={
            "company": pl.String,
            "title": pl.String,
            "birthday_month": pl.Int64,
            "birthday_day": pl.Int64,
            "snapshot_date": pl.Date,
        },
    )
    sightings = pl.DataFrame(
        {
            "source": ["linkedin_connections"] * connections.height
            + ["contacts"] * len(ADDRESS_BOOK),
            "ref": [
                *connections["connection_key"],
                *(f"contacts.csv#{i}" for i in range(1, len(ADDRESS_BOOK) + 1)),
            ],
            "person_id": [*(pid for pid in JOBS for _ in range(2)), *ADDRESS_BOOK],
        }
    )
    messages = pl.DataFrame(
        {
            "message_key": list(CONTENT),
            "content": [content for content, _ in CONTENT.values()],
            "content_text": [content for content, _ in CONTENT.values()],
            "conversation_id": [conversation for _, conversation in CONTENT.values()],
            "sent_at": [dt.datetime(2025, 1, 27, tzinfo=dt.UTC)] * len(CONTENT),
        }
    )
    with warehouse.connect(db) as con:
        warehouse.replace_table(con, "core.people", people)
        warehouse.replace_table(con, "core.interactions", interactions)
        warehouse.replace_table(con, "core.person_sightings", sightings)
        warehouse.replace_table(
            con,
            "core.person_identifiers",
            pl.DataFrame(schema={"kind": pl.String, "value": pl.String, "person_id": pl.String}),
        )
        warehouse.replace_table(con, "staging.linkedin_connections", connections)
        warehouse.replace_table(con, "staging.contacts", contacts)
        warehouse.replace_table(con, "staging.linkedin_messages", messages)
        warehouse.run(
            con,
            "CREATE OR REPLACE TABLE staging.email_messages (message_key VARCHAR, snippet VARCHAR)",
        )
        warehouse.run(
            con,
            """CREATE OR REPLACE TABLE staging.calendar_attendees
               (event_key VARCHAR, event_uid VARCHAR, occurrence_start TIMESTAMPTZ)""",
        )


def build(folder, as_of: str = AS_OF, *, fresh: bool = True) -> dict[str, pl.DataFrame]:
    db = folder / "w.duckdb"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "constellation.toml"
    config.write_text(CONFIG)
    if fresh:
        db.unlink(missing_ok=True)
        write_story(db)
    resource = ConstellationResource(
        inbox=str(folder), db_path=str(db), as_of=as_of, config_path=str(config)
    )
    result = dg.materialize(ASSETS, resources={"constellation": resource})
    assert result.success
    assert all(c.passed for c in result.get_asset_check_evaluations())
    with warehouse.connect(db, read_only=True) as con:
        return {"db": db} | {
            name: warehouse.frame(con, f"SELECT * FROM {name}")
            for name in (
                "marts.recommended_actions",
                "marts.introductions",
                "marts.warm_paths",
                "marts.goal_contacts",
                "marts.goal_progress",
                "user_state.action_feedback",
            )
        }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, pl.DataFrame]:
    return build(tmp_path_factory.mktemp("actions"))


def of_type(frame: pl.DataFrame, action_type: str) -> pl.DataFrame:
    return frame.filter(pl.col("action_type") == action_type)


def people(frame: pl.DataFrame, action_type: str) -> set[str]:
    return set(of_type(frame, action_type)["person_id"])


def test_reply_owed_when_they_asked_and_capped_per_type(built):
    acts = built["marts.recommended_actions"]
    row = of_type(acts, "reply_owed").row(0, named=True)
    assert people(acts, "reply_owed") == {"p_rita"}  # cap 1: Ray waits; Tess only said thanks
    assert "4 days ago" in row["reason"] and "Could you look at my deck by Friday?" in row["reason"]
    assert row["due_on"] == dt.date(2025, 1, 31)
    assert row["opening_line"].startswith("Hi Rita")


def test_follow_up_new_connection(built):
    acts = built["marts.recommended_actions"]
    assert people(acts, "follow_up_new") == {"p_nora"}
    row = of_type(acts, "follow_up_new").row(0, named=True)
    assert "4 days ago" in row["reason"]
    assert row["due_on"] == dt.date(2025, 1, 31)  # two days after Monday have passed


def test_check_in_due_past_the_cadence(built):
    acts = built["marts.recommended_actions"]
    assert "p_cara" in people(acts, "check_in_due")
    row = of_type(acts, "check_in_due").filter(pl.col("person_id") == "p_cara").row(0, named=True)
    # the last of the monthly meetings was on 26 October
    assert "97 days" in row["reason"] and "usually talk every 30 days" in row["reason"]


def test_congratulate_job_change_and_birthday_this_week(built):
    acts = of_type(built["marts.recommended_actions"], "congratulate")
    assert set(acts["person_id"]) == {"p_joe", "p_bea"}  # not Kim (done), not Bob (later)
    joe = acts.filter(pl.col("person_id") == "p_joe").row(0, named=True)
    assert "Analyst at Initech to Senior Analyst at Globex" in joe["reason"]
    assert "Globex" in joe["opening_line"]
    bea = acts.filter(pl.col("person_id") == "p_bea").row(0, named=True)
    assert bea["due_on"] == dt.date(2025, 2, 3) and "in 3 days" in bea["reason"]


def test_give_first_for_ask_heavy_ties(built):
    acts = built["marts.recommended_actions"]
    assert people(acts, "give_first") == {"p_gail"}
    assert "3 asks and no offers" in of_type(acts, "give_first")["reason"][0]


def test_reconnect_dormant_without_nagging(built):
    acts = built["marts.recommended_actions"]
    assert people(acts, "reconnect_dormant") == {"p_dora", "p_una"}
    una = acts.filter(pl.col("person_id") == "p_una").row(0, named=True)
    assert "one friendly follow-up" in una["reason"]
    # Nat did not answer your question nor your follow-up: nothing at all is suggested
    assert "p_nat" not in set(acts["person_id"])


def test_introductions_only_between_people_never_in_touch(built):
    intros = built["marts.introductions"]
    pairs = {frozenset(p) for p in intros.select("person_a_id", "person_b_id").rows()}
    assert frozenset({"p_ann", "p_ben"}) in pairs
    assert frozenset({"p_cal", "p_dan"}) not in pairs  # they share a group thread
    assert frozenset({"p_ben", "p_joe"}) not in pairs  # they met
    ann_ben = intros.filter(
        pl.col("person_a_id").is_in(["p_ann", "p_ben"])
        & pl.col("person_b_id").is_in(["p_ann", "p_ben"])
    ).row(0, named=True)
    assert "a former employer in common: both have worked at Initech" in ann_ben["reason"]
    acts = of_type(built["marts.recommended_actions"], "introduce")
    assert acts.height >= 1 and acts["other_person_id"].null_count() == 0


def test_introductions_never_pair_colleagues(built):
    intros = built["marts.introductions"]
    pairs = {frozenset(p) for p in intros.select("person_a_id", "person_b_id").rows()}
    # Ann and Sue (both data people at Hooli) never shared a thread you saw, but colleagues
    # know each other already
    assert frozenset({"p_ann", "p_sue"}) not in pairs
    companies = {pid: jobs[1][0] for pid, jobs in JOBS.items()}
    assert all(companies[a] != companies[b] for a, b in pairs)
    assert not intros["reason"].str.contains("both work at").any()


def test_introduction_for_what_one_of_them_asked(built):
    intros = built["marts.introductions"]
    top = intros.filter(
        pl.col("person_a_id").is_in(["p_gus", "p_dee"])
        & pl.col("person_b_id").is_in(["p_gus", "p_dee"])
    ).row(0, named=True)
    assert top["main_link"] == "need"
    assert (
        "Gus Asker asked you for a product designer on 10 Jan 2025 (“We are looking for a "
        "product designer for our new app.”), and Dee Designer is Product Designer at Initrode"
    ) in top["reason"]
    # Ann asked for advice on data, but she is a data engineer herself: no need for Ben (a data scientist) to answer
    ann_ben = intros.filter(
        pl.col("person_a_id").is_in(["p_ann", "p_ben"])
        & pl.col("person_b_id").is_in(["p_ann", "p_ben"])
    ).row(0, named=True)
    assert ann_ben["main_link"] == "former_employer" and "asked you" not in ann_ben["reason"]
    introduce = of_type(built["marts.recommended_actions"], "introduce")
    assert {"p_gus", "p_dee"} <= set(introduce["person_id"]) | set(introduce["other_person_id"])


def test_every_introduction_names_its_link(built):
    phrase = {
        "need": "asked you for",
        "former_employer": "a former employer in common: both have worked at ",
        "same_field": "the same field at different companies (“",
        "complementary_roles": "complementary roles (",
        "shared_goal": "both fit your goal “",
    }
    intros = built["marts.introductions"]
    assert intros.height >= 3 and intros["main_link"].null_count() == 0
    for row in intros.iter_rows(named=True):
        # the strongest link comes first, right after who the two are
        first_link = row["reason"].split("): ", 1)[1].split("; ")[0]
        assert phrase[row["main_link"]] in first_link


def test_warm_paths_for_a_company(built):
    with warehouse.connect(built["db"], read_only=True) as con:
        paths = warm_paths_for(con, "globex")
    by_via = {r["via_person_id"]: r for r in paths.iter_rows(named=True)}
    assert set(paths["target_kind"]) == {"company"} and set(paths["target"]) == {"globex"}
    assert by_via["p_joe"]["path_kind"] == by_via["p_ben"]["path_kind"] == "works there"
    assert "Senior Analyst at Globex" in by_via["p_joe"]["reason"]
    assert by_via["p_rita"]["path_kind"] == "knows someone there"
    assert by_via["p_rita"]["through_person_id"] in {"p_joe", "p_ben"}
    assert "shares 1 meeting with" in by_via["p_rita"]["reason"]
    assert by_via["p_kim"]["path_kind"] == "knows someone there"
    assert "used to work at Globex" in by_via["p_kim"]["reason"]
    assert "p_ann" not in by_via  # Initech is not Globex, and Ann never met anyone there
    with warehouse.connect(built["db"], read_only=True) as con:
        assert warm_paths_for(con, "robotics engineer")["via_person_id"].to_list() == ["p_rob"]


def test_goal_matching_progress_and_actions(built):
    contacts = built["marts.goal_contacts"]
    matched = dict(contacts.select("person_id", "matched_on").rows())
    assert set(matched) == {"p_rob", "p_kes"}
    assert matched["p_rob"].startswith('role "robotics engineer"')
    assert matched["p_kes"].startswith('company "Kestrel Robotics"')
    progress = built["marts.goal_progress"]
    assert progress.height == 12
    month = {
        r["month"]: (r["matched_contacts"], r["touches"]) for r in progress.iter_rows(named=True)
    }
    assert month[dt.date(2024, 12, 1)] == (1, 2)
    assert month[dt.date(2025, 1, 1)] == (1, 1)
    assert month[dt.date(2024, 3, 1)] == (1, 1)  # Kes connected in March
    goal_actions = of_type(built["marts.recommended_actions"], "goal")
    assert goal_actions.height == 1 and goal_actions["goal"][0] == GOAL
    paths = built["marts.warm_paths"]
    assert set(paths.filter(pl.col("goal") == GOAL)["via_person_id"]) >= {"p_rob", "p_kes"}


def test_few_actions_each_with_reason_and_opening_line(built):
    acts = built["marts.recommended_actions"]
    assert acts.height <= 15
    assert acts["priority"].to_list() == list(range(1, acts.height + 1))
    assert acts["action_id"].n_unique() == acts.height
    assert acts["person_id"].n_unique() == acts.height  # one suggestion per person
    assert all(acts["reason"].str.contains(r"\d")) and acts["opening_line"].null_count() == 0
    assert set(acts["status"]) == {"open"}
    # varied: the first actions are of different types
    assert acts.head(5)["action_type"].n_unique() == 5


def test_weekly_pick_rotates_by_week_and_is_stable_for_a_date(tmp_path):
    first = build(tmp_path / "a")["marts.recommended_actions"]
    again = build(tmp_path / "a")["marts.recommended_actions"]
    assert first.equals(again)
    picks = of_type(first, "weekly_pick")
    assert picks.height == 1 and picks["due_on"][0] == dt.date(2025, 1, 31)
    next_week = of_type(
        build(tmp_path / "b", "2025-02-07")["marts.recommended_actions"], "weekly_pick"
    )
    assert next_week.height == 1
    assert next_week["person_id"][0] != picks["person_id"][0]
    assert next_week["action_id"][0] != picks["action_id"][0]


def test_feedback_survives_a_rebuild_from_scratch(tmp_path):
    folder = tmp_path / "w"
    folder.mkdir()
    acts = build(folder)["marts.recommended_actions"]
    log = user_state.user_state_path(folder / "w.duckdb")
    rita = of_type(acts, "reply_owed")["action_id"][0]
    joe = acts.filter(pl.col("person_id") == "p_joe")["action_id"][0]
    cara = acts.filter(pl.col("person_id") == "p_cara")["action_id"][0]
    user_state.record_feedback(log, rita, "dismissed")
    user_state.record_feedback(log, joe, "snoozed", dt.date(2025, 1, 20))
    user_state.record_feedback(log, joe, "done")  # the latest event wins
    user_state.record_feedback(log, cara, "snoozed", dt.date(2025, 2, 5))

    (folder / "w.duckdb").unlink()  # a full rebuild: the warehouse is gone
    rebuilt = build(folder)
    after = rebuilt["marts.recommended_actions"]
    status = dict(after.select("action_id", "status").rows())
    assert status[rita] == "dismissed" and status[joe] == "done" and status[cara] == "snoozed"
    assert after.filter(pl.col("action_id") == cara)["snoozed_until"][0] == dt.date(2025, 2, 5)
    # the dismissed reply leaves its place to the next one
    open_replies = of_type(after, "reply_owed").filter(pl.col("status") == "open")
    assert list(open_replies["person_id"]) == ["p_ray"]
    assert rebuilt["user_state.action_feedback"].height == 4

    # the snooze ends on its date
    later = build(folder, "2025-02-05", fresh=False)["marts.recommended_actions"]
    cara_later = later.filter(pl.col("person_id") == "p_cara")
    assert cara_later["status"].to_list() == ["open"]


def test_current_feedback_latest_event_and_undo(tmp_path):
    log = user_state.user_state_path(tmp_path / "data" / "warehouse.duckdb")
    assert log == tmp_path / "data" / "user_state" / "warehouse.feedback.jsonl"
    assert user_state.current_feedback(log).height == 0
    user_state.record_feedback(log, "a_1", "done")
    user_state.record_feedback(log, "a_2", "snoozed", dt.date(2025, 3, 1))
    user_state.record_feedback(log, "a_1", "open")  # undo
    with log.open("a") as handle:
        handle.write('{"action_id": "a_3", "status": "do')  # a torn last line is skipped
    current = user_state.current_feedback(log)
    assert dict(current.select("action_id", "status").rows()) == {"a_1": "open", "a_2": "snoozed"}
    assert current.columns == ["action_id", "status", "snoozed_until", "recorded_at"]
    with pytest.raises(ValueError):
        user_state.record_feedback(log, "a_1", "later")
    with pytest.raises(ValueError):
        user_state.record_feedback(log, "a_1", "snoozed")


def test_record_feedback_while_another_process_writes_the_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    log = user_state.user_state_path(db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import duckdb, sys, time
                con = duckdb.connect({str(db)!r})
                con.execute("BEGIN TRANSACTION")
                con.execute("CREATE TABLE busy AS SELECT * FROM range(1000000)")
                print("holding", flush=True)
                time.sleep(30)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(duckdb.IOException):  # the warehouse is locked for others...
            duckdb.connect(str(db))
        user_state.record_feedback(log, "a_locked", "done")  # ...the feedback is not
        writers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import sys; from pipelines.lib.user_state import record_feedback as r;"
                    f"[r(sys.argv[1], 'a_{w}_' + str(i), 'dismissed') for i in range(200)]",
                    str(log),
                ],
                cwd=os.getcwd(),
            )
            for w in range(2)
        ]
        assert all(w.wait(timeout=60) == 0 for w in writers)
        assert holder.poll() is None  # still holding the lock throughout
    finally:
        holder.kill()
        holder.wait()
    current = user_state.current_feedback(log)
    assert current.height == 401 and "a_locked" in set(current["action_id"])


def test_goals_configuration_is_checked(tmp_path):
    from pipelines.settings import ConfigError, load_settings

    bad = tmp_path / "bad.toml"
    bad.write_text('[[goals]]\nname = "Nothing to match"\n')
    with pytest.raises(ConfigError, match="at least one of roles, companies, keywords"):
        actions.configured_goals(load_settings(config_path=bad, db_path=tmp_path / "w.duckdb"))
    bad.write_text("[actions]\nper_type = { chase = 3 }\n")
    with pytest.raises(ConfigError, match="unknown action type 'chase'"):
        actions.action_settings(load_settings(config_path=bad, db_path=tmp_path / "w.duckdb"))


def test_the_sample_configuration_has_goals():
    from pipelines.settings import PROJECT_ROOT, SAMPLE_CONFIG, load_settings

    goals = actions.configured_goals(load_settings(config_path=SAMPLE_CONFIG))
    assert len(goals) == 2 and all(g.roles or g.companies or g.keywords for g in goals)
    example = load_settings(config_path=PROJECT_ROOT / "constellation.example.toml")
    assert actions.action_settings(example) == actions.ActionSettings()
