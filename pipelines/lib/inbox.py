"""Find the input files in the inbox: loose files, unpacked export folders and zip archives.

Zip members are read straight from the archive, never extracted, so nothing is written outside
the working folder. Every file is named by its path relative to the inbox, with zip members as
`archive.zip/member` — that name is the file's identity in `quality.file_loads`.
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


@dataclass
class Inbox:
    files: list[SourceFile]
    problems: list[InboxProblem]


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
    if not inbox.exists():
        return Inbox(files, problems)
    for disk_path in _walk(inbox):
        rel = disk_path.relative_to(inbox).as_posix()
        if disk_path.suffix.lower() == ".zip":
            files.extend(_zip_members(disk_path, rel, max_unpacked_bytes, problems))
            continue
        container = _export_folder(rel)
        files.append(
            SourceFile(
                path=rel,
                size=disk_path.stat().st_size,
                container=container,
                snapshot_date=snapshot_date_from_name(container) if container else None,
                open=_opener(disk_path),
                disk_path=disk_path,
                size_limit=max_unpacked_bytes,
            )
        )
    return Inbox(files, problems)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        # Hidden folders are skipped, except maildir++ subfolders (`.Sent/cur/...`).
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") or os.path.isdir(os.path.join(dirpath, d, "cur"))
        )
        for name in sorted(filenames):
            if name in IGNORED_NAMES or name.startswith("."):
                continue
            yield Path(dirpath) / name


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
