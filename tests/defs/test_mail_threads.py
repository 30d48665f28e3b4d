"""Threads and replies in mail without reply headers (an Enron maildir: no In-Reply-To, no
References), through the real assets: a reply that drops a Cc stays in its thread, Re[2]:/AW:
subjects and quoted originals make a reply even when the message answered is missing, and a
forward is not a reply."""

from __future__ import annotations

import shutil

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.defs.core.interactions import build_interactions
from pipelines.defs.core.people import owner, resolve_people
from pipelines.defs.raw.mail import email_messages as raw_mail
from pipelines.defs.resources import ConstellationResource
from pipelines.defs.staging import mail as staging_mail
from tests.conftest import FIXTURES
from tests.defs.test_email_core import assets_of

OWNER = """[owner]
emails = ["drew.fossum@enron.com"]
"""


def mail_warehouse(root, fixture: str):
    """The maildir fixture `fixture` loaded into a warehouse under `root` by the real assets,
    raw mail to core interactions; the warehouse's path."""
    shutil.copytree(FIXTURES / fixture, root / "inbox")
    (root / "constellation.toml").write_text(OWNER)
    resource = ConstellationResource(
        inbox=str(root / "inbox"),
        db_path=str(root / "w.duckdb"),
        config_path=str(root / "constellation.toml"),
    )
    assets = [raw_mail, *assets_of(staging_mail), owner, resolve_people, build_interactions]
    assert dg.materialize(assets, resources={"constellation": resource}).success
    return root / "w.duckdb"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return mail_warehouse(tmp_path_factory.mktemp("mail_threads"), "threads")


def touches(db) -> dict[str, tuple]:
    """subject -> (person's address, direction, thread, is_reply, reply latency in hours)."""
    with warehouse.connect(db, read_only=True) as con:
        rows = warehouse.frame(
            con,
            """SELECT m.subject, p.primary_email, i.direction, i.thread_id, i.is_reply,
                      i.reply_latency_hours
               FROM core.interactions AS i
               JOIN staging.email_messages AS m ON m.message_key = i.source_key
               JOIN core.people AS p USING (person_id)""",
        ).iter_rows()
        return {subject: rest for subject, *rest in rows}


def test_a_reply_that_drops_a_cc_stays_in_the_thread_and_is_a_reply(db):
    found = touches(db)
    first, answer = found["Pipeline rates"], found["RE: Pipeline rates"]
    assert first[:2] == ["maria.pavlou@enron.com", "inbound"]
    assert answer[2] == first[2]  # one thread, though the answer has fewer people on it
    assert answer[1:] == ["outbound", first[2], True, 2.0]


def test_a_cc_answering_with_re_2_joins_the_thread_as_a_reply(db):
    found = touches(db)
    address, direction, thread, is_reply, latency = found["Re[2]: Pipeline rates"]
    assert (address, direction, is_reply, latency) == (
        "shelley.corman@enron.com",
        "inbound",
        True,
        None,  # what Shelley answered (the first message) was not sent to her by Drew
    )
    assert thread == found["Pipeline rates"][2]


def test_an_answer_whose_parent_is_missing_is_a_reply_in_its_own_thread(db):
    found = touches(db)
    address, _, thread, is_reply, latency = found["AW: Pipeline rates"]
    assert (address, is_reply, latency) == ("lee.huber@enron.com", True, None)
    assert thread != found["Pipeline rates"][2]  # nobody but Drew was on both


def test_a_quoted_original_makes_a_reply_and_a_forward_is_not_one(db):
    found = touches(db)
    assert found["Budget"][3] is True
    assert found["FW: Storage report"][3] is False


def test_staging_says_what_each_message_follows(db):
    with warehouse.connect(db, read_only=True) as con:
        rows = warehouse.frame(
            con,
            """SELECT m.subject, p.subject AS follows, m.answers_something
               FROM staging.email_messages AS m
               LEFT JOIN staging.email_messages AS p ON p.message_key = m.parent_message_key""",
        ).iter_rows()
        found = {subject: (follows, answers) for subject, follows, answers in rows}
    assert found == {
        "Pipeline rates": (None, False),
        "RE: Pipeline rates": ("Pipeline rates", True),
        "Re[2]: Pipeline rates": ("Pipeline rates", True),
        "AW: Pipeline rates": (None, True),
        "Budget": (None, True),
        "FW: Storage report": (None, False),
    }


