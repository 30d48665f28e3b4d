"""core.interactions and quality.noise built by the real assets from fixtures of every source."""

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.defs.core.interactions import build_interactions
from pipelines.defs.core.people import owner, resolve_people
from pipelines.defs.raw import calendar as raw_calendar
from pipelines.defs.raw import contacts as raw_contacts
from pipelines.defs.raw import linkedin as raw_linkedin
from pipelines.defs.resources import ConstellationResource
from pipelines.defs.staging import contacts_calendar as staging_contacts_calendar
from pipelines.defs.staging import linkedin as staging_linkedin
from tests.conftest import fixture_bytes, write_export

OWNER = """[owner]
names = ["Priya Raman"]
emails = ["sam.owner@example.org"]
linkedin_url = "https://www.linkedin.com/in/priya-raman-0a1b"
"""


def assets_of(*modules):
    return [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, dg.AssetsDefinition)
    ]


@pytest.fixture(scope="module")
def warehouse_path(tmp_path_factory):
    root = tmp_path_factory.mktemp("interactions")
    inbox = root / "inbox"
    write_export(
        inbox,
        "Basic_LinkedInDataExport_01-15-2025",
        {
            "Connections.csv": fixture_bytes("linkedin/connections_2024.csv"),
            "messages.csv": fixture_bytes("linkedin/messages_2023.csv"),
            "Invitations.csv": fixture_bytes("linkedin/invitations_2025.csv"),
        },
    )
    write_export(
        inbox,
        "Basic_LinkedInDataExport_02-01-2025",
        {"messages.csv": fixture_bytes("linkedin/messages_2024_12.csv")},
    )
    (inbox / "calendar.ics").write_bytes(fixture_bytes("calendar/google.ics"))
    (inbox / "interaction_log.csv").write_bytes(fixture_bytes("contacts/interaction_log_dmy.csv"))
    (root / "constellation.toml").write_text(OWNER)
    db = root / "w.duckdb"
    resource = ConstellationResource(
        inbox=str(inbox), db_path=str(db), config_path=str(root / "constellation.toml")
    )
    assets = [
        *assets_of(raw_linkedin, staging_linkedin, raw_calendar, raw_contacts),
        *assets_of(staging_contacts_calendar),
        owner,
        resolve_people,
        build_interactions,
    ]
    result = dg.materialize(assets, resources={"constellation": resource})
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert all(
        c.passed for c in checks if c.check_name == "every_interaction_has_direction_and_kind"
    )
    return db


def touches(db, where: str):
    with warehouse.connect(db, read_only=True) as con:
        return warehouse.frame(
            con,
            "SELECT p.display_name, i.* FROM core.interactions i JOIN core.people p "
            f"USING (person_id) WHERE {where} ORDER BY occurred_at, display_name",
        )


def test_a_group_message_from_the_owner_is_an_outbound_touch_with_each_recipient(warehouse_path):
    group = touches(warehouse_path, "thread_id = '2-Ym9va19jbHVi'")
    assert group["display_name"].to_list() == ["Jonas Weber", "Li Wei", "Sina Rezaee, PhD"]
    assert set(group["direction"]) == {"outbound"}


def test_a_reply_knows_what_it_answers_and_how_long_it_took(warehouse_path):
    jonas = touches(warehouse_path, "thread_id = '2-Y29udjFfam9uYXM='")
    assert jonas["direction"].to_list() == ["inbound", "outbound"]
    assert jonas["is_reply"].to_list() == [False, True]
    assert jonas["reply_latency_hours"][1] == pytest.approx((11 * 60 + 37) / 3600)


def test_the_owner_is_never_their_own_contact(warehouse_path):
    assert touches(warehouse_path, "p.is_owner").height == 0


def test_sponsored_mail_and_drafts_are_filtered_with_their_reason(warehouse_path):
    with warehouse.connect(warehouse_path, read_only=True) as con:
        reasons = warehouse.frame(
            con, "SELECT reason, count(*) AS n FROM quality.noise GROUP BY ALL ORDER BY reason"
        )
    assert reasons.rows() == [("draft, never sent", 1), ("sponsored or InMail", 1)]


def test_endorsement_like_structural_touches_and_logged_gives_keep_their_kind(warehouse_path):
    logged = touches(warehouse_path, "source_table = 'staging.interaction_log'")
    maren = logged.filter(logged["display_name"].str.contains("Maren")).row(0, named=True)
    assert (maren["channel"], maren["direction"], maren["kind"]) == ("coffee", "outbound", "give")
    assert maren["classified_by"] == "written in the interaction log"


def test_meetings_are_touches_with_every_attendee_but_the_owner(warehouse_path):
    meetings = touches(
        warehouse_path, "channel = 'meeting' AND source_table = 'staging.calendar_events'"
    )
    assert meetings.height > 0
    assert set(meetings["direction"]) <= {"inbound", "outbound"}
    assert "Priya Raman" not in meetings["display_name"].to_list()


def test_an_ask_in_a_message_is_classified_with_its_reason(warehouse_path):
    asks = touches(warehouse_path, "kind = 'ask'")
    assert asks.height > 0
    assert all(asks["classified_by"].str.len_chars() > 0)
