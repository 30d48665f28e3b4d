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
means a refresh.

A refresh after which only inbox files were added or changed (nothing removed, the settings,
the configuration, the user state and the program as they were, the warehouse the file the
record describes) needs only what those files feed: `new_inbox_files` names them, and the
refresh runs the tables of their kinds and everything built from them, as the inbox sensor
does. Everything else would come out the same. For that the record also keeps each inbox
file's size and modification time, and a fingerprint of everything but the inbox files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
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
    # Absent from the records of older versions: such a record allows no partial refresh.
    settings_part: str = ""
    inbox_files: dict[str, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Inputs:
    """What a refresh reads, as of now."""

    fingerprint: str  # of everything
    settings_part: str  # of everything but the inbox files
    inbox_files: dict[str, list[int]]  # path relative to the inbox: [size, mtime in ns]


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
    return read_inputs(settings).fingerprint


def read_inputs(settings: Settings) -> Inputs:
    """The fingerprints of what a refresh with `settings` reads, and its inbox files."""
    digest = hashlib.sha256()

    def add(label: str, value: object) -> None:
        digest.update(f"{label}\0{value}\n".encode())

    def add_files(label: str, stats: list[tuple[str, int, int]]) -> None:
        # one update for all the files: the same bytes as one `add` per file, at a tenth of
        # the cost for a maildir of 100,000 files
        digest.update("".join(f"{label}\0{entry}\n" for entry in stats).encode())

    add("as_of", settings.as_of_date.isoformat())
    add("inbox", settings.inbox.resolve())
    add("warehouse", settings.db_path.resolve())
    config = settings.config_path
    add("config", config.read_bytes().hex() if config and config.is_file() else "")
    add_files("user_state_file", _file_stats(user_state_path(settings.db_path).parent))
    add_files("code_file", _file_stats(CODE_ROOT, CODE_SUFFIXES))
    settings_part = digest.hexdigest()
    inbox_stats = _file_stats(settings.inbox)
    add_files("inbox_file", inbox_stats)
    return Inputs(
        fingerprint=digest.hexdigest(),
        settings_part=settings_part,
        inbox_files={path: [size, mtime] for path, size, mtime in inbox_stats},
    )


def _size_and_mtime(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def last_good_refresh(settings: Settings) -> LastRefresh | None:
    """The record of the last refresh that ended well, if its warehouse and snapshot are still
    the files it left; else None. A write-ahead log beside the warehouse means some process
    wrote to it since without a checkpoint (a refresh ends with one), which size and time alone
    would not show."""
    path = record_path(settings.db_path)
    try:
        last = LastRefresh(**json.loads(path.read_text(encoding="utf-8")))
        still_there = (
            last.warehouse == _size_and_mtime(settings.db_path)
            and last.snapshot == _size_and_mtime(settings.snapshot_path)
            and not settings.db_path.with_name(settings.db_path.name + ".wal").exists()
        )
    except (OSError, ValueError, TypeError):
        return None
    return last if still_there else None


def unchanged_since(settings: Settings, current: str) -> LastRefresh | None:
    """The last good refresh when nothing it read has changed since (fingerprint `current`),
    and its warehouse and snapshot are still the files it left; else None."""
    last = last_good_refresh(settings)
    return last if last is not None and last.fingerprint == current else None


def new_inbox_files(settings: Settings, current: Inputs) -> list[str] | None:
    """The inbox files added or changed since the last good refresh, when nothing else it read
    has changed since (then a run of what those files feed gives what a complete refresh
    would); None when a complete refresh is needed: no such refresh, or a file left the inbox,
    or the settings, the configuration, the user state or the program changed."""
    last = last_good_refresh(settings)
    if last is None or not last.settings_part or last.settings_part != current.settings_part:
        return None
    if set(last.inbox_files) - set(current.inbox_files):
        return None  # a file that left: the inbox listing and the kinds it fed are redone
    return [
        path for path, stats in current.inbox_files.items() if last.inbox_files.get(path) != stats
    ]


def record(settings: Settings, current: Inputs) -> None:
    """Remember a refresh that ended well, with the inputs `current` read before it ran
    (a file that lands during the run makes the next refresh run)."""
    last = LastRefresh(
        fingerprint=current.fingerprint,
        finished_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        warehouse=_size_and_mtime(settings.db_path),
        snapshot=_size_and_mtime(settings.snapshot_path),
        settings_part=current.settings_part,
        inbox_files=current.inbox_files,
    )
    path = record_path(settings.db_path)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(last.__dict__), encoding="utf-8")
    temporary.replace(path)


def forget_last(settings: Settings) -> None:
    """Drop the record, so the next refresh runs in full (after a failed or partial one)."""
    record_path(settings.db_path).unlink(missing_ok=True)
