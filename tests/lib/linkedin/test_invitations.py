"""Invitations.csv in its three variants."""

import datetime as dt

import pytest

from pipelines.lib.inbox import SourceFile
from pipelines.lib.linkedin import invitations
from pipelines.lib.loading import validate
from pipelines.schemas.linkedin_invitations import LinkedinInvitationsSchema
from tests.conftest import fixture_bytes

UTC = dt.UTC


def parse(fixture: str):
    data = fixture_bytes(f"linkedin/{fixture}")
    source = SourceFile(
        path="export/Invitations.csv", size=len(data), container="", snapshot_date=None, open=None
    )
    return invitations.parse(data, source)


@pytest.mark.parametrize(
    ("fixture", "variant", "rows"),
    [
        ("invitations_2022.csv", "2018-2022", 2),
        ("invitations_2024_01.csv", "Jan 2024 (member URNs)", 2),
        ("invitations_2025.csv", "2024-2026 (profile URLs)", 3),
    ],
)
def test_every_variant_is_detected_from_its_header(fixture, variant, rows):
    parsed = parse(fixture)
    assert (parsed.variant, parsed.rows.height) == (variant, rows)


def test_crlf_file_with_comma_names_and_notes_reads_cleanly():
    rows = {r["from_name"]: r for r in parse("invitations_2022.csv").rows.iter_rows(named=True)}
    sina = rows["Sina Rezaee, PhD"]
    assert sina["sent_at"] == dt.datetime(2021, 11, 21, 18, 3, tzinfo=UTC)
    assert sina["message"] == "Hi Priya, we met at DataConf — would love to connect."
    assert (sina["has_note"], sina["direction"]) == (True, "INCOMING")
    outgoing = rows["Priya Raman"]
    assert (outgoing["to_name"], outgoing["message"], outgoing["has_note"]) == (
        "Li Wei",
        None,
        False,
    )
    assert outgoing["direction"] == "OUTGOING"


def test_bad_sent_at_is_quarantined():
    parsed = parse("invitations_2022.csv")
    assert [(r.record_number, r.reason) for r in parsed.rejected] == [
        (3, "Sent At '13/45/22, 9:15 AM' is not a date in a known format")
    ]
    assert parsed.rows_read == 3


def test_jan_2024_variant_keeps_member_urns_and_multiline_notes():
    rows = parse("invitations_2024_01.csv").rows.sort("sent_at")
    assert rows["inviter_profile_urn"].to_list() == [
        "urn:li:member:100000001",
        "urn:li:member:100000003",
    ]
    assert rows["invitee_profile_urn"].to_list()[0] == "urn:li:member:100000002"
    assert rows["message"].to_list()[1] == "Loved your talk on\ndata contracts!"
    assert rows["inviter_slug"].to_list() == [None, None]


def test_url_variant_gives_slugs_and_a_december_pm_time():
    rows = parse("invitations_2025.csv").rows
    tomas = rows.filter(rows["to_name"] == "Tomas Berg").row(0, named=True)
    assert tomas["sent_at"] == dt.datetime(2024, 12, 15, 7, 47, tzinfo=UTC)
    assert (tomas["inviter_slug"], tomas["invitee_slug"]) == ("priya-raman-0a1b", "tomas-berg")
    kenji = rows.filter(rows["to_name"] == "Kenji 山田").row(0, named=True)
    assert kenji["invitee_slug"] == "山田-kenji"


def test_unknown_direction_fails_validation_and_is_quarantined():
    parsed = parse("invitations_2025.csv")
    valid, rejected, _ = validate(parsed, LinkedinInvitationsSchema)
    assert valid.height == 2
    assert [r.record_number for r in rejected] == [3]
    assert "SIDEWAYS" in rejected[0].reason


def test_the_same_invitation_in_two_variants_gets_the_same_key():
    jan = parse("invitations_2024_01.csv").rows
    later = parse("invitations_2025.csv").rows
    shared = set(jan["invitation_key"]) & set(later["invitation_key"])
    assert len(shared) == 1
    assert later.filter(later["invitation_key"].is_in(list(shared)))["to_name"].to_list() == [
        "Kenji 山田"
    ]
