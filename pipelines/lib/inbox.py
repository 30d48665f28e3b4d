"""Find the input files in the inbox: loose files, unpacked export folders and zip archives.

Zip members are read straight from the archive, never extracted, so nothing is written outside
the working folder. Every file is named by its path relative to the inbox, with zip members as
`archive.zip/member` — that name is the file's identity in `quality.file_loads`.

Symbolic links to folders and files are followed (`ln -s ~/Mail data/inbox/mail` adds a mailbox
without copying it), and what is found through them is named by its path through the link
(`mail/cur/1.eml`). A link is not followed when it is broken, when it leads back into the inbox
(its target is read there already) or when it leads to a folder already being read (a loop);
each such link is listed in `Inbox.not_followed` with the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

# "Basic_LinkedInDataExport_01-15-2025.zip" or "Complete_LinkedInDataExport_01-15-2025 (1)".
EXPORT_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})")
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep"}


class InboxError(Exception):
    """An input that cannot be opened at all; the message names it and says why."""


@dataclass(frozen=True)
class SourceFile:
    """One input file, loose on disk or inside a zip."""

    path: str  # identity: relative to the inbox, zip members as "export.zip/Connections.csv"
    size: int
    container: str  # the export folder or zip it came in ("" for a loose file)
    snapshot_date: dt.date | None  # from the export's name; None when the name carries none
    open: Callable[[], BinaryIO] = field(compare=False, repr=False)
    disk_path: Path | None = field(default=None, compare=False)  # set for files on disk
    # Modification time (ns) of a file on disk, from the same `stat` as `size`: with the size,
    # what tells an unchanged file without reading it.
    mtime_ns: int | None = field(default=None, compare=False)
    size_limit: int = field(default=0, compare=False)

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def parts(self) -> tuple[str, ...]:
        return PurePosixPath(self.path).parts

    def read_bytes(self) -> bytes:
        """The whole content, refusing more than the configured unpacked-size limit."""
        with self.open() as handle:
            limit = self.size_limit or None
            data = handle.read(limit + 1) if limit else handle.read()
        if limit and len(data) > limit:
            raise InboxError(
                f"{self.path}: more than {limit:,} bytes when unpacked; raise "
                "[limits] max_unpacked_bytes in the configuration if this file is genuine"
            )
        return data

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.open() as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


@dataclass(frozen=True)
class InboxProblem:
    """A file or archive that could not be read; reported in `quality.file_loads` as failed."""

    path: str
    message: str


@dataclass(frozen=True)
class NotFollowed:
    """A symbolic link in the inbox that was not followed, and why."""

    path: str  # relative to the inbox
    reason: str


@dataclass
class Inbox:
    files: list[SourceFile]
    problems: list[InboxProblem]
    not_followed: list[NotFollowed] = field(default_factory=list)


def snapshot_date_from_name(name: str) -> dt.date | None:
    """The export date LinkedIn puts in the archive name (MM-DD-YYYY), if any."""
    match = EXPORT_DATE.search(name)
    if not match:
        return None
    month, day, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def scan(inbox: Path, *, max_unpacked_bytes: int = 4 * 1024**3) -> Inbox:
    """Every readable file in the inbox, and the problems met on the way, in a stable order."""
    files: list[SourceFile] = []
    problems: list[InboxProblem] = []
    not_followed: list[NotFollowed] = []
    if not inbox.exists():
        return Inbox(files, problems, not_followed)
    for disk_path in _walk(inbox, not_followed):
        rel = disk_path.relative_to(inbox).as_posix()
        if disk_path.suffix.lower() == ".zip":
            files.extend(_zip_members(disk_path, rel, max_unpacked_bytes, problems))
            continue
        container = _export_folder(rel)
        info = disk_path.stat()
        files.append(
            SourceFile(
                path=rel,
                size=info.st_size,
                mtime_ns=info.st_mtime_ns,
                container=container,
                snapshot_date=snapshot_date_from_name(container) if container else None,
                open=_opener(disk_path),
                disk_path=disk_path,
                size_limit=max_unpacked_bytes,
            )
        )
    return Inbox(files, problems, not_followed)


def _walk(root: Path, not_followed: list[NotFollowed] | None = None) -> Iterator[Path]:
    """Every file to look at under `root`, through links, in a stable order. Links that are not
    followed are appended to `not_followed` with the reason."""
    skipped = not_followed if not_followed is not None else []
    inbox_real = os.path.realpath(root)
    first_read = {inbox_real: ""}  # real path of each folder walked -> its path in the inbox
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        here = os.path.realpath(dirpath)
        kept = []
        for name in sorted(dirnames):
            path = os.path.join(dirpath, name)
            # Hidden folders are skipped, except maildir++ subfolders (`.Sent/cur/...`).
            if name.startswith(".") and not os.path.isdir(os.path.join(path, "cur")):
                continue
            real = os.path.realpath(path)
            reason = _why_not_followed(path, real, inbox_real) or _why_not_walked(
                real, here, first_read
            )
            if reason:
                skipped.append(NotFollowed(_relative(path, root), reason))
                continue
            first_read[real] = _relative(path, root)
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name in IGNORED_NAMES or name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            # Resolving a path costs a few `lstat`s: only links need it.
            link = os.path.islink(path)
            reason = link and _why_not_followed(path, os.path.realpath(path), inbox_real)
            if reason:
                skipped.append(NotFollowed(_relative(path, root), reason))
                continue
            yield Path(path)


def _why_not_followed(path: str, real: str, inbox_real: str) -> str:
    """Why the link at `path` (to `real`) is not followed; "" when it is, or is no link."""
    if not os.path.islink(path):
        return ""
    target = os.readlink(path)
    if not os.path.exists(path):
        return f"a link to {target}, which does not exist"
    if real == inbox_real or real.startswith(inbox_real + os.sep):
        inside = os.path.relpath(real, inbox_real)
        where = "the inbox itself" if inside == "." else Path(inside).as_posix()
        return f"a link back into the inbox ({where}), which is read there already"
    return ""


def _why_not_walked(real: str, here: str, first_read: dict[str, str]) -> str:
    """Why a folder reached through links (real path `real`, met in folder `here`) is not
    walked again; "" when it is new."""
    if here == real or here.startswith(real + os.sep):
        return "a link to a folder that contains it (a loop)"
    if real in first_read:
        return f"the same folder as {first_read[real] or 'the inbox'}, which is read there already"
    return ""


def _relative(path: str, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _export_folder(rel: str) -> str:
    """The top folder a file sits in, which names the export it belongs to."""
    parts = PurePosixPath(rel).parts
    return parts[0] if len(parts) > 1 else ""


def _opener(path: Path) -> Callable[[], BinaryIO]:
    return lambda: path.open("rb")


def _zip_members(
    archive: Path, rel: str, limit: int, problems: list[InboxProblem]
) -> list[SourceFile]:
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        problems.append(InboxProblem(rel, f"{rel}: not a readable zip archive ({exc})"))
        return []
    members = []
    total = 0
    snapshot = snapshot_date_from_name(archive.name)
    for info in infos:
        if info.is_dir():
            continue
        member = PurePosixPath(info.filename.replace("\\", "/"))
        if member.is_absolute() or ".." in member.parts:
            problems.append(
                InboxProblem(
                    f"{rel}/{info.filename}",
                    f"{rel}: entry {info.filename!r} points outside the archive; it was not read",
                )
            )
            continue
        if member.name in IGNORED_NAMES or member.name.startswith("."):
            continue
        if total + info.file_size > limit:
            problems.append(
                InboxProblem(
                    f"{rel}/{info.filename}",
                    f"{rel}: entry {info.filename!r} unpacks to more than {limit:,} bytes "
                    "(the [limits] max_unpacked_bytes setting); it was not read",
                )
            )
            continue
        total += info.file_size
        members.append(
            SourceFile(
                path=f"{rel}/{member.as_posix()}",
                size=info.file_size,
                container=rel,
                snapshot_date=snapshot,
                open=_zip_opener(archive, info.filename),
                size_limit=limit,
            )
        )
    return members


def _zip_opener(archive: Path, member: str) -> Callable[[], BinaryIO]:
    def open_member() -> BinaryIO:
        zf = zipfile.ZipFile(archive)
        handle = zf.open(member)
        # Close the archive together with the member.
        original_close = handle.close

        def close() -> None:
            original_close()
            zf.close()

        handle.close = close  # type: ignore[method-assign]
        return handle  # type: ignore[return-value]

    return open_member
