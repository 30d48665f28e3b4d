"""Dates of real exports: the fast reading of fixed-width values gives exactly what `strptime`
gives, for every format the parsers use, on well-formed, oddly formed and impossible values."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from pipelines.lib import dates
from pipelines.lib.linkedin import (
    company_follows,
    connections,
    email_addresses,
    endorsements,
    invitations,
    messages,
    recommendations,
)

FORMATS = sorted(
    set(
        itertools.chain(
            company_follows.DATE_FORMATS,
            connections.DATE_FORMATS,
            email_addresses.DATE_FORMATS,
            endorsements.DATE_FORMATS,
            invitations.DATE_FORMATS,
            messages.DATE_FORMATS,
            recommendations.DATE_FORMATS,
        )
    )
)

VALUES = [
    # the fixed-width forms of the exports
    "2024-06-14 22:41:52 UTC",
    "2024-06-14 22:41:52",
    "2024/06/14 22:41:52 UTC",
    "2024/06/14 22:41:52",
    "2024-06-14",
    "2024-06-14 00:00:00 utc",  # strptime ignores the case of a format's letters
    # not fixed-width: strptime's own reading
    "2024-6-4 2:41:52 UTC",
    "2024-06-14  22:41:52 UTC",  # two spaces
    "2024-06-14 22:41:52 GMT",
    "06/14/24, 10:41 PM",
    "6/14/2024 22:41",
    "14 Jun 2024",
    "14-Jun-24",
    "Fri Jun 14 22:41:52 UTC 2024",
    # impossible dates and times, in fixed width
    "2023-02-29 10:00:00 UTC",
    "2024-02-29 10:00:00 UTC",
    "2024-00-10 10:00:00 UTC",
    "2024-13-10",
    "2024-06-00",
    "2024-06-31",
    "2024-06-14 24:00:00 UTC",
    "2024-06-14 23:60:00 UTC",
    "2024-06-14 23:59:60 UTC",
    "2024-06-14 23:59:61",
    # almost a date
    "2024-06-14 22:41:52 UTC extra",
    "2024-06-14T22:41:52Z",
    "20240614",
    "٢٠٢٤-٠٦-١٤",  # Arabic-Indic digits, which strptime does not take for digits
]


def strptime_only(value: str, fmt: str) -> dt.datetime | str:
    try:
        return dt.datetime.strptime(value, fmt)
    except ValueError:
        return "rejected"


def fast(value: str, fmt: str) -> dt.datetime | str:
    try:
        return dates._parse(value, fmt)
    except ValueError:
        return "rejected"


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_value_reads_as_strptime_reads_it(fmt):
    assert [fast(v, fmt) for v in VALUES] == [strptime_only(v, fmt) for v in VALUES]


def test_the_fast_reading_is_used_for_the_messages_files_format():
    # the LinkedIn messages.csv form, most of a large export's values
    assert dates._fixed_width("2024-06-14 22:41:52 UTC", "%Y-%m-%d %H:%M:%S %Z") == dt.datetime(
        2024, 6, 14, 22, 41, 52
    )
    assert dates._fixed_width("14 Jun 2024", "%d %b %Y") is None  # month names: strptime


def test_a_timestamp_keeps_its_format_order_and_quarantine_reason():
    formats = messages.DATE_FORMATS
    assert dates.parse_timestamp(" 2024-06-14 22:41:52 UTC ", formats, "DATE") == dt.datetime(
        2024, 6, 14, 22, 41, 52, tzinfo=dt.UTC
    )
    assert dates.parse_timestamp("06/14/24, 10:41 PM", formats, "DATE") == dt.datetime(
        2024, 6, 14, 22, 41, tzinfo=dt.UTC
    )
    assert dates.parse_timestamp("", formats, "DATE") is None
    with pytest.raises(dates.BadValue, match="DATE '2023-02-29 10:00:00 UTC' is not a date"):
        dates.parse_timestamp("2023-02-29 10:00:00 UTC", formats, "DATE")
    assert dates.parse_date("2024-06-14", connections.DATE_FORMATS, "Connected On") == dt.date(
        2024, 6, 14
    )