@pytest.fixture(scope="module")
def shifted_db(tmp_path_factory):
    """A sent message kept twice, as the Enron archives do: its Notes copy and its Outlook copy
    stamped 11 hours later and wrapped differently; an answer lies between the two."""
    return mail_warehouse(tmp_path_factory.mktemp("shifted_copies"), "shifted_copies")


def test_a_copy_stamped_whole_hours_later_is_the_same_message(shifted_db):
    with warehouse.connect(shifted_db, read_only=True) as con:
        messages = warehouse.frame(
            con,
            """SELECT strftime(date_utc, '%H:%M') AS sent, copies, source_path
               FROM staging.email_messages
               WHERE from_address = 'drew.fossum@enron.com' ORDER BY date_utc""",
        )
        outbound = warehouse.frame(
            con,
            """SELECT strftime(occurred_at AT TIME ZONE 'UTC', '%H:%M') AS at, is_reply
               FROM core.interactions WHERE direction = 'outbound' ORDER BY occurred_at""",
        )
        answer = warehouse.frame(
            con, "SELECT is_reply FROM core.interactions WHERE direction = 'inbound'"
        )
    # the first send (10:20 UTC) holds both files; the follow-up with other words stays apart
    assert messages.rows() == [
        ("10:20", 2, "maildir/fossum-d/_sent_mail/668."),
        ("20:20", 1, "maildir/fossum-d/_sent_mail/670."),
    ]
    # one touch for the message, not a second one 11 hours later that "answers" Eric's reply
    assert outbound.rows() == [("10:20", False), ("20:20", True)]
    assert answer["is_reply"].to_list() == [True]


@pytest.fixture(scope="module")
def resends_db(tmp_path_factory):
    """Kay sends "Staff Meeting" twice, five days apart, with no RE: and nothing quoted (a
    weekly notice); Drew answers the second with the same bare subject."""
    return mail_warehouse(tmp_path_factory.mktemp("resends"), "resends")


def test_the_same_sender_writing_the_same_subject_again_is_not_a_reply(resends_db):
    with warehouse.connect(resends_db, read_only=True) as con:
        rows = warehouse.frame(
            con,
            """SELECT m.from_address, strftime(m.date_utc, '%d %b') AS sent,
                      strftime(p.date_utc, '%d %b') AS follows,
                      dense_rank() OVER (ORDER BY m.thread_id) AS thread
               FROM staging.email_messages AS m
               LEFT JOIN staging.email_messages AS p ON p.message_key = m.parent_message_key
               ORDER BY m.date_utc""",
        ).rows()
        replies = warehouse.frame(
            con,
            """SELECT p.primary_email, i.direction, i.reply_latency_hours
               FROM core.interactions AS i JOIN core.people AS p USING (person_id)
               WHERE i.is_reply""",
        ).rows()
    sent = [row[:3] for row in rows]
    assert sent == [
        ("kay.chapman@enron.com", "30 Jun", None),
        ("kay.chapman@enron.com", "05 Jul", None),  # Kay again: a new notice, not a reply
        ("drew.fossum@enron.com", "06 Jul", "05 Jul"),  # Drew answering the second one
    ]
    first, second, answer = (row[3] for row in rows)
    assert first != second and answer == second  # two notices, two threads
    assert replies == [("kay.chapman@enron.com", "outbound", 23.25)]


@pytest.fixture(scope="module")
def list_db(tmp_path_factory):
    """A company announcement to a distribution list, a newsletter's answer to an address of
    Drew's that is not configured, and a colleague Drew wrote to writing to a team list."""
    return mail_warehouse(tmp_path_factory.mktemp("list_mail"), "list_mail")


def test_mail_to_a_list_from_someone_you_never_wrote_to_is_bulk(list_db):
    with warehouse.connect(list_db, read_only=True) as con:
        noise = dict(
            warehouse.frame(
                con, "SELECT from_address, noise_reason FROM staging.email_messages"
            ).iter_rows()
        )
        people = warehouse.frame(
            con,
            """SELECT DISTINCT p.primary_email FROM core.interactions
               JOIN core.people AS p USING (person_id) ORDER BY 1""",
        )["primary_email"].to_list()
    assert noise == {
        "enron.announcements@enron.com": "sent to a list or Bcc by someone you never wrote to",
        "tcastleman@ftenergy.com": None,  # an answer is personal, whatever address it went to
        "kim.watson@enron.com": None,  # Drew wrote to her
        "drew.fossum@enron.com": None,
    }
    assert people == ["kim.watson@enron.com", "tcastleman@ftenergy.com"]
