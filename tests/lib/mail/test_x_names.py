"""Names from the X-From / X-To / X-cc headers of Exchange and Notes exports (the Enron corpus):
what a user sees instead of a bare address when From and To hold no display name."""

from __future__ import annotations

import pytest

from pipelines.lib import inbox
from pipelines.lib.mail import ingest, sources
from pipelines.lib.mail.x_names import name_list, paired_names, person_name
from tests.conftest import FIXTURES

# An Enron mailbox in the corpus's own layout and bytes (written by
# tests/fixtures/mail/make_fixtures.py); kept apart from the mail corpus, whose counts other
# tests pin.
ENRON = FIXTURES / "enron"
MAILBOX = "maildir/allen-p"


def rows_of(relative: str) -> tuple[dict, list[dict]]:
    """The rows the loader makes of one file of the Enron fixture."""
    for source in inbox.scan(ENRON).files:
        if source.path == relative:
            fmt = sources.source_format(source)
            with source.open() as handle:
                (message,) = sources.iter_messages(source, fmt, handle)
            ctx = ingest.FileContext(source, fmt, None, store_snippets=False)
            return ingest.message_rows(message, 1, ctx)
    raise AssertionError(f"{relative} is not in the Enron fixture")


def test_fixture_is_an_enron_file_with_crlf_headers():
    data = (ENRON / MAILBOX / "inbox/1.").read_bytes()
    headers, _, body = data.partition(b"\r\n\r\n")
    assert headers.count(b"\n") == headers.count(b"\r\n") == 14
    assert b"\r" not in body  # the corpus keeps LF in many bodies
    assert b"\r\nX-From: Buy, Rick </O=ENRON/OU=NA/CN=RECIPIENTS/CN=RBUY>\r\n" in data


def test_bare_address_sender_is_named_from_x_from():
    row, _ = rows_of(f"{MAILBOX}/inbox/1.")
    assert (row["from_address"], row["from_name"]) == ("rick.buy@enron.com", None)
    assert row["from_x_name"] == "Rick Buy"


def test_exchange_recipients_are_paired_with_their_x_to_and_x_cc_names():
    row, recipients = rows_of(f"{MAILBOX}/sent_items/1.")
    assert row["from_x_name"] == "Phillip K. Allen"
    assert [(r["role"], r["address"], r["name"], r["x_name"]) for r in recipients] == [
        ("to", "rick.buy@enron.com", None, "Rick Buy"),
        ("to", "heather.dunton@enron.com", None, "Heather Dunton"),
        ("cc", "mike.grigsby@enron.com", None, "Mike Grigsby"),
        ("bcc", "mike.grigsby@enron.com", None, None),  # X-bcc is empty
    ]


def test_no_name_is_paired_when_x_to_lists_fewer_people_than_to():
    _, recipients = rows_of(f"{MAILBOX}/sent/1.")
    assert [r["address"] for r in recipients] == [
        "keith.holst@enron.com",
        "matthew.lenhart@enron.com",
        "frank.ermis@enron.com",
    ]
    assert [r["x_name"] for r in recipients] == [None, None, None]


def test_x_from_holding_an_address_names_no_one():
    row, _ = rows_of(f"{MAILBOX}/inbox/2.")
    assert row["from_x_name"] is None


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("Buy, Rick </O=ENRON/OU=NA/CN=RECIPIENTS/CN=RBUY>", "Rick Buy"),
        ("Phillip K Allen", "Phillip K Allen"),
        ("Jim Derrick@ENRON", "Jim Derrick"),
        ('"Hargrove, Mac D [PVTC]" <mac.d.hargrove@rssmb.com> @ ENRON', "Mac D Hargrove"),
        ('"Drew Fossum (E-mail)" <dfossum@enron.com>', "Drew Fossum"),
        ('"ALLEN, PHILLIP K" <pallen@enron.com>', "Phillip K Allen"),
        (
            "Outlook Migration Team <Outlook Migration Team/Corp/Enron@ENRON>",
            "Outlook Migration Team",
        ),
        (
            "'\"Jeff Smith\" <jsmith@austintx.com>@ENRON' "
            "<IMCEANOTES-+22Jeff+20Smith+22+20+3Cjsmith+40austintx+2Ecom+3E+40ENRON@ENRON.com>",
            "Jeff Smith",
        ),
        ("'jsmith@austintx.com'", None),
        ("bounce-news-932653@lists.autoweb.com", None),
        ("gousa6179@hotmail.kg@ENRON", None),
        ("", None),
    ],
)
def test_person_name_reads_the_forms_of_the_corpus(value, name):
    assert person_name(value) == name


def test_name_lists_keep_exchange_names_whole_and_split_notes_names():
    exchange = (
        "Engler, Adrianne </O=ENRON/OU=NA/CN=RECIPIENTS/CN=Aengler>, "
        "Buckley, Karen </O=ENRON/OU=NA/CN=RECIPIENTS/CN=Kbuckley>"
    )
    assert name_list(exchange) == ("Adrianne Engler", "Karen Buckley")
    mixed = '"Barrett H. Reasoner" <Breasoner@Gibbs-Bruns.com>, Mary Kay Miller, Julia White'
    assert name_list(mixed) == ("Barrett H. Reasoner", "Mary Kay Miller", "Julia White")
    assert name_list("ywang@Enron.com, Patti.Sullivan@Enron.com") == (None, None)


def test_pairing_is_per_role():
    recipients = [("to", "a@x.com", None), ("cc", "b@x.com", None), ("cc", "c@x.com", None)]
    assert paired_names(recipients, {"to": "Ann A", "cc": "Bob B, Cy C"}) == [
        "Ann A",
        "Bob B",
        "Cy C",
    ]
    assert paired_names(recipients, {"to": "Ann A", "cc": "Bob B"}) == ["Ann A", None, None]
