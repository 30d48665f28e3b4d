"""A bad optional value costs the value, not the row.

Every loader follows one rule. A value that fails the check of a *required* field (one whose
raw column is not nullable: a message's date, an endorsement's skill) quarantines the row, as
before. A value that fails the check of an *optional* field (a nullable column: a connection's
e-mail address, a contact's birthday, the kind of an interaction-log line) is left out: the row
is loaded with null there (or the column's default, as for an empty cell), and the value, its column, the reason and where it was (file, record
and line) become a row of `quality.rejected_values`.

Two ways lead there, and both end in `RejectedValue`s that `loading.replace_file_rows` writes in
the same transaction as the file's rows:
- a parser puts `Dropped(text, reason)` in a row instead of the value (`optional` does this for
  any parse function raising `BadValue`); a list column may hold `Dropped` items among the good
  ones. `take_dropped` then takes them out of the row;
- the pandera model rejects a value of a nullable column (`loading.validate`).

Plain Python with no polars or DuckDB: the mail worker processes use it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pipelines.lib.dates import BadValue

T = TypeVar("T")


@dataclass(frozen=True)
class RejectedValue:
    """A value left out of a loaded row, and why. Becomes a `quality.rejected_values` row."""

    record_number: int
    line_number: int | None
    column: str  # the raw table's column the value was meant for
    value: str  # the value as it was in the file
    reason: str


@dataclass(frozen=True)
class Dropped:
    """Put in a row instead of a value that failed its optional field's check; the row gets
    `instead` there (null, or what the column holds when the file leaves it empty)."""

    value: str
    reason: str
    instead: object = None


def optional(parse: Callable[..., T], text: str, *args: object) -> T | Dropped:
    """`parse(text, *args)`, or `Dropped` when it raises `BadValue` (the reason)."""
    try:
        return parse(text, *args)
    except BadValue as exc:
        return Dropped(text.strip(), str(exc))


def take_dropped(row: dict, record_number: int, line_number: int | None) -> list[RejectedValue]:
    """Take the `Dropped` values out of `row` (null in their place; left out of a list) and
    return them as rejected values of that record."""
    found: list[RejectedValue] = []
    for column, value in row.items():
        if isinstance(value, Dropped):
            row[column] = value.instead
            found.append(
                RejectedValue(record_number, line_number, column, value.value, value.reason)
            )
        elif isinstance(value, list) and any(isinstance(item, Dropped) for item in value):
            row[column] = [item for item in value if not isinstance(item, Dropped)]
            found += [
                RejectedValue(record_number, line_number, column, item.value, item.reason)
                for item in value
                if isinstance(item, Dropped)
            ]
    return found
