"""Parse the date styles of real exports into UTC timestamps and dates.

Each parser takes the formats one file type is known to use, in order, and raises `BadValue`
(which the caller turns into a quarantine reason) when none fits — never a silent guess.

`strptime` costs ~30 µs a value, a quarter of loading a large LinkedIn messages file. A value
written in a format's fixed-width form (`2024-06-14 22:41:52 UTC` for `%Y-%m-%d %H:%M:%S %Z`) is
read by a regular expression instead (`_fixed_width`), ~10x faster; anything else (one-digit
months, month names, AM/PM, other spacing) still goes to `strptime`. Both give the same result
for every value (`tests/lib/test_dates.py`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence

# The fields a fixed-width form may hold, and their digits; `%Z` only as the literal UTC.
_FIXED_FIELDS = {
    "%Y": r"([0-9]{4})",
    "%m": r"([0-9]{2})",
    "%d": r"([0-9]{2})",
    "%H": r"([0-9]{2})",
    "%M": r"([0-9]{2})",
    "%S": r"([0-9]{2})",
}


class BadValue(ValueError):
    """A field value that does not fit its column; the message is the quarantine reason."""


@functools.cache
def _fixed_width_form(fmt: str) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    """A regular expression for `fmt`'s fixed-width form and the fields of its groups, or None
    when `fmt` has a directive other than those of `_FIXED_FIELDS` (or lacks a full date)."""
    pattern, fields = [], []
    for part in re.split(r"(%.)", fmt):
        if part in _FIXED_FIELDS:
            pattern.append(_FIXED_FIELDS[part])
            fields.append(part[1])
        elif part == "%Z":
            pattern.append("UTC")
        elif part.startswith("%") and len(part) == 2:
            return None
        else:
            pattern.append(re.escape(part))
    if len(set(fields)) != len(fields) or not {"Y", "m", "d"} <= set(fields):
        return None
    # strptime matches a format's letters in any case ("utc")
    return re.compile("".join(pattern), re.IGNORECASE), tuple(fields)


def _fixed_width(value: str, fmt: str) -> dt.datetime | None:
    """`value` read as `strptime(value, fmt)` would, when it is in `fmt`'s fixed-width form;
    None when it is not, or is no real date (strptime then decides, and says so)."""
    form = _fixed_width_form(fmt)
    if form is None:
        return None
    pattern, fields = form
    found = pattern.fullmatch(value)
    if found is None:
        return None
    parts = dict(zip(fields, map(int, found.groups()), strict=True))
    try:
        return dt.datetime(
            parts["Y"],
            parts["m"],
            parts["d"],
            parts.get("H", 0),
            parts.get("M", 0),
            parts.get("S", 0),
        )
    except ValueError:
        return None


def _parse(value: str, fmt: str) -> dt.datetime:
    """`dt.datetime.strptime(value, fmt)`, faster for fixed-width values; raises ValueError."""
    return _fixed_width(value, fmt) or dt.datetime.strptime(value, fmt)


def parse_timestamp(text: str, formats: Sequence[str], column: str) -> dt.datetime | None:
    """A timestamp in UTC from the first matching format; naive values are taken as UTC.

    Empty text gives None. `%Z` formats accept the literal `UTC` the exports write.
    """
    value = text.strip()
    if not value:
        return None
    for fmt in formats:
        try:
            parsed = _parse(value, fmt)
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
            return _parse(value, fmt).date()
        except ValueError:
            continue
    raise BadValue(f"{column} {value!r} is not a date in a known format")
