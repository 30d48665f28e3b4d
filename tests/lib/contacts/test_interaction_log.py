import datetime as dt

import pytest

from pipelines.lib.contacts import interaction_log as log
from pipelines.lib.contacts.dates import parse_day
from pipelines.lib.csvfile import UnreadableFile
from pipelines.lib.dates import BadValue
from pipelines.lib.inbox import SourceFile
from pipelines.settings import PROJECT_ROOT
from tests.conftest import fixture_bytes

MAPPING = {"columns": {"date": "When", "person": "Who", "channel": "How", "note": "Notes"}}


def parse(data: bytes, section: dict | None = None):
    config = log.LogConfig.from_section(section or {})
    return log.parse(data, SourceFile("log.csv", len(data), "", None, None), config)


def test_the_shipped_template_loads_as_is():
    parsed = parse((PROJECT_ROOT / "data/templates/interaction_log.csv").read_bytes())
    assert parsed.rejected == []
    assert parsed.rows["channel"].to_list() == ["coffee", "call"]
    assert parsed.rows["profile_slug"].to_list() == [None, "example-person"]


def test_template_rows_values_synonyms_and_quarantine_reasons():
    parsed = parse(fixture_bytes("contacts/interaction_log_dmy.csv"))
    rows = parsed.rows
    # 03/02/2025 is settled as 3 February: the file's other numeric date (15/01) is day-first.
    assert rows["occurred_on"].to_list() == [
        dt.date(2025, 1, 14),
        dt.date(2025, 1, 15),
        dt.date(2025, 2, 3),
        dt.date(2025, 2, 20),
        dt.date(2025, 3, 1),
    ]
    # Lunch -> coffee; an unknown word costs the word: the line loads as "other"
    assert rows["channel"].to_list() == ["coffee", "call", "meeting", "coffee", "other"]
    assert rows["kind"].to_list() == ["give", "ask", "neutral", None, None]
    # A person column holding an address is read as the address.
    assert rows["email"].to_list()[3] == "rafael@lindworks.example"
    assert rows["profile_slug"].to_list()[2] == "zoe-achterberg"
    assert rows["note"].to_list()[0] == "Intro to a recruiter, follow up in March"
    reasons = {r.record_number: r.reason for r in parsed.rejected}
    assert reasons[5] == "no person: fill in a name, an email address or a LinkedIn URL"
    assert "does not exist" in reasons[6]
    assert 7 not in reasons
    assert [
        (v.record_number, v.line_number, v.column, v.value, v.reason)
        for v in parsed.rejected_values
    ] == [
        (
            7,
            8,
            "channel",
            "dance",
            "channel 'dance' is not one of meeting, call, coffee, event, message, other",
        )
    ]
    assert parsed.rows_read == 7


def test_unknown_words_and_a_bad_address_in_optional_columns_cost_only_the_value():
    parsed = parse(
        b"date,person,email,linkedin_url,channel,direction,kind,note\n"
        b"2025-03-04,Maren Holtby,maren(at)fjordline.example,,coffee,sideways,favour,\n"
        b"2025-03-05,,not-an-address,,call,out,give,nobody but a bad address\n"
    )
    [maren] = parsed.rows.iter_rows(named=True)
    assert (maren["person_name"], maren["channel"], maren["occurred_on"]) == (
        "Maren Holtby",
        "coffee",
        dt.date(2025, 3, 4),
    )
    assert (maren["email"], maren["direction"], maren["kind"]) == (None, None, None)
    assert [(v.column, v.value) for v in parsed.rejected_values] == [
        ("email", "maren(at)fjordline.example"),
        ("direction", "sideways"),
        ("kind", "favour"),
    ]
    # The person is required: a line whose only person is a bad address is quarantined.
    assert [r.reason for r in parsed.rejected] == [
        "no person: fill in a name, an email address or a LinkedIn URL"
    ]


def test_own_headers_through_the_mapping_and_mixed_orders_quarantine_the_ambiguous_date():
    parsed = parse(fixture_bytes("contacts/my_log_mixed.csv"), MAPPING)
    assert parsed.variant == "mapped columns"
    assert parsed.rows["occurred_on"].to_list() == [
        dt.date(2025, 1, 14),
        dt.date(2025, 1, 15),
        dt.date(2025, 3, 5),
    ]
    [ambiguous] = parsed.rejected
    assert ambiguous.record_number == 3
    assert "'03/04/2025' is ambiguous" in ambiguous.reason
    assert "uses both day/month and month/day orders" in ambiguous.reason


def test_configured_date_order_settles_ambiguous_dates():
    parsed = parse(fixture_bytes("contacts/my_log_mixed.csv"), {**MAPPING, "date_order": "mdy"})
    assert dt.date(2025, 3, 4) in parsed.rows["occurred_on"].to_list()
    assert parsed.rejected == []


def test_without_the_mapping_a_foreign_header_is_refused():
    with pytest.raises(UnreadableFile, match="unrecognised header"):
        parse(fixture_bytes("contacts/my_log_mixed.csv"))


def test_invalid_configuration_is_reported():
    with pytest.raises(ValueError, match="unknown field"):
        log.LogConfig.from_section({"columns": {"when": "Date"}})
    with pytest.raises(ValueError, match="date_order"):
        log.LogConfig.from_section({"date_order": "YMD"})


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2025-03-04", None, dt.date(2025, 3, 4)),
        ("2025-03-04T18:30:00Z", None, dt.date(2025, 3, 4)),
        ("2025/3/4 14:00", None, dt.date(2025, 3, 4)),
        ("25/12/2024", None, dt.date(2024, 12, 25)),
        ("12/25/24", None, dt.date(2024, 12, 25)),
        ("04.03.2025", "DMY", dt.date(2025, 3, 4)),
        ("4 Mar 2025", None, dt.date(2025, 3, 4)),
        ("March 4, 2025", None, dt.date(2025, 3, 4)),
        ("05/05/2025", None, dt.date(2025, 5, 5)),
    ],
)
def test_date_styles(text, order, expected):
    assert parse_day(text, "date", order=order) == expected


def test_ambiguous_date_without_evidence_is_refused_with_the_reason():
    with pytest.raises(BadValue, match="no other row of the file shows which order"):
        parse_day("03/04/2025", "date", order=None)
    with pytest.raises(BadValue, match="not a date in a known format"):
        parse_day("next Tuesday", "date", order=None)
