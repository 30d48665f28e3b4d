"""Parse the date styles of real exports into UTC timestamps and dates.

Each parser takes the formats one file type is known to use, in order, and raises `BadValue`
(which the caller turns into a quarantine reason) when none fits — never a silent guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence


class BadValue(ValueError):
    """A field value that does not fit its column; the message is the quarantine reason."""


def parse_timestamp(text: str, formats: Sequence[str], column: str) -> dt.datetime | None:
    """A timestamp in UTC from the first matching format; naive values are taken as UTC.

    Empty text gives None. `%Z` formats accept the literal `UTC` the exports write.
    """
    value = text.strip()
    if not value:
        return None
    for fmt in formats:
        try:
            parsed = dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed.astimezone(dt.UTC)
    raise BadValue(f"{column} {value!r} is not a date in a known format")


def parse_date(text: str, formats: Sequence[str], column: str) -> dt.date | None:
    """A calendar date from the first matching format; empty text gives None."""
    value = text.strip()
    if not value:
        return None
    for fmt in formats:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise BadValue(f"{column} {value!r} is not a date in a known format")
