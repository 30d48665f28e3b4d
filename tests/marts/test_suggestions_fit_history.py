"""Suggestions read right to the person whose network it is, on the bundled sample and on a
LinkedIn-only inbox (the sample's two LinkedIn exports and nothing else): introductions are
never between colleagues and name their link; weekly picks are people with a real past; no
opening line claims a meeting, a call or a conversation the person's interactions do not show.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.defs.sql_table import sql_path
from pipelines.settings import DEFAULT_SAMPLE, ENV_AS_OF, ENV_DB, load_settings
from tests.conftest import refresh_with_cli, sample_env

WRITTEN = ("linkedin_message", "email")
NOT_TIME_TOGETHER = (*WRITTEN, "call", "connection", "invitation", "endorsement")
NOT_TIME_TOGETHER += ("recommendation", "other")

# What a line claims, as a reader understands it, and what must be in the data for it.
CLAIMS = {
    "time together": re.compile(
        r"\bwe met\b|good to (?:meet|see) you|thank you for your time|our (?!call\b)\w+ in \w+ \d{4}",
        re.IGNORECASE,
    ),
    "a call": re.compile(r"\bour call\b", re.IGNORECASE),
    "messages both ways": re.compile(r"\bwe (?:last )?wrote\b", re.IGNORECASE),
    "a conversation": re.compile(
        r"\bour conversations?\b|\bwe (?:talked|spoke)\b|\bit's been a while\b", re.IGNORECASE
    ),
    "a message from them": re.compile(r"your patience|here is my answer", re.IGNORECASE),
    "a connection": re.compile(r"connected on linkedin|glad we're connected", re.IGNORECASE),
    "no exchange yet": re.compile(r"haven't spoken yet", re.IGNORECASE),
}


def claims_in(line: str) -> set[str]:
    return {claim for claim, pattern in CLAIMS.items() if pattern.search(line)}


def past_of(con: duckdb.DuckDBPyConnection, person_id: str, as_of: str) -> set[str]:
    """What the person's interactions up to the as-of date show."""
    rows = con.execute(
        """SELECT channel, direction FROM core.interactions
           WHERE person_id = ? AND (occurred_at AT TIME ZONE 'UTC')::DATE <= ?::DATE""",
        [person_id, as_of],
    ).fetchall()
    channels = {c for c, _ in rows}
    shown = set()
    if channels - set(NOT_TIME_TOGETHER):
        shown.add("time together")
    if "call" in channels:
        shown.add("a call")
    written = {d for c, d in rows if c in WRITTEN}
    if {"inbound", "outbound"} <= written:
        shown.add("messages both ways")
    if "inbound" in written:
        shown.add("a message from them")
    if "connection" in channels:
        shown.add("a connection")
    if shown & {"time together", "a call", "messages both ways"}:
        shown.add("a conversation")
    else:
        shown.add("no exchange yet")
    return shown


@pytest.fixture(scope="module")
def linkedin_only(tmp_path_factory) -> dict[str, str]:
    """A warehouse built from the sample's LinkedIn exports alone, as a new user starts."""
    root = tmp_path_factory.mktemp("linkedin_only")
    inbox = root / "inbox"
    inbox.mkdir()
    for export in DEFAULT_SAMPLE.glob("*LinkedInDataExport*"):
        copy = shutil.copytree if export.is_dir() else shutil.copy
        copy(export, inbox / export.name)
    settings = sample_env(root, inbox)
    run = refresh_with_cli({**os.environ, **settings})
    output, _ = run.communicate(timeout=600)
    assert run.returncode == 0, output
    return settings


def snapshot(settings: dict[str, str]) -> duckdb.DuckDBPyConnection:
    path = load_settings(db_path=Path(settings[ENV_DB])).snapshot_path
    return duckdb.connect(str(path), read_only=True)


@pytest.fixture(params=["sample", "linkedin_only"])
def warehouse_settings(request, sample_built) -> dict[str, str]:
    return sample_built if request.param == "sample" else request.getfixturevalue("linkedin_only")


def test_no_opening_line_claims_a_past_the_data_does_not_show(warehouse_settings):
    as_of = warehouse_settings[ENV_AS_OF]
    with snapshot(warehouse_settings) as con:
        actions = con.sql(
            "SELECT action_type, person_id, opening_line FROM marts.recommended_actions"
        ).pl()
        assert actions.height > 0
        for row in actions.iter_rows(named=True):
            claimed = claims_in(row["opening_line"])
            unbacked = claimed - past_of(con, row["person_id"], as_of)
            assert not unbacked, (row, unbacked)


def test_weekly_picks_only_people_with_a_real_past_or_a_goal(warehouse_settings):
    as_of = warehouse_settings[ENV_AS_OF]
    with snapshot(warehouse_settings) as con:
        con.execute("SET VARIABLE as_of = ?::DATE", [as_of])
        candidates = con.sql(sql_path("marts", "recommended_actions").read_text()).pl()
        pool = candidates.filter(pl.col("action_type") == "weekly_pick")
        goal_people = {
            r[0] for r in con.sql("SELECT person_id FROM marts.goal_contacts").fetchall()
        }
        for person_id in pool["person_id"]:
            shown = past_of(con, person_id, as_of)
            real = shown & {"time together", "a call", "messages both ways"}
            assert real or person_id in goal_people, (person_id, shown)


def test_introductions_never_between_colleagues_and_name_their_link(warehouse_settings):
    with snapshot(warehouse_settings) as con:
        intros = con.sql("SELECT * FROM marts.introductions").pl()
        same_employer = con.sql(
            """WITH employer AS (
                   SELECT person_id, lower(company) AS company FROM marts.person_jobs
                   WHERE is_current AND company IS NOT NULL
               )
               SELECT count(*) FROM marts.introductions AS i
               JOIN employer AS a ON a.person_id = i.person_a_id
               JOIN employer AS b ON b.person_id = i.person_b_id AND b.company = a.company"""
        ).fetchall()[0][0]
    assert same_employer == 0
    assert not intros["reason"].str.contains("both work at").any()
    named = {
        "need": r"asked you for (an introduction to someone at|advice on|a) \S",
        "former_employer": r"both have worked at [A-Z]",
        "same_field": r"the same field at different companies \(“\w",
        "complementary_roles": r"complementary roles \(\w",
        "shared_goal": r"both fit your goal “",
    }
    for row in intros.iter_rows(named=True):
        assert re.search(named[row["main_link"]], row["reason"]), row["reason"]
