import datetime as dt

import pytest

from pipelines.lib.dates import BadValue
from pipelines.lib.linkedin.values import parse_birthday, split_values, yes_no


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mar 4, 1990", (dt.date(1990, 3, 4), 3, 4)),
        ("4-Mar-62", (dt.date(1962, 3, 4), 3, 4)),  # Excel's re-saved form: not 2062
        ("18-Jun-24", (dt.date(2024, 6, 18), 6, 18)),
        ("Feb 29", (None, 2, 29)),  # year hidden
        ("", (None, None, None)),
    ],
)
def test_birthdays_in_every_style_seen(text, expected):
    assert parse_birthday(text, "Birth Date") == expected


def test_unknown_birthday_is_a_bad_value_naming_the_column():
    with pytest.raises(BadValue, match="Birth Date '31 Foo'"):
        parse_birthday("31 Foo", "Birth Date")


def test_yes_no_flags_refuse_anything_else():
    assert (yes_no("Yes", "Primary"), yes_no("no", "Primary"), yes_no("", "Primary")) == (
        True,
        False,
        None,
    )
    with pytest.raises(BadValue, match="Primary 'Maybe' is not Yes or No"):
        yes_no("Maybe", "Primary")


def test_bracketed_lists_drop_blanks_and_repeats():
    assert split_values("[a, b,,a]") == ["a", "b"]
    assert split_values("") == []
