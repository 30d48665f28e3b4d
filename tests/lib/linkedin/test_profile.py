import datetime as dt

from pipelines.lib.linkedin import profile
from tests.lib.linkedin.parsing import parse_fixture


def test_2020_profile_names_the_owner_and_splits_bracketed_lists():
    parsed = parse_fixture(profile.parse, "profile_2020.csv")
    assert parsed.variant == "2020+"
    row = parsed.rows.row(0, named=True)
    assert (row["first_name"], row["last_name"]) == ("Maya", "Lindqvist")
    assert row["birth_date"] == dt.date(1990, 3, 4)
    assert row["geo_location"] == "Gothenburg, Västra Götaland County, Sweden"
    assert row["twitter_handles"] == ["mayalq"]
    assert row["websites"] == [
        "PORTFOLIO:https://maya-lindqvist.example",
        "BLOG:https://blog.maya.example",
    ]
    assert row["instant_messengers"] == []


def test_2018_profile_in_utf16_tsv_with_hidden_birth_year():
    parsed = parse_fixture(profile.parse, "profile_2018.csv")
    assert parsed.variant == "2018"
    row = parsed.rows.row(0, named=True)
    assert row["headline"] == "Data Engineer at Contoso"
    assert row["country"] == "SE"
    assert row["contact_instructions"] == "Message me here"
    assert (row["birth_date"], row["birth_month"], row["birth_day"]) == (None, 3, 4)
    assert "encoding: UTF-16 (byte-order mark)" in parsed.notes
