"""Notice what changed in the inbox since the last look, for the inbox sensor.

A file's fingerprint is its size and modification time (nanoseconds), keyed by its path relative
to the inbox — the same identity the loaders use. A zip archive is fingerprinted as one file:
any change to a member changes the archive. Comparing fingerprints is cheap (one `stat` per
file); whether the *content* really changed is decided later by the loaders, which skip a file
whose SHA-256 is already in `quality.file_loads`. `kinds_of` says which kinds of input (= raw
tables) the new or changed files hold, so the sensor's run loads only those tables and what is
built from them.

The cursor is the JSON of the fingerprints last acted on. A file that disappears is dropped from
the cursor and nothing else happens: its rows stay in the warehouse until the user removes them.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib import catalog
from pipelines.lib.inbox import _walk, scan

# A file modified less than this long ago may still be being copied into the inbox; it is left
# for a later look so that a half-written archive is not loaded (and reported failed) first.
SETTLE_SECONDS = 10.0

Fingerprint = tuple[int, int]  # (size in bytes, mtime in nanoseconds)


@dataclass(frozen=True)
class InboxChanges:
    """What a look at the inbox found, compared with the cursor."""

    new: list[str]
    changed: list[str]
    removed: list[str]
    settling: list[str]  # new or changed, but modified too recently to read yet
    cursor: str  # the cursor to store: what is acted on now, without the settling files

    @property
    def to_load(self) -> list[str]:
        return sorted(self.new + self.changed)

    def run_key(self, fingerprints: dict[str, Fingerprint]) -> str:
        """The same changes give the same key, so Dagster never starts two runs for them."""
        text = "\n".join(f"{p}\t{fingerprints[p][0]}\t{fingerprints[p][1]}" for p in self.to_load)
        return "inbox-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprints(inbox: Path) -> dict[str, Fingerprint]:
    """Every file the inbox scan would look at (zip archives as a whole), with its fingerprint."""
    found: dict[str, Fingerprint] = {}
    if not inbox.is_dir():
        return found
    for path in _walk(inbox):
        try:
            stat = path.stat()
        except OSError:  # removed between listing and stat
            continue
        found[path.relative_to(inbox).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def parse_cursor(cursor: str | None) -> dict[str, Fingerprint]:
    """The fingerprints stored in a cursor; an empty or unreadable cursor means "seen nothing"."""
    if not cursor:
        return {}
    try:
        files = json.loads(cursor)["files"]
        return {str(p): (int(f[0]), int(f[1])) for p, f in files.items()}
    except (ValueError, KeyError, TypeError, IndexError):
        return {}


def make_cursor(files: dict[str, Fingerprint]) -> str:
    return json.dumps({"files": {p: list(f) for p, f in sorted(files.items())}})


def compare(
    current: dict[str, Fingerprint],
    cursor: str | None,
    *,
    now_ns: int | None = None,
    settle_seconds: float = SETTLE_SECONDS,
) -> InboxChanges:
    """New, changed and removed files since `cursor`, and the cursor to store afterwards."""
    seen = parse_cursor(cursor)
    now_ns = time.time_ns() if now_ns is None else now_ns
    settle_ns = int(settle_seconds * 1e9)
    new, changed, settling = [], [], []
    acted_on = {}
    for path, fingerprint in sorted(current.items()):
        if seen.get(path) == fingerprint:
            acted_on[path] = fingerprint
            continue
        if now_ns - fingerprint[1] < settle_ns:
            settling.append(path)
            if path in seen:  # keep the old fingerprint so the change is still noticed later
                acted_on[path] = seen[path]
            continue
        (changed if path in seen else new).append(path)
        acted_on[path] = fingerprint
    removed = sorted(set(seen) - set(current))
    return InboxChanges(new, changed, removed, settling, make_cursor(acted_on))


def kinds_of(
    inbox: Path, paths: Iterable[str], *, max_unpacked_bytes: int = 4 * 1024**3
) -> dict[str, list[str]]:
    """The kinds of input each of `paths` holds (a zip archive: its members' kinds), as the
    catalog decides them; an empty list for a file Constellation does not read. A path the
    inbox scan does not list (a hidden file, a link it does not follow, a file gone since, or the
    same file reached by another path) is left out."""
    wanted = set(paths)
    kinds: dict[str, set[str]] = {}
    for source in scan(inbox, max_unpacked_bytes=max_unpacked_bytes).files:
        # A loose file is its own fingerprint; a zip member "a/export.zip/Connections.csv" belongs
        # to the fingerprint of "a/export.zip".
        owner = next(
            (p for p in _prefixes(source.path) if p in wanted),
            None,
        )
        if owner is None:
            continue
        kinds.setdefault(owner, set())
        try:
            kind = catalog.kind_of(source)
        except OSError:  # gone or unreadable now: the loader reports it in its run
            kind = None
        if kind:
            kinds[owner].add(kind)
    return {p: sorted(k) for p, k in sorted(kinds.items())}


def _prefixes(path: str) -> Iterable[str]:
    """ "a/b.zip/c.csv" -> "a/b.zip/c.csv", "a/b.zip", "a"."""
    parts = path.split("/")
    for end in range(len(parts), 0, -1):
        yield "/".join(parts[:end])
