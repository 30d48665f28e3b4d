import datetime as dt

import pytest

from pipelines.lib.csvfile import UnreadableFile
from pipelines.lib.linkedin import endorsements
from tests.lib.linkedin.parsing import parse_fixture

UTC = dt.UTC


@pytest.mark.parametrize(
    ("name", "variant", "rows"),
    [
        ("endorsements_received_2024.csv", "current (with URL)", 4),
        ("endorsements_received_2021.csv", "older (no URL)", 2),
        ("endorsement_received_legacy_utf16.csv", "legacy UTF-16 TSV (display status)", 3),
    ],
)
def test_every_received_variant_is_detected_from_its_header(name, variant, rows):
    parsed = parse_fixture(endorsements.parse_received, name)
    assert parsed.variant == variant
    assert parsed.rows.height == rows


def test_legacy_utf16_tab_file_is_read_and_its_encoding_reported():
    parsed = parse_fixture(endorsements.parse_received, "endorsement_received_legacy_utf16.csv")
    rows = parsed.rows
    assert rows["endorser_full_name"].to_list() == ["Bjørn Ødegaard", "Chloé Dubois-Laurent", None]
    assert rows["status"].to_list() == ["ACCEPTED", "ACCEPTED", "REDACTED"]
    assert rows["display_status"].to_list() == ["Visible", "Visible", "Hidden"]
    assert "encoding: UTF-16 (byte-order mark)" in parsed.notes
    assert "delimiter: 'TAB'" in parsed.notes


def test_dates_urls_and_names_with_commas_emoji_and_scripts():
    rows = parse_fixture(endorsements.parse_received, "endorsements_received_2024.csv").rows
    first = rows.row(0, named=True)
    assert first["endorsed_at"] == dt.datetime(2024, 12, 7, 14, 51, 7, tzinfo=UTC)
    assert first["endorser_slug"] == "amara-okafor-3f2a1b"
    names = rows["endorser_full_name"].to_list()
    assert "Sina Rezaee, PhD" in names
    kenji = rows.filter(rows["endorser_first_name"] == "Kenji").row(0, named=True)
    assert kenji["endorser_last_name"] == "山田 🚀"
    assert kenji["endorser_slug"] == "山田-kenji"  # percent-encoded URL decoded


def test_bad_date_row_is_quarantined_with_the_reason():
    parsed = parse_fixture(endorsements.parse_received, "endorsements_received_2024.csv")
    assert [(r.record_number, r.reason) for r in parsed.rejected] == [
        (4, "Endorsement Date '2024/13/40 25:00:00 UTC' is not a date in a known format")
    ]
    assert parsed.rows_read == 5
    assert "Lea" not in parsed.rows["endorser_first_name"].to_list()


def test_same_endorsement_in_legacy_and_current_file_gets_the_same_key():
    current = parse_fixture(endorsements.parse_received, "endorsements_received_2024.csv").rows
    legacy = parse_fixture(
        endorsements.parse_received, "endorsement_received_legacy_utf16.csv"
    ).rows
    older = parse_fixture(endorsements.parse_received, "endorsements_received_2021.csv").rows
    shared = set(current["endorsement_key"]) & set(legacy["endorsement_key"])
    assert len(shared) == 1  # Bjørn Ødegaard, Data Modeling, 2022-03-14
    assert len(set(older["endorsement_key"]) & set(legacy["endorsement_key"])) == 1
    assert current["endorsement_key"].n_unique() == current.height


def test_given_file_with_crlf_reads_the_endorsee():
    rows = parse_fixture(endorsements.parse_given, "endorsements_given_2024.csv").rows
    assert rows["endorsee_full_name"].to_list() == ["Amara Okafor", "Priya Nair, MBA"]
    assert rows["skill_name"].to_list() == ["Product Management", "Research, Development"]
    assert rows["endorsee_slug"].to_list() == ["amara-okafor-3f2a1b", "priya-nair-mba"]
    assert not any("\r" in (s or "") for s in rows["status"].to_list())


def test_received_file_is_refused_by_the_given_parser_with_a_clear_message():
    with pytest.raises(UnreadableFile, match="unrecognised header"):
        parse_fixture(endorsements.parse_given, "endorsements_received_2024.csv")
