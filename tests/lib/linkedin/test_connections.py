import datetime as dt

import pytest

from pipelines.lib.inbox import SourceFile
from pipelines.lib.linkedin import connections
from tests.conftest import fixture_bytes


def parse(name: str):
    data = fixture_bytes(f"linkedin/{name}")
    source = SourceFile(path=name, size=len(data), container="", snapshot_date=None, open=None)
    return connections.parse(data, source)


@pytest.mark.parametrize(
    ("name", "variant", "rows"),
    [
        ("connections_2024.csv", "2023+ (with URL)", 7),
        ("connections_2022.csv", "2022-2023 (preamble, no URL)", 3),
        ("connections_2020.csv", "2020-2021 (no preamble, no URL)", 2),
        ("connections_2018.csv", "2018 (US timestamps)", 2),
        ("connections_excel_cp1252.csv", "2023+ (with URL)", 1),
    ],
)
def test_every_variant_is_detected_from_its_header_and_loads(name, variant, rows):
    parsed = parse(name)
    assert parsed.variant == variant
    assert parsed.rows.height == rows


def test_names_with_commas_credentials_and_scripts_survive():
    rows = parse("connections_2024.csv").rows
    names = rows["full_name"].to_list()
    assert "Sina Rezaee, PhD" in names
    assert ". Lindgren" in names
    assert "Kenji 山田 🚀" in names
    kenji = rows.filter(rows["first_name"] == "Kenji").row(0, named=True)
    assert kenji["profile_slug"] == "山田-kenji"


def test_hidden_profiles_are_kept_without_identity():
    rows = parse("connections_2024.csv").rows
    hidden = rows.filter(rows["full_name"].is_null())
    assert hidden.height == 1
    assert hidden["connected_on"].to_list() == [dt.date(2024, 9, 14)]
    assert hidden["profile_slug"].to_list() == [None]


def test_last_row_without_newline_is_read():
    rows = parse("connections_2024.csv").rows
    assert rows["full_name"].to_list()[-1] == "Lea Martin"


def test_a_bad_date_costs_the_date_and_a_short_row_is_quarantined():
    parsed = parse("connections_2024.csv")
    reasons = {r.record_number: r.reason for r in parsed.rejected}
    assert reasons == {7: "expected 7 fields, found 3"}
    broken = parsed.rows.filter(parsed.rows["full_name"] == "Broken Row").row(0, named=True)
    assert (broken["company"], broken["connected_on"]) == ("Acme", None)
    assert [
        (v.record_number, v.line_number, v.column, v.value, v.reason)
        for v in parsed.rejected_values
    ] == [
        (
            6,
            10,
            "connected_on",
            "31 Foo 2024",
            "Connected On '31 Foo 2024' is not a date in a known format",
        )
    ]
    assert parsed.rows_read == 8


def test_2018_export_reads_us_timestamps_and_member_urns():
    rows = parse("connections_2018.csv").rows
    assert rows["connected_on"].to_list() == [dt.date(2018, 1, 8), dt.date(2017, 12, 24)]
    assert rows["email"].to_list() == ["amara@example.com", None]
    assert rows["member_urn"].to_list() == [None, "urn:li:member:123456789"]


def test_excel_resaved_file_reports_its_encoding_and_reads_short_dates():
    parsed = parse("connections_excel_cp1252.csv")
    row = parsed.rows.row(0, named=True)
    assert row["full_name"] == "Renée Müller"
    assert row["position"] == "Barista – Lead"
    assert row["connected_on"] == dt.date(2024, 6, 18)
    assert any("Windows-1252" in note for note in parsed.notes)
