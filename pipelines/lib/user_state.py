"""What the user tells Constellation, kept apart from the rebuildable warehouse.

Two append-only JSON-lines event logs in `user_state/` next to the warehouse file:

- `<warehouse>.feedback.jsonl` — feedback on recommended actions (done / snoozed / dismissed /
  open again); the latest event per action wins;
- `<warehouse>.people.jsonl` — about people: a cadence of their own (`cadence`), tags added or
  removed (`tag`, `untag`), and people to forget (`forget`, `unforget`).

They are never inside the DuckDB file, so deleting or rebuilding the warehouse keeps them, and
the dashboard can write them while a refresh holds DuckDB's write lock (each event is one line,
appended under a file lock). Each refresh copies them into `user_state.*` tables. docs/actions.md
("Your feedback and settings survive rebuilds") describes every kind of entry.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

import duckdb
import polars as pl

STATUSES = ("open", "done", "snoozed", "dismissed")
FEEDBACK_SCHEMA = pl.Schema(
    {
        "action_id": pl.String,
        "status": pl.String,
        "snoozed_until": pl.Date,
        "recorded_at": pl.Datetime("us", "UTC"),
        # who the action was about, so that a done action becomes a touch even after a rebuild
        # from scratch (NULL in events written before these existed: filled from the last
        # refresh's marts.recommended_actions when it still has the action)
        "person_id": pl.String,
        "other_person_id": pl.String,
        "action_type": pl.String,
    }
)
CADENCE_SCHEMA = pl.Schema(
    {
        "person_id": pl.String,
        "ideal_days": pl.Int64,
        "max_days": pl.Int64,
        "recorded_at": pl.Datetime("us", "UTC"),
    }
)
TAG_SCHEMA = pl.Schema(
    {
        "person_id": pl.String,
        "tag": pl.String,
        "action": pl.String,  # tag | untag
        "recorded_at": pl.Datetime("us", "UTC"),
    }
)
FORGOTTEN_SCHEMA = pl.Schema(
    {
        "forget_id": pl.String,
        "person_id": pl.String,
        "emails": pl.List(pl.String),
        "linkedin_slugs": pl.List(pl.String),
        "names": pl.List(pl.String),
        "recorded_at": pl.Datetime("us", "UTC"),
    }
)


def user_state_path(db_path: Path) -> Path:
    """Where the feedback for the warehouse `db_path` lives (one log per warehouse, so the
    sample's feedback never mixes with yours)."""
    db_path = Path(db_path)
    return db_path.parent / "user_state" / f"{db_path.stem}.feedback.jsonl"


def people_log_path(path: Path) -> Path:
    """The people log beside the feedback log `path` (`<warehouse>.people.jsonl`). Every function
    below takes the feedback log's path (`user_state_path(db)`) and finds this one from it."""
    path = Path(path)
    stem = path.name.removesuffix(".feedback.jsonl").removesuffix(".people.jsonl")
    return path.with_name(f"{stem}.people.jsonl")


def _append(path: Path, event: dict) -> None:
    line = (json.dumps(event, ensure_ascii=False) + "\n").encode()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # One write of one line under an exclusive lock, with O_APPEND: concurrent writers (two
    # dashboard sessions) never interleave, and a reader sees whole lines or a torn last line,
    # which the readers skip.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def _lines(path: Path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        return []
    events = []
    for text in path.read_text(encoding="utf-8").splitlines():
        try:
            event = json.loads(text)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def _when(recorded_at: dt.datetime | None) -> str:
    return (recorded_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat()


def record_feedback(
    path: Path,
    action_id: str,
    status: str,
    snoozed_until: dt.date | None = None,
    *,
    recorded_at: dt.datetime | None = None,
    person_id: str | None = None,
    other_person_id: str | None = None,
    action_type: str | None = None,
) -> None:
    """Append one feedback event: `done`, `snoozed` (until a date), `dismissed` or `open` (undo).

    Pass the action's `person_id`, `other_person_id` and `action_type` (columns of
    marts.recommended_actions): a `done` action then counts as a touch with that person
    (core.interactions) even after the warehouse is rebuilt from scratch."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    if status == "snoozed" and snoozed_until is None:
        raise ValueError("a snoozed action needs snoozed_until")
    if not action_id:
        raise ValueError("action_id is empty")
    event = {
        "action_id": action_id,
        "status": status,
        "snoozed_until": snoozed_until.isoformat() if status == "snoozed" else None,
        "recorded_at": _when(recorded_at),
    }
    extra = {"person_id": person_id, "other_person_id": other_person_id}
    event |= {k: v for k, v in (extra | {"action_type": action_type}).items() if v}
    _append(path, event)


def read_events(path: Path) -> pl.DataFrame:
    """Every feedback event in the order recorded (lines that cannot be read are skipped)."""
    rows = []
    for event in _lines(path):
        try:
            rows.append(
                {
                    "action_id": str(event["action_id"]),
                    "status": event["status"] if event["status"] in STATUSES else None,
                    "snoozed_until": dt.date.fromisoformat(event["snoozed_until"])
                    if event.get("snoozed_until")
                    else None,
                    "recorded_at": dt.datetime.fromisoformat(event["recorded_at"]),
                    **{
                        k: str(event[k]) if event.get(k) else None
                        for k in ("person_id", "other_person_id", "action_type")
                    },
                }
            )
        except (ValueError, KeyError, TypeError):
            continue
    return pl.DataFrame(rows, schema=FEEDBACK_SCHEMA).filter(pl.col("status").is_not_null())


def current_feedback(path: Path) -> pl.DataFrame:
    """The latest event per action: action_id, status, snoozed_until, recorded_at."""
    events = read_events(path).with_row_index("order")
    return (
        events.sort("recorded_at", "order")
        .group_by("action_id", maintain_order=True)
        .last()
        .select("action_id", "status", "snoozed_until", "recorded_at")
        .sort("recorded_at", "action_id")
    )


# --- people: cadence, tags, forgetting ------------------------------------------------------


def set_cadence(
    path: Path,
    person_id: str,
    ideal_days: int | None,
    max_days: int | None,
    *,
    recorded_at: dt.datetime | None = None,
) -> None:
    """Give a person a cadence of their own (ideal and maximum days between contacts); it beats
    `[cadence]` in constellation.toml and the tier's default. `None, None` removes it again."""
    if (ideal_days is None) != (max_days is None):
        raise ValueError("give both ideal_days and max_days, or neither (to remove the cadence)")
    if ideal_days is not None and not (
        isinstance(ideal_days, int) and isinstance(max_days, int) and 0 < ideal_days <= max_days
    ):
        raise ValueError(f"need 0 < ideal_days <= max_days, got {ideal_days!r}, {max_days!r}")
    if not person_id:
        raise ValueError("person_id is empty")
    _append(
        people_log_path(path),
        {
            "event": "cadence",
            "person_id": person_id,
            "ideal_days": ideal_days,
            "max_days": max_days,
            "recorded_at": _when(recorded_at),
        },
    )


def _tag_event(path: Path, person_id: str, tag: str, action: str, recorded_at) -> None:
    tag = " ".join(str(tag).split())
    if not person_id or not tag:
        raise ValueError("person_id and tag must not be empty")
    _append(
        people_log_path(path),
        {"event": action, "person_id": person_id, "tag": tag, "recorded_at": _when(recorded_at)},
    )


def tag_person(
    path: Path, person_id: str, tag: str, *, recorded_at: dt.datetime | None = None
) -> None:
    """Add a tag to a person. Tags work like address-book labels: `[cadence.tags]` rules apply
    to them (matched case-insensitively)."""
    _tag_event(path, person_id, tag, "tag", recorded_at)


def untag_person(
    path: Path, person_id: str, tag: str, *, recorded_at: dt.datetime | None = None
) -> None:
    """Remove a tag from a person — one you added, or a label from their address-book entry
    (which then no longer counts for them, though the address book is not changed)."""
    _tag_event(path, person_id, tag, "untag", recorded_at)


def _times(events: list[dict], kind: str) -> list[dict]:
    found = []
    for order, event in enumerate(events):
        if event.get("event") != kind:
            continue
        try:
            when = dt.datetime.fromisoformat(event["recorded_at"])
        except (KeyError, TypeError, ValueError):
            continue
        found.append({**event, "_when": when, "_order": order})
    return sorted(found, key=lambda e: (e["_when"], e["_order"]))


def person_cadence(path: Path) -> pl.DataFrame:
    """The cadence in force per person (latest event; removed ones left out):
    person_id, ideal_days, max_days, recorded_at."""
    latest: dict[str, dict] = {}
    for event in _times(_lines(people_log_path(path)), "cadence"):
        ideal, most = event.get("ideal_days"), event.get("max_days")
        valid = isinstance(ideal, int) and isinstance(most, int) and 0 < ideal <= most
        if event.get("person_id") and (valid or (ideal is None and most is None)):
            latest[str(event["person_id"])] = {
                "person_id": str(event["person_id"]),
                "ideal_days": ideal,
                "max_days": most,
                "recorded_at": event["_when"],
            }
    rows = [row for row in latest.values() if row["ideal_days"] is not None]
    return pl.DataFrame(rows, schema=CADENCE_SCHEMA).sort("person_id")


def person_tags(path: Path) -> pl.DataFrame:
    """The latest tag / untag per person and tag (tags compared case-insensitively):
    person_id, tag, action (`tag` adds it, `untag` removes it, address-book labels included),
    recorded_at."""
    events = _lines(people_log_path(path))
    latest: dict[tuple[str, str], dict] = {}
    for event in sorted(
        _times(events, "tag") + _times(events, "untag"), key=lambda e: (e["_when"], e["_order"])
    ):
        if event.get("person_id") and event.get("tag"):
            key = (str(event["person_id"]), str(event["tag"]).strip().lower())
            latest[key] = {
                "person_id": key[0],
                "tag": str(event["tag"]).strip(),
                "action": event["event"],
                "recorded_at": event["_when"],
            }
    return pl.DataFrame(list(latest.values()), schema=TAG_SCHEMA).sort("person_id", "tag")


def _clean(values: Iterable[str] | None, normalise) -> list[str]:
    found = {normalise(v) for v in values or () if v and str(v).strip()}
    return sorted(v for v in found if v)


def _email(value: str) -> str | None:
    value = value.strip().strip("<>").lower()
    return value if "@" in value else None


def _slug(value: str) -> str:
    value = value.strip().rstrip("/").lower()
    return value.rsplit("/in/", 1)[-1] if "/in/" in value else value


def person_identifiers(db_path: Path, person_id: str) -> dict[str, list[str]]:
    """A person's e-mail addresses, LinkedIn slugs and names (as shown) from a warehouse file
    (the snapshot), opened read-only."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute(
            """SELECT kind, value FROM core.person_identifiers WHERE person_id = ?
               UNION SELECT 'name', display_name FROM core.people WHERE person_id = ?""",
            [person_id, person_id],
        ).fetchall()
    found: dict[str, list[str]] = {"email": [], "linkedin_slug": [], "name": []}
    for kind, value in rows:
        if kind in found and value:
            found[kind].append(value)
    return found


def forget_person(
    path: Path,
    person_id: str,
    *,
    snapshot: Path | None = None,
    emails: Iterable[str] = (),
    linkedin_slugs: Iterable[str] = (),
    names: Iterable[str] = (),
    recorded_at: dt.datetime | None = None,
) -> str:
    """Forget a person: at the next refresh every row about them is removed from the warehouse
    and kept out of later loads. Their identifiers are stored (person ids change when the data
    does): the e-mail addresses, LinkedIn slugs and names given, plus — with `snapshot`, the
    warehouse file the dashboard reads — every one `core.person_identifiers` knows for
    `person_id`. Returns the entry's `forget_id` (for `unforget_person`)."""
    known = person_identifiers(snapshot, person_id) if snapshot else {}
    entry = {
        "emails": _clean([*emails, *known.get("email", [])], _email),
        "linkedin_slugs": _clean([*linkedin_slugs, *known.get("linkedin_slug", [])], _slug),
        "names": sorted({" ".join(n.split()) for n in [*names, *known.get("name", [])] if n}),
    }
    if not (entry["emails"] or entry["linkedin_slugs"] or entry["names"]):
        raise ValueError(f"nothing known about {person_id!r}: give emails, slugs or names")
    digest = json.dumps(entry, sort_keys=True)
    forget_id = "f_" + hashlib.sha1(digest.encode()).hexdigest()[:12]
    _append(
        people_log_path(path),
        {
            "event": "forget",
            "forget_id": forget_id,
            "person_id": person_id,
            **entry,
            "recorded_at": _when(recorded_at),
        },
    )
    return forget_id


def unforget_person(path: Path, forget_id_or_person_id: str) -> None:
    """Undo `forget_person` (by its forget_id, or the person_id it was given): at the next
    refresh the files that held their rows are read again and they come back."""
    _append(
        people_log_path(path),
        {"event": "unforget", "forget_id": forget_id_or_person_id, "recorded_at": _when(None)},
    )


def forgotten_people(path: Path) -> pl.DataFrame:
    """The people forgotten now (forgets not undone): forget_id, person_id, emails,
    linkedin_slugs, names, recorded_at."""
    events = _lines(people_log_path(path))
    active: dict[str, dict] = {}
    for event in sorted(
        _times(events, "forget") + _times(events, "unforget"),
        key=lambda e: (e["_when"], e["_order"]),
    ):
        key = str(event.get("forget_id") or "")
        if event["event"] == "unforget":
            for fid in [k for k, v in active.items() if key in (k, v["person_id"])]:
                del active[fid]
            continue
        if not key:
            continue
        active[key] = {
            "forget_id": key,
            "person_id": event.get("person_id"),
            **{
                field: [str(v) for v in event.get(field) or []]
                for field in ("emails", "linkedin_slugs", "names")
            },
            "recorded_at": event["_when"],
        }
    return pl.DataFrame(list(active.values()), schema=FORGOTTEN_SCHEMA).sort("recorded_at")
