"""A maildir of N one-message files, made from the messages of the sample's Takeout mbox.

    .venv/bin/python -m benchmarks.maildir OUT_FOLDER 100000 SAMPLE_FOLDER

The layout is what a mail client that syncs with IMAP (offlineimap, mbsync, Dovecot) leaves:
`Maildir/cur`, `Maildir/new`, `Maildir/tmp` (empty: a delivery area) and maildir++ subfolders
`.Sent` and `.Archive`, each with the same three. A message goes where its Gmail labels put it
(Sent, archived, else the inbox; one in ten inbox messages still unread in `new/`). Each file is
named as deliveries name them (`<time>.<pid>_<n>.<host>`, with `:2,<flags>` once in `cur/`),
carries the headers a delivery adds (Return-Path, Delivered-To, two Received hops) instead of
Gmail's X-GM-THRID and X-Gmail-Labels, has the message's date as its modification time, and
ends its lines with LF, except one file in eight written with CRLF (as some IMAP tools store
them). When the mbox holds fewer than N messages they are used again, each round with its own
Message-ID, so that every file is a distinct message.
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HOST = "laptop.example"
MESSAGE_ID = re.compile(rb"^(Message-ID: <)([^>\r\n]*)>", re.MULTILINE | re.IGNORECASE)
DATE = re.compile(rb"^Date: ([^\r\n]*)", re.MULTILINE)
LABELS = re.compile(rb"^X-Gmail-Labels: ([^\r\n]*)\n", re.MULTILINE)
GMAIL_HEADERS = re.compile(rb"^X-GM-THRID: [^\n]*\n|^X-Gmail-Labels: [^\n]*\n", re.MULTILINE)


def mbox_messages(path: Path) -> Iterator[bytes]:
    """The messages of an mboxrd file, without their `From ` lines and with `>From ` unquoted."""
    lines: list[bytes] = []
    previous_blank = True
    with path.open("rb") as handle:
        for line in handle:
            if previous_blank and line.startswith(b"From "):
                if lines:
                    yield _unquoted(lines)
                lines = []
            else:
                lines.append(line)
            previous_blank = line in (b"\n", b"\r\n")
    if lines:
        yield _unquoted(lines)


def _unquoted(lines: list[bytes]) -> bytes:
    text = b"".join(lines).rstrip(b"\n") + b"\n"
    return re.sub(rb"(?m)^>(>*From )", rb"\1", text)


def _folder(labels: bytes) -> str:
    names = {label.strip() for label in labels.split(b",")}
    if b"Sent" in names:
        return ".Sent"
    if b"Archived" in names or b"Inbox" not in names:
        return ".Archive"
    return ""


def maildir_file(message: bytes, n: int, round_: int) -> tuple[str, bytes, float]:
    """(path below the Maildir folder, bytes, modification time) of the n-th file."""
    found = LABELS.search(message)
    labels = found.group(1) if found else b""
    date = DATE.search(message)
    try:
        when = email.utils.parsedate_to_datetime(date.group(1).decode()).timestamp()
    except (AttributeError, TypeError, ValueError):
        when = 1_600_000_000.0 + n
    if round_:
        message = MESSAGE_ID.sub(rb"\1\2.copy%d>" % round_, message, count=1)
    stamp = email.utils.formatdate(when)
    delivered = (
        f"Return-Path: <bounces+{n}@mx.example.net>\n"
        f"Delivered-To: owner@{HOST}\n"
        f"Received: from mx1.example.net (mx1.example.net [192.0.2.17])\n"
        f"\tby imap.{HOST} (Dovecot) with LMTP id {n:08x}\n\tfor <owner@{HOST}>; {stamp}\n"
        f"Received: from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41])\n"
        f"\tby mx1.example.net (Postfix) with ESMTPS id {n:010X}; {stamp}\n"
    ).encode()
    data = delivered + GMAIL_HEADERS.sub(b"", message)
    folder = _folder(labels)
    unread = not folder and n % 10 == 3
    seconds = int(when)
    name = f"{seconds}.{10_000 + n % 30_000}_{n}.{HOST}"
    if unread:
        where = f"{folder}/new/{name}" if folder else f"new/{name}"
    else:
        flags = "RS" if n % 7 == 0 else ("" if n % 13 == 0 else "S")
        where = f"{folder}/cur/{name}:2,{flags}" if folder else f"cur/{name}:2,{flags}"
    if n % 8 == 5:
        data = data.replace(b"\n", b"\r\n")
    return where, data, when


def generate(out: Path, files: int, mbox: Path) -> dict:
    """Write `out/Maildir` with `files` messages from `mbox` (once: a complete maildir with the
    same count is reused). Returns what was written."""
    stamp = _stamp(out)
    if stamp.exists():
        info = json.loads(stamp.read_text())
        if info.get("files") == files and info.get("mbox") == str(mbox):
            return info
    started = time.perf_counter()
    root = out / "Maildir"
    if out.exists():
        import shutil

        shutil.rmtree(out)
    for folder in ("", ".Sent", ".Archive"):
        for sub in ("cur", "new", "tmp"):
            (root / folder / sub).mkdir(parents=True, exist_ok=True)
    written = size = crlf = 0
    round_ = 0
    while written < files:
        before = written
        for message in mbox_messages(mbox):
            where, data, when = maildir_file(message, written, round_)
            path = root / where
            path.write_bytes(data)
            os.utime(path, (when, when))
            written += 1
            size += len(data)
            crlf += b"\r\n" in data
            if written >= files:
                break
        if written == before:
            raise ValueError(f"{mbox} holds no message")
        round_ += 1
    info = {
        "files": files,
        "mbox": str(mbox),
        "bytes": size,
        "crlf_files": crlf,
        "seconds": time.perf_counter() - started,
    }
    stamp.write_text(json.dumps(info))
    return info


def _stamp(folder: Path) -> Path:
    """Beside the folder (not in it: it is an inbox): how it was made, present when complete."""
    return folder.with_name(folder.name + ".json")


def first_files(source: Path, target: Path, files: int) -> Path:
    """`target` as a maildir of the first `files` files of the maildir folder `source` (same
    layout, hard links: no copy), made once."""
    stamp = _stamp(target)
    if stamp.exists() and json.loads(stamp.read_text()).get("files") == files:
        return target
    import shutil

    shutil.rmtree(target, ignore_errors=True)
    linked = 0
    for folder, dirs, names in os.walk(source / "Maildir"):
        dirs.sort()
        relative = Path(folder).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            if linked < files:
                os.link(Path(folder) / name, target / relative / name)
                linked += 1
    stamp.write_text(json.dumps({"files": linked}))
    return target


if __name__ == "__main__":
    out_folder, count, sample = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    found = sorted(sample.rglob("*.mbox"), key=lambda p: p.stat().st_size)
    print(generate(Path(out_folder), count, found[-1]))
