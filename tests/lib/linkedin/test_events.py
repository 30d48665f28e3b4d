import datetime as dt

from pipelines.lib.linkedin import events
from tests.lib.linkedin.parsing import parse_fixture


def test_event_time_range_is_split_into_start_and_end():
    rows = parse_fixture(events.parse, "events.csv").rows
    first = rows.row(0, named=True)
    assert first["event_name"] == "Data Council: Gothenburg, 2022"
    assert first["starts_at"] == dt.datetime(2022, 9, 23, 12, 0, tzinfo=dt.UTC)
    assert first["ends_at"] == dt.datetime(2022, 9, 23, 12, 20, tzinfo=dt.UTC)
    assert rows["event_name"].to_list()[1] == "Dagster Meetup 🚀"
    assert rows["external_url"].to_list() == ["https://events.example.org/data-council", None]


def test_impossible_event_date_is_quarantined():
    parsed = parse_fixture(events.parse, "events.csv")
    assert [r.record_number for r in parsed.rejected] == [3]
    assert "Feb 30, 2024" in parsed.rejected[0].reason
    assert parsed.rows_read == 3
