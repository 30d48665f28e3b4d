"""Field values the minor LinkedIn files share: yes/no flags, bracketed and comma-joined lists,
and birthdays whose year may be hidden."""

from __future__ import annotations

import datetime as dt
import re

from pipelines.lib.dates import BadValue
from pipelines.lib.rejected_values import Dropped

# `Mar 4, 1990` (Profile.csv), `Mar 4` when the owner hides the year, `4-Mar-90` once Excel has
# re-saved the file, ISO and US forms in address books.
BIRTHDAY_WITH_YEAR = ("%b %d, %Y", "%B %d, %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%m/%d/%Y")
BIRTHDAY_WITHOUT_YEAR = ("%b %d", "%B %d", "%d-%b", "--%m-%d")


def yes_no(text: str, column: str) -> bool | None:
    """`Yes`/`No` as a boolean; empty gives None; anything else is a bad value."""
    value = text.strip().lower()
    if not value:
        return None
    if value in ("yes", "true"):
        return True
    if value in ("no", "false"):
        return False
    raise BadValue(f"{column} {text.strip()!r} is not Yes or No")


def split_values(text: str, separators: str = ",") -> list[str]:
    """A list field: `[a,b]` or `a,b` gives `['a', 'b']`; blanks and repeats are dropped."""
    value = text.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    parts = re.split(f"[{re.escape(separators)}]", value)
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def parse_birthday(text: str, column: str) -> tuple[dt.date | None, int | None, int | None]:
    """(date when the year is known, month, day); empty gives (None, None, None)."""
    value = text.strip()
    if not value:
        return None, None, None
    for fmt in BIRTHDAY_WITH_YEAR:
        try:
            day = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if "%y" in fmt and day > dt.date.today():
            day = day.replace(year=day.year - 100)  # `4-Mar-62` is 1962, not 2062
        return day, day.month, day.day
    for fmt in BIRTHDAY_WITHOUT_YEAR:
        try:
            # 2000 is a leap year, so `Feb 29` without a year is accepted.
            day = dt.datetime.strptime(f"2000 {value}", f"%Y {fmt}").date()
        except ValueError:
            continue
        return None, day.month, day.day
    raise BadValue(f"{column} {value!r} is not a date in a known format")


def optional_birthday(
    text: str, column: str
) -> tuple[dt.date | Dropped | None, int | None, int | None]:
    """`parse_birthday`, with an unreadable birthday left out: `Dropped` in the date's place
    (a rejected value) and no month or day, so the rest of the row still loads."""
    try:
        return parse_birthday(text, column)
    except BadValue as exc:
        return Dropped(text.strip(), str(exc)), None, None
