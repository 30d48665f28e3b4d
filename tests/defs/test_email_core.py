"""Mail in the core model, built by the real assets from the `core/` mail fixture and a small
LinkedIn export: people merged across mail and LinkedIn, the owner never a contact, touches with
replies and latency, introductions (and the near misses that are not), every noise rule."""

from __future__ import annotations

import shutil

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.defs.core.interactions import build_interactions
from pipelines.defs.core.people import owner, resolve_people
from pipelines.defs.raw import linkedin as raw_linkedin
from pipelines.defs.raw.mail import email_messages as raw_mail
from pipelines.defs.resources import ConstellationResource
from pipelines.defs.staging import linkedin as staging_linkedin
from pipelines.defs.staging import mail as staging_mail
from tests.conftest import write_export
from tests.lib.mail.corpus import MAIL

OWNER = """[owner]
names = ["Noor Haddad"]
emails = ["noor.haddad@gmail.com", "noor@work.example"]
"""
CONNECTIONS = b"""Notes:
"When exporting your connection data, you may notice that some of the email addresses are \
missing."

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ana,Torres,https://www.linkedin.com/in/ana-torres-11aa,,Kestrel,Data Lead,02 Feb 2024
Ben,Okafor,https://www.linkedin.com/in/ben-okafor-22bb,ben.okafor@example.net,Lumen,CTO,03 Feb 2024
Dev,Patel,https://www.linkedin.com/in/dev-patel-33cc,,Halcyon Energy,Analyst,04 Feb 2024
"""


def assets_of(*modules):
    return [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, dg.AssetsDefinition)
    ]


ASSETS = [
    raw_mail,
    *assets_of(staging_mail, raw_linkedin, staging_linkedin),
    owner,
    resolve_people,
    build_interactions,
]


def build(root, config_text: str = OWNER):
    inbox = root / "inbox"
    shutil.copytree(MAIL / "core", inbox)
    write_export(inbox, "Basic_LinkedInDataExport_04-01-2024", {"Connections.csv": CONNECTIONS})
    (root / "constellation.toml").write_text(config_text)
    db = root / "w.duckdb"
    resource = ConstellationResource(
        inbox=str(inbox), db_path=str(db), config_path=str(root / "constellation.toml")
    )
    result = dg.materialize(ASSETS, resources={"constellation": resource})
    assert result.success
    assert all(c.passed for c in result.get_asset_check_evaluations())
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("email_core"))


def query(db, sql: str):
    with warehouse.connect(db, read_only=True) as con:
        return warehouse.frame(con, sql)


def touches(db, where: str = "true"):
    return query(
        db,
        "SELECT p.display_name, m.message_id, i.* FROM core.interactions i "
        "JOIN core.people p USING (person_id) "
        "JOIN staging.email_messages m ON m.message_key = i.source_key "
        f"WHERE i.channel = 'email' AND {where} ORDER BY occurred_at, display_name",
    )


def noise(db) -> dict[str, str]:
    rows = query(
        db,
        "SELECT m.message_id, n.reason FROM quality.noise n "
        "JOIN staging.email_messages m ON m.message_key = n.source_key WHERE n.channel = 'email'",
    )
    return dict(rows.iter_rows())


def test_every_noise_rule_filters_its_message_with_the_reason(db):
    assert noise(db) == {
        "n1@news.example": "mailing list (List-Id)",
        "n2@conf.example": "bulk mail (Precedence: bulk)",
        "n3@example.net": "automatic message (Auto-Submitted: auto-replied)",
        "n4@service.example": "no-reply or notification sender",
        "n5@social.example": "no-reply or notification sender",
        "n6@shop.example": "bulk mail (Gmail Category Promotions)",
        "n7@mail.gmail.com": "draft, never sent",
        "n8@mail.gmail.com": "sent to more than 15 recipients",
        "n9@mail.gmail.com": "only your own addresses on it",
        "n10@example.org": "date missing or invalid",
    }
    assert touches(db, "m.message_id LIKE 'n%'").height == 0


def test_noise_senders_and_mass_mail_recipients_do_not_become_people(db):
    addresses = query(
        db, "SELECT value FROM core.person_identifiers WHERE kind = 'email' ORDER BY value"
    )["value"].to_list()
    assert addresses == [
        "ana.torres@kestrel.example",
        "ben.okafor@example.net",
        "carla@example.org",
        "dev.patel@kestrel.example",
        "eve@example.com",
        "noor@work.example",
        "noorhaddad@gmail.com",
    ]


