"""Dates typed by people or written in a locale's order: `03/04/2025` is 3 April or 4 March.

Nothing is guessed: a numeric date whose day and month could swap is resolved only by an
explicit order (configuration) or by the file's other rows, when every unambiguous row in the
file uses the same order. A file that shows both orders resolves nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipelines.lib.dates import BadValue

DMY, MDY = "DMY", "MDY"
ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
# A time after the date (`2025-03-04 14:00`, `2025-03-04T14:00:00Z`) is dropped: the log is daily.
TIME_SUFFIX = re.compile(
    r"^(\S+?)(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm]|Z|[+-]\d{2}:?\d{2})?)$"
)
WORDY_FORMATS = (
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%b %d %Y",
    "%B %d %Y",
)


@dataclass(frozen=True)
class FileOrder:
    """What a file's unambiguous numeric dates say about its day/month order."""

    order: str | None  # DMY, MDY, or None when the rows do not tell (or contradict each other)
    mixed: bool  # both orders seen


def _strip_time(text: str) -> str:
    value = text.strip()
    match = TIME_SUFFIX.match(value)
    return match.group(1) if match else value


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def evidence(text: str) -> str | None:
    """DMY or MDY when a numeric date can only be read one way (a part above 12), else None."""
    match = NUMERIC.match(_strip_time(text))
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return DMY
    if second > 12 >= first:
        return MDY
    return None


def file_order(values: Iterable[str]) -> FileOrder:
    seen = {e for e in (evidence(v) for v in values) if e}
    if len(seen) == 1:
        return FileOrder(seen.pop(), False)
    return FileOrder(None, len(seen) > 1)


def parse_day(text: str, column: str, *, order: str | None, mixed: bool = False) -> dt.date | None:
    """A date from ISO, numeric day/month or month-name text; `order` settles 03/04/2025.

    Raises BadValue for text that is not a date, and for an ambiguous date `order` does not
    settle — the message says why, so the row's quarantine reason tells the user what to fix.
    """
    value = _strip_time(text)
    if not value:
        return None
    if match := ISO.match(value):
        return _date(text, int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := NUMERIC.match(value):
        first, second, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        if first > 12 or first == second:
            return _date(text, year, second, first)
        if second > 12:
            return _date(text, year, first, second)
        if order is None:
            why = (
                "the file uses both day/month and month/day orders"
                if mixed
                else "no other row of the file shows which order it uses"
            )
            raise BadValue(
                f"{column} {text.strip()!r} is ambiguous (day {first} of month {second}, or "
                f"day {second} of month {first}) and {why}; write it as YYYY-MM-DD or set "
                "the date order in the configuration"
            )
        return (
            _date(text, year, second, first) if order == DMY else _date(text, year, first, second)
        )
    for fmt in WORDY_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise BadValue(f"{column} {text.strip()!r} is not a date in a known format")


def _date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise BadValue(f"date {text.strip()!r} does not exist ({exc})") from exc
