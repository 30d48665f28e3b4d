import datetime as dt

from pipelines.lib.linkedin import company_follows
from tests.lib.linkedin.parsing import parse_fixture


def test_java_style_follow_dates_from_a_crlf_file():
    rows = parse_fixture(company_follows.parse, "company_follows.csv").rows
    assert rows["organization"].to_list() == [
        "Northwind Analytics",
        "Contoso, Ltd.",
        "株式会社サクラ",
        "Fabrikam",
    ]
    assert rows["followed_at"].to_list()[0] == dt.datetime(2024, 12, 14, 8, 57, 55, tzinfo=dt.UTC)


def test_impossible_follow_date_costs_the_date_not_the_follow():
    parsed = parse_fixture(company_follows.parse, "company_follows.csv")
    assert parsed.rejected == []
    fabrikam = parsed.rows.filter(parsed.rows["organization"] == "Fabrikam")
    assert fabrikam["followed_at"].to_list() == [None]
    [value] = parsed.rejected_values
    assert (value.record_number, value.column, value.value) == (
        4,
        "followed_at",
        "Fri Feb 30 10:00:00 UTC 2024",
    )
