import datetime as dt

from pipelines.lib.linkedin import recommendations
from tests.lib.linkedin.parsing import parse_fixture


def test_received_recommendations_keep_multiline_text_quotes_and_commas():
    rows = parse_fixture(recommendations.parse_received, "recommendations_received_2024.csv").rows
    amara = rows.row(0, named=True)
    assert amara["company"] == "Northwind Analytics, Inc."
    assert amara["text"] == (
        "Maya rebuilt our pipeline in six weeks.\n"
        'She explains trade-offs clearly, and "owns" the outcome.'
    )
    assert amara["created_at"] == dt.datetime(2024, 4, 15, 21, 25, tzinfo=dt.UTC)
    assert amara["status"] == "VISIBLE"


def test_non_latin_names_and_empty_status():
    rows = parse_fixture(recommendations.parse_received, "recommendations_received_2024.csv").rows
    kenji = rows.row(1, named=True)
    assert kenji["full_name"] == "Kenji 山田"
    assert kenji["company"] == "株式会社サクラ"
    assert kenji["status"] is None
    assert kenji["created_at"] == dt.datetime(2023, 11, 2, 8, 5, tzinfo=dt.UTC)


def test_impossible_creation_date_is_quarantined():
    parsed = parse_fixture(recommendations.parse_received, "recommendations_received_2024.csv")
    assert [(r.record_number, r.reason) for r in parsed.rejected] == [
        (3, "Creation Date '02/30/24, 10:00 AM' is not a date in a known format")
    ]
    assert "García" in parsed.rejected[0].raw
    assert parsed.rows_read == 3


def test_the_same_recommendation_in_two_exports_gets_one_key_even_when_its_status_changed():
    newer = parse_fixture(recommendations.parse_received, "recommendations_received_2024.csv")
    older = parse_fixture(recommendations.parse_received, "recommendations_received_2024_06.csv")
    assert older.rows["status"].to_list() == [None, None]
    assert set(older.rows["recommendation_key"]) == set(newer.rows["recommendation_key"])


def test_given_recommendations_with_crlf():
    rows = parse_fixture(recommendations.parse_given, "recommendations_given_2024.csv").rows
    assert rows["full_name"].to_list() == ["Priya Nair, MBA"]
    assert rows["text"].to_list() == [
        "Priya turns vague asks into shipped features, every quarter."
    ]
    assert rows["status"].to_list() == ["VISIBLE"]