def test_the_owner_is_one_person_and_never_a_contact(db):
    owners = query(db, "SELECT person_id, display_name FROM core.people WHERE is_owner")
    assert owners["display_name"].to_list() == ["Noor Haddad"]
    owner_id = owners["person_id"][0]
    owner_addresses = query(
        db,
        f"SELECT value FROM core.person_identifiers WHERE person_id = '{owner_id}' "
        "AND kind = 'email' ORDER BY value",
    )["value"].to_list()
    assert owner_addresses == ["noor@work.example", "noorhaddad@gmail.com"]
    assert touches(db, f"i.person_id = '{owner_id}'").height == 0


def test_mail_people_merge_with_linkedin_by_address_and_by_name_and_company(db):
    people = query(
        db,
        "SELECT p.display_name, p.linkedin_slug, i.value AS email, i.evidence "
        "FROM core.people p JOIN core.person_identifiers i USING (person_id) "
        "WHERE i.kind = 'email' AND NOT p.is_owner ORDER BY email",
    )
    by_email = {row["email"]: row for row in people.iter_rows(named=True)}
    # Ben's address is in his Connections row; Ana's work domain is her LinkedIn company.
    assert by_email["ben.okafor@example.net"]["linkedin_slug"] == "ben-okafor-22bb"
    assert by_email["ana.torres@kestrel.example"]["linkedin_slug"] == "ana-torres-11aa"
    assert by_email["ana.torres@kestrel.example"]["display_name"] == "Ana Torres"
    # Near miss: Dev Patel on LinkedIn works at Halcyon Energy, not at kestrel.example.
    assert by_email["dev.patel@kestrel.example"]["linkedin_slug"] is None
    devs = query(db, "SELECT count(*) AS n FROM core.people WHERE display_name = 'Dev Patel'")
    assert devs["n"][0] == 2


def test_a_reply_has_its_latency_and_copies_count_once(db):
    ana = touches(db, "p.display_name = 'Ana Torres' AND i.thread_id LIKE 'gmail:%1'")
    assert ana.select("message_id", "direction", "is_reply").rows() == [
        ("c1@kestrel.example", "inbound", False),
        ("c2@mail.gmail.com", "outbound", True),
    ]
    assert ana["reply_latency_hours"].to_list() == [None, 6.5]
    first = ana.row(0, named=True)
    assert (first["kind"], first["is_specific"], first["is_time_bound"]) == ("ask", True, True)


def test_an_introduction_is_a_give_to_both_and_near_misses_are_not(db):
    structural = "i.classified_by LIKE 'introduced two people%'"
    intro = touches(db, structural)
    assert intro.select("display_name", "message_id", "kind", "subkind", "direction").rows() == [
        ("Ana Torres", "c5@mail.gmail.com", "give", "introduction", "outbound"),
        ("Ben Okafor", "c5@mail.gmail.com", "give", "introduction", "outbound"),
    ]
    # The answer in the intro thread is a reply to Noor's introduction.
    answer = touches(db, "m.message_id = 'c6@kestrel.example'").row(0, named=True)
    assert (answer["display_name"], answer["is_reply"], answer["reply_latency_hours"]) == (
        "Ana Torres",
        True,
        12.0,
    )
    # Near misses: a pair already on a message together, a meeting request, three people.
    near = touches(db, "m.message_id IN ('c7@mail.gmail.com', 'c8@mail.gmail.com')")
    assert near.height == 4
    assert near["subkind"].to_list().count("introduction") == 0
    three = touches(db, "m.message_id = 'c9@mail.gmail.com'")
    assert three.height == 3
    assert touches(db, f"m.message_id = 'c9@mail.gmail.com' AND {structural}").height == 0


def test_the_many_recipients_threshold_comes_from_the_configuration(tmp_path):
    db = build(tmp_path, OWNER + "\n[email]\nmany_recipients = 20\n")
    assert "n8@mail.gmail.com" not in noise(db)
    assert touches(db, "m.message_id = 'n8@mail.gmail.com'").height == 16
