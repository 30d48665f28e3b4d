"""The relationship marts on a tiny story, as of Friday 2025-01-31.

Wendy writes back every week; Quinn meets you once a quarter but not since September; Fiona
was a weekly contact until May and has been silent since; Arthur only asks; Nora connected ten
days ago and heard nothing since; Nina got a message the day after connecting; Olga answered
your message and is waiting for yours; Uma never answered your two asks; Zed has your pending
invitation; Yusuf is in your address book and nothing more.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import polars as pl
import pytest

from pipelines import warehouse
from pipelines.defs.marts import metrics
from pipelines.defs.resources import ConstellationResource
from pipelines.lib.interactions import CANDIDATE_SCHEMA, INTERACTION_COLUMNS

AS_OF = "2025-01-31"
INTERACTION_SCHEMA = {
    **CANDIDATE_SCHEMA,
    "interaction_id": pl.String,
    "is_specific": pl.Boolean,
    "is_time_bound": pl.Boolean,
    "classified_by": pl.String,
}
ASSETS = [
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
    "p_olga": ("Olga Owed", None),
    "p_uma": ("Uma Unanswered", None),
    "p_zed": ("Zed Pending", None),
    "p_yusuf": ("Yusuf Unknown", None),
}
TITLES = {  # the newest LinkedIn export's job titles
    "p_wendy": "Senior Data Engineer",
    "p_quinn": "VP Sales",
    "p_olga": "Software Engineering Intern",
}


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


def touch(
    person,
    day,
    channel,
    direction,
    *,
    hour=9,
    thread=None,
    reply=False,
    latency=None,
    kind="neutral",
    specific=None,
    time_bound=None,
) -> dict:
    return {
        "interaction_id": f"{person}-{day}-{hour}-{direction}",
        "person_id": person,
        "occurred_at": at(day, hour),
        "channel": channel,
        "direction": direction,
        "thread_id": thread,
        "is_reply": reply,
        "reply_latency_hours": latency,
        "kind": kind,
        "subkind": None,
        "is_specific": specific,
        "is_time_bound": time_bound,
        "classified_by": "test",
        "source_table": "test",
        "source_key": f"{person}-{day}-{hour}",
    }


def weekly_exchange(person: str, first_monday: str, last_monday: str) -> list[dict]:
    """You write on Monday morning, they answer six hours later."""
    rows, day = [], dt.date.fromisoformat(first_monday)
    while day <= dt.date.fromisoformat(last_monday):
        thread = f"t-{person}-{day}"
        rows.append(touch(person, str(day), "linkedin_message", "outbound", thread=thread))
        rows.append(
            touch(
                person,
                str(day),
                "linkedin_message",
                "inbound",
                hour=15,
                thread=thread,
                reply=True,
                latency=6.0,
            )
        )
        day += dt.timedelta(days=7)
    return rows


def story() -> list[dict]:
    rows = weekly_exchange("p_wendy", "2024-02-05", "2025-01-27")
    rows[-1]["kind"] = "give"  # Wendy's last answer shared a lead
    rows += weekly_exchange("p_fiona", "2023-06-05", "2024-05-13")
    rows += [
        touch("p_quinn", day, "meeting", "mutual")
        for day in ("2024-01-15", "2024-04-15", "2024-07-15", "2024-09-20")
    ]
    rows += [
        touch("p_arthur", "2024-12-02", "linkedin_message", "inbound", thread="t-a1", kind="ask"),
        touch(
            "p_arthur",
            "2024-12-03",
            "linkedin_message",
            "outbound",
            thread="t-a1",
            reply=True,
            latency=24.0,
            kind="give",
        ),
        touch("p_arthur", "2024-12-16", "linkedin_message", "inbound", thread="t-a1", kind="ask"),
        touch(
            "p_arthur",
            "2024-12-17",
            "linkedin_message",
            "outbound",
            thread="t-a1",
            reply=True,
            latency=24.0,
            kind="give",
        ),
        touch("p_arthur", "2025-01-13", "linkedin_message", "inbound", thread="t-a2", kind="ask"),
        touch(
            "p_arthur",
            "2025-01-14",
            "linkedin_message",
            "outbound",
            thread="t-a2",
            reply=True,
            latency=24.0,
        ),
        touch("p_nora", "2025-01-20", "connection", "inbound", hour=0),
        touch("p_nina", "2025-01-03", "invitation", "outbound", kind="give"),
        touch("p_nina", "2025-01-05", "connection", "outbound", hour=0),
        touch("p_nina", "2025-01-06", "linkedin_message", "outbound", hour=10, thread="t-nina"),
        touch("p_olga", "2025-01-10", "linkedin_message", "outbound", thread="t-olga"),
        touch(
            "p_olga",
            "2025-01-21",
            "linkedin_message",
            "inbound",
            thread="t-olga",
            reply=True,
            latency=264.0,
        ),
        touch(
            "p_uma",
            "2024-12-01",
            "email",
            "outbound",
            thread="t-u1",
            kind="ask",
            specific=False,
            time_bound=False,
        ),
        touch(
            "p_uma",
            "2025-01-15",
            "email",
            "outbound",
            thread="t-u2",
            kind="ask",
            specific=True,
            time_bound=True,
        ),
        touch("p_zed", "2025-01-25", "invitation", "outbound"),
        # after the as-of date: must not count
        touch("p_quinn", "2025-02-03", "meeting", "mutual"),
        touch("p_nora", "2025-02-01", "linkedin_message", "outbound", thread="t-nora"),
    ]
    return rows


def write_story(db) -> None:
    people = pl.DataFrame(
        [
            {
                "person_id": pid,
                "display_name": name,
                "linkedin_slug": None,
                "primary_email": None,
                "company": company,
                "sources": ["test"],
                "sightings": 1,
                "is_owner": pid == "p_me",
            }
            for pid, (name, company) in PEOPLE.items()
        ]
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
            "company": [PEOPLE[p][1] or "Northwind Bank" for p in TITLES],
            "position": list(TITLES.values()),
            "snapshot_date": [dt.date(2025, 1, 15)] * len(TITLES),
        }
    )
    sightings = pl.DataFrame(
        {
            "source": ["linkedin_invitations"] * 3 + ["linkedin_connections"] * len(TITLES),
            "ref": ["inv-nina", "inv-zed", "inv-nora", *[f"c-{p}" for p in TITLES]],
            "person_id": ["p_nina", "p_zed", "p_nora", *TITLES],
        }
    )
    with warehouse.connect(db) as con:
        warehouse.replace_table(con, "core.people", people)
        warehouse.replace_table(con, "core.interactions", interactions)
        warehouse.replace_table(con, "core.person_sightings", sightings)
        warehouse.replace_table(con, "staging.linkedin_invitations", invitations)
        warehouse.replace_table(con, "staging.linkedin_connections", connections)


def build(tmp_path, as_of: str = AS_OF) -> dict[str, pl.DataFrame]:
    db = tmp_path / "w.duckdb"
    if not db.exists():
        write_story(db)
    resource = ConstellationResource(inbox=str(tmp_path), db_path=str(db), as_of=as_of)
    result = dg.materialize(ASSETS, resources={"constellation": resource})
    assert result.success
    assert all(c.passed for c in result.get_asset_check_evaluations())
    with warehouse.connect(db, read_only=True) as con:
        return {
            name: warehouse.frame(con, f"SELECT * FROM marts.{name}")
            for name in (
                "relationship_health",
                "reciprocity",
                "follow_ups",
                "weekly_trends",
                "network_diversity",
            )
        }


@pytest.fixture(scope="module")
def marts(tmp_path_factory) -> dict[str, pl.DataFrame]:
    return build(tmp_path_factory.mktemp("marts"))


def person(frame: pl.DataFrame, person_id: str) -> dict:
    return frame.filter(pl.col("person_id") == person_id).row(0, named=True)


def test_smoke(marts):
    for name, frame in marts.items():
        print(name)
        with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_width_chars=250):
            print(frame)
