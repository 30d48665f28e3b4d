"""Has anything a refresh reads changed since the last one? If not, the refresh does no work.

A refresh reads: the files of the inbox (following links, as the inbox walk does), the
dashboard's user-state logs beside the warehouse, the configuration file, the settings it runs
with (as-of date, paths) and this program's own code. Their fingerprint is a hash of each file's
path, size and modification time, plus the settings and the configuration file's bytes. Reading
it costs one `stat` per file: no file is opened, no table touched, Dagster not even imported.

After a refresh that ended well (every file read, the snapshot published) the fingerprint is
written beside the warehouse (`<warehouse>.inputs.json`) with the size and modification time the
warehouse and its snapshot had then. The next refresh compares: the same fingerprint and the
same two files means nothing new, and the published snapshot is still the right one. Anything
else (a new, changed or removed file, another as-of date, an edited configuration, a new
version of the program, a warehouse replaced by hand, a refresh run by the Dagster UI since)
means a full refresh, as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.user_state import user_state_path
from pipelines.settings import Settings

CODE_ROOT = Path(__file__).resolve().parents[1]  # the `pipelines` package
CODE_SUFFIXES = (".py", ".sql", ".json")


@dataclass(frozen=True)
class LastRefresh:
    """What the last refresh that ended well recorded."""

    fingerprint: str
    finished_at: str
    warehouse: list[int]
    snapshot: list[int]


def record_path(db_path: Path) -> Path:
    """Where the last good refresh of the warehouse `db_path` is recorded."""
    return db_path.with_name(db_path.name + ".inputs.json")


def _file_stats(root: Path, suffixes: tuple[str, ...] = ()) -> list[tuple[str, int, int]]:
    """(path relative to root, size, mtime in ns) of every file under `root`, links followed
    (a folder reached twice, as by a loop, is listed once), sorted."""
    stats: list[tuple[str, int, int]] = []
    if not root.exists():
        return stats
    seen_folders: set[str] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen_folders:
            dirs.clear()
            continue
        seen_folders.add(real)
        dirs.sort()
        # One relative path per folder, not per file: `relpath` costs more than the `stat`.
        below = os.path.relpath(folder, root)
        prefix = "" if below == "." else below + os.sep
        for name in files:
            if suffixes and not name.endswith(suffixes):
                continue
            try:
                info = os.stat(os.path.join(folder, name))
            except OSError:  # a broken link: its absence is part of the state
                stats.append((prefix + name, -1, -1))
                continue
            stats.append((prefix + name, info.st_size, info.st_mtime_ns))
    return sorted(stats)


def fingerprint(settings: Settings) -> str:
    """A hash of everything a refresh with `settings` reads (see the module docstring)."""
    digest = hashlib.sha256()

    def add(label: str, value: object) -> None:
        digest.update(f"{label}\0{value}\n".encode())

    add("as_of", settings.as_of_date.isoformat())
    add("inbox", settings.inbox.resolve())
    add("warehouse", settings.db_path.resolve())
    config = settings.config_path
    add("config", config.read_bytes().hex() if config and config.is_file() else "")
    for label, root, suffixes in (
        ("inbox_file", settings.inbox, ()),
        ("user_state_file", user_state_path(settings.db_path).parent, ()),
        ("code_file", CODE_ROOT, CODE_SUFFIXES),
    ):
        # one update for all the files: the same bytes as one `add` per file, at a tenth of
        # the cost for a maildir of 100,000 files
        text = "".join(f"{label}\0{entry}\n" for entry in _file_stats(root, suffixes))
        digest.update(text.encode())
    return digest.hexdigest()


def _size_and_mtime(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def unchanged_since(settings: Settings, current: str) -> LastRefresh | None:
    """The last good refresh when nothing it read has changed since (fingerprint `current`),
    and its warehouse and snapshot are still the files it left; else None."""
    path = record_path(settings.db_path)
    try:
        last = LastRefresh(**json.loads(path.read_text(encoding="utf-8")))
        still_there = last.warehouse == _size_and_mtime(
            settings.db_path
        ) and last.snapshot == _size_and_mtime(settings.snapshot_path)
    except (OSError, ValueError, TypeError):
        return None
    return last if still_there and last.fingerprint == current else None


def record(settings: Settings, current: str) -> None:
    """Remember a refresh that ended well, with the fingerprint `current` taken before it ran
    (a file that lands during the run makes the next refresh run)."""
    last = LastRefresh(
        fingerprint=current,
        finished_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        warehouse=_size_and_mtime(settings.db_path),
        snapshot=_size_and_mtime(settings.snapshot_path),
    )
    path = record_path(settings.db_path)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(last.__dict__), encoding="utf-8")
    temporary.replace(path)


def forget_last(settings: Settings) -> None:
    """Drop the record, so the next refresh runs in full (after a failed or partial one)."""
    record_path(settings.db_path).unlink(missing_ok=True)
