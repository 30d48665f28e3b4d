"""The user's feedback on recommended actions, kept apart from the rebuildable warehouse.

Feedback is an append-only JSON-lines event log in `user_state/` next to the warehouse file
(`data/user_state/warehouse.feedback.jsonl` for `data/warehouse.duckdb`). It is never inside the
DuckDB file, so deleting or rebuilding the warehouse keeps it, and the dashboard can write it while
a refresh holds DuckDB's write lock. Each refresh copies the log into `user_state.action_feedback`
so that SQL users see it. The latest event per action wins; `open` undoes earlier feedback.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from pathlib import Path

import polars as pl

STATUSES = ("open", "done", "snoozed", "dismissed")
FEEDBACK_SCHEMA = pl.Schema(
    {
        "action_id": pl.String,
        "status": pl.String,
        "snoozed_until": pl.Date,
        "recorded_at": pl.Datetime("us", "UTC"),
    }
)


def user_state_path(db_path: Path) -> Path:
    """Where the feedback for the warehouse `db_path` lives (one log per warehouse, so the
    sample's feedback never mixes with yours)."""
    db_path = Path(db_path)
    return db_path.parent / "user_state" / f"{db_path.stem}.feedback.jsonl"


def record_feedback(
    path: Path,
    action_id: str,
    status: str,
    snoozed_until: dt.date | None = None,
    *,
    recorded_at: dt.datetime | None = None,
) -> None:
    """Append one feedback event: `done`, `snoozed` (until a date), `dismissed` or `open` (undo)."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    if status == "snoozed" and snoozed_until is None:
        raise ValueError("a snoozed action needs snoozed_until")
    if not action_id:
        raise ValueError("action_id is empty")
    when = recorded_at or dt.datetime.now(dt.UTC)
    event = {
        "action_id": action_id,
        "status": status,
        "snoozed_until": snoozed_until.isoformat() if status == "snoozed" else None,
        "recorded_at": when.astimezone(dt.UTC).isoformat(),
    }
    line = (json.dumps(event, ensure_ascii=False) + "\n").encode()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # One write of one line under an exclusive lock, with O_APPEND: concurrent writers (two
    # dashboard sessions) never interleave, and a reader sees whole lines or a torn last line,
    # which read_events skips.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_events(path: Path) -> pl.DataFrame:
    """Every feedback event in the order recorded (lines that cannot be read are skipped)."""
    path = Path(path)
    rows = []
    if path.exists():
        for text in path.read_text(encoding="utf-8").splitlines():
            try:
                event = json.loads(text)
                rows.append(
                    {
                        "action_id": str(event["action_id"]),
                        "status": event["status"] if event["status"] in STATUSES else None,
                        "snoozed_until": dt.date.fromisoformat(event["snoozed_until"])
                        if event.get("snoozed_until")
                        else None,
                        "recorded_at": dt.datetime.fromisoformat(event["recorded_at"]),
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
        .drop("order")
        .sort("recorded_at", "action_id")
    )
