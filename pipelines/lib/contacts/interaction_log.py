"""The interaction log a user keeps by hand: coffees, calls and meetings no export records.

The template (`data/templates/interaction_log.csv`) has the columns
`date,person,email,linkedin_url,channel,direction,kind,note`. A user's own spreadsheet works
through a column mapping in the configuration (`[interaction_log.columns]`, template name =
the user's header); headers match case-insensitively.

Dates: ISO (`2025-03-04`), numeric day/month in either order, or with a month name. A numeric
date whose day and month could swap (`03/04/2025`) is resolved by `[interaction_log]
date_order = "DMY" | "MDY"`, else by the file's other rows when all of its unambiguous dates use
one order; otherwise the row is quarantined with the reason — never guessed.

The date and a person (name, address or URL) are required: without them a line is quarantined.
Everything else is optional: an unknown channel, direction or kind word, or an e-mail address
that is none, is left out (a rejected value, `quality.rejected_values`) and the line loads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pipelines.lib.contacts.dates import DMY, MDY, file_order, parse_day
from pipelines.lib.csvfile import CsvTable, Record, UnreadableFile, Variant, read_csv
from pipelines.lib.dates import BadValue
from pipelines.lib.inbox import SourceFile
from pipelines.lib.linkedin.common import profile_slug
from pipelines.lib.loading import ParsedFile, parse_records
from pipelines.lib.rejected_values import Dropped
from pipelines.schemas.interaction_log import CHANNELS, DIRECTIONS, KINDS, InteractionLogSchema

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")  # what InteractionLogSchema accepts
FIELDS = ("date", "person", "email", "linkedin_url", "channel", "direction", "kind", "note")
PERSON_FIELDS = ("person", "email", "linkedin_url")
# Words people type for the allowed values; anything else is left out (a rejected value).
CHANNEL_WORDS = {
    **{c: c for c in CHANNELS},
    "video": "call",
    "phone": "call",
    "zoom": "call",
    "lunch": "coffee",
    "dinner": "coffee",
    "breakfast": "coffee",
    "drinks": "coffee",
    "conference": "event",
    "email": "message",
    "text": "message",
    "sms": "message",
    "chat": "message",
}
DIRECTION_WORDS = {
    **{d: d for d in DIRECTIONS},
    "outbound": "out",
    "outgoing": "out",
    "i reached out": "out",
    "me": "out",
    "inbound": "in",
    "incoming": "in",
    "they reached out": "in",
    "them": "in",
    "both": "mutual",
}
KIND_WORDS = {**{k: k for k in KINDS}, "gave": "give", "asked": "ask", "request": "ask"}


@dataclass(frozen=True)
class LogConfig:
    """The `[interaction_log]` configuration section, checked."""

    columns: Mapping[str, str]  # template field -> the user's header
    date_order: str | None = None

    @classmethod
    def from_section(cls, section: Mapping) -> LogConfig:
        columns = section.get("columns", {}) or {}
        unknown = sorted(set(columns) - set(FIELDS))
        if unknown:
            raise ValueError(
                f"[interaction_log.columns] has unknown field(s) {unknown}; use {list(FIELDS)}"
            )
        order = str(section.get("date_order", "") or "").upper() or None
        if order not in (None, DMY, MDY):
            raise ValueError('[interaction_log] date_order must be "DMY" or "MDY"')
        return cls({k: str(v) for k, v in columns.items()}, order)

    def header_names(self) -> dict[str, str]:
        """Template field -> the (lower-cased) header that holds it."""
        return {f: self.columns.get(f, f).strip().lower() for f in FIELDS}


def _positions(header: tuple[str, ...], config: LogConfig) -> dict[str, int]:
    found = {name.strip().lower(): i for i, name in enumerate(header)}
    return {f: found[h] for f, h in config.header_names().items() if h in found}


def variant(config: LogConfig) -> Variant:
    """Any header holding the date column and at least one column naming the person."""
    names = config.header_names()

    def accepts(header: tuple[str, ...]) -> bool:
        positions = _positions(header, config)
        return "date" in positions and any(f in positions for f in PERSON_FIELDS)

    required = (names["date"], "|".join(names[f] for f in PERSON_FIELDS))
    return Variant("interaction log", required, accepts=accepts)


def looks_like_log(header: tuple[str, ...], config: LogConfig) -> bool:
    return variant(config).matches(header)


def _choice(
    value: str,
    words: Mapping[str, str],
    allowed: tuple[str, ...],
    column: str,
    default: str | None = None,
) -> str | Dropped | None:
    """The allowed value a word means; `default` when empty; an unknown word is left out (a
    rejected value) and the line keeps `default`."""
    text = " ".join(value.strip().lower().split())
    if not text:
        return default
    if text in words:
        return words[text]
    reason = f"{column} {value.strip()!r} is not one of {', '.join(allowed)}"
    return Dropped(value.strip(), reason, default)


def _email(value: str) -> str | Dropped | None:
    address = value.strip().lower()
    if not address:
        return None
    if not EMAIL.match(address):
        return Dropped(value.strip(), f"email {value.strip()!r} is not an e-mail address")
    return address


def parse(data: bytes, source: SourceFile, config: LogConfig | None = None) -> ParsedFile:
    config = config or LogConfig({})
    table = read_csv(data, (variant(config),))
    positions = _positions(table.variant.header, config)

    def cell(record: Record, name: str) -> str:
        return record.fields[positions[name]].strip() if name in positions else ""

    order = file_order(cell(r, "date") for r in table.records)
    date_order = config.date_order or order.order

    def to_row(table: CsvTable, record: Record) -> dict:
        person, email, url = (
            cell(record, "person"),
            cell(record, "email"),
            cell(record, "linkedin_url"),
        )
        # The person column may hold an address or a profile URL instead of a name.
        if "@" in person and not email:
            email, person = person, ""
        elif profile_slug(person) and not url:
            url, person = person, ""
        address = _email(email)
        if not (person or isinstance(address, str) or url):
            raise BadValue("no person: fill in a name, an email address or a LinkedIn URL")
        occurred = parse_day(
            cell(record, "date"),
            "date",
            order=date_order,
            mixed=order.mixed and not config.date_order,
        )
        if occurred is None:
            raise BadValue("date is empty")
        return {
            "occurred_on": occurred,
            "person_name": person or None,
            "email": address,
            "linkedin_url": url or None,
            "profile_slug": profile_slug(url) if url else None,
            "channel": _choice(
                cell(record, "channel"), CHANNEL_WORDS, CHANNELS, "channel", default="other"
            ),
            "direction": _choice(
                cell(record, "direction"), DIRECTION_WORDS, DIRECTIONS, "direction"
            ),
            "kind": _choice(cell(record, "kind"), KIND_WORDS, KINDS, "kind"),
            "note": cell(record, "note") or None,
        }

    parsed = parse_records(table, to_row, InteractionLogSchema)
    parsed.variant = "template" if not config.columns else "mapped columns"
    if config.date_order:
        parsed.notes.append(f"date order {config.date_order} (from the configuration)")
    elif order.order:
        parsed.notes.append(
            f"ambiguous dates read as {order.order} (every unambiguous date of the file uses it)"
        )
    elif order.mixed:
        parsed.notes.append(
            "the file mixes day/month and month/day dates; ambiguous ones are quarantined"
        )
    return parsed


def configured() -> LogConfig:
    """The `[interaction_log]` section of the configuration the CLI and Dagster resolve."""
    from pipelines.settings import load_settings

    try:
        return LogConfig.from_section(load_settings().section("interaction_log"))
    except ValueError as exc:
        raise UnreadableFile(f"the configuration is invalid: {exc}") from exc


def parse_configured(data: bytes, source: SourceFile) -> ParsedFile:
    """`parse` with the column mapping and date order from the configuration."""
    return parse(data, source, configured())
