"""A big mbox is read by worker processes over byte ranges cut at separator lines, and in
batches: the warehouse holds exactly what one process reading the file in one go writes —
same rows, record numbers, byte offsets, sizes, quarantine and ledger counts."""

from __future__ import annotations

import random
import shutil
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest

from pipelines import warehouse
from pipelines.lib import inbox
from pipelines.lib.mail import ingest, rows
from pipelines.lib.sample import mail
from pipelines.lib.sample.cast import build_cast
from tests.lib.mail.corpus import MAIL

TABLES = {
    "raw.email_messages": "SELECT * EXCLUDE (source_sha256) FROM raw.email_messages",
    "raw.email_recipients": "SELECT * EXCLUDE (source_sha256) FROM raw.email_recipients",
    "quality.quarantine": "SELECT path, record_number, raw_text, reason FROM quality.quarantine",
    "quality.file_loads": """SELECT path, status, message, rows_read, rows_loaded,
                                    rows_quarantined FROM quality.file_loads""",
}


def load(root, db, *, workers: int) -> dict:
    files = [f for f in inbox.scan(root).files if ingest.sources.source_format(f)]
    with warehouse.connect(db) as con:
        ingest.load_mail_files(con, "test", files, store_snippets=True, workers=workers)
        return {name: warehouse.frame(con, sql + " ORDER BY ALL") for name, sql in TABLES.items()}


@pytest.fixture(scope="module")
def mailboxes(tmp_path_factory):
    """The fixture mboxes (LF, CRLF, pipermail, a truncated one) and a realistic mailbox."""
    root = tmp_path_factory.mktemp("inbox")
    for name in ("classic.mbox", "Takeout", "lists", "bad"):
        source = MAIL / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    real = root / "real.mbox"
    mail.write_mailbox(real, build_cast(7), random.Random(5), 1, mail.REALISTIC)
    data = real.read_bytes()
    real.write_bytes(data[: data.index(b"\n\nFrom ", 3 << 20) + 1])  # its first 3 MB
    return root


def test_worker_processes_and_batches_write_what_one_pass_writes(mailboxes, tmp_path, monkeypatch):
    one_pass = load(mailboxes, tmp_path / "serial.duckdb", workers=1)
    assert one_pass["raw.email_messages"].height > 200
    assert one_pass["quality.quarantine"].height >= 1  # the truncated message

    # Frames of 100 messages: record numbers go on from one batch to the next.
    monkeypatch.setattr(ingest, "BATCH_SIZE", 100)
    batched = load(mailboxes, tmp_path / "batched.duckdb", workers=1)
    # Every mbox of more than 1 KB goes to the workers, cut about every 600 bytes (hundreds
    # of ranges, CRLF ones included).
    monkeypatch.setattr(ingest, "PARALLEL_BYTES", 1024)
    monkeypatch.setattr(ingest, "RANGE_BYTES", 600)
    parallel = load(mailboxes, tmp_path / "parallel.duckdb", workers=2)
    for name, frame in one_pass.items():
        assert batched[name].equals(frame), name
        assert parallel[name].equals(frame), name

    numbers = one_pass["raw.email_messages"].filter(
        one_pass["raw.email_messages"]["source_path"] == "real.mbox"
    )["record_number"]
    assert numbers.sort().to_list() == list(range(1, numbers.len() + 1))


def test_ranges_start_at_separators_and_cover_the_file(mailboxes):
    path = mailboxes / "real.mbox"
    size = path.stat().st_size
    ranges = rows.split_ranges(str(path), "real.mbox", size, 200 << 10, None, False)
    assert len(ranges) > 5
    data = path.read_bytes()
    for before, after in zip(ranges, ranges[1:], strict=False):
        assert data[after.start : after.start + 5] == b"From "
        assert data[before.end : after.start] == b"\n"  # the blank line before a separator
    assert ranges[0].start == 0 and ranges[-1].end == size and ranges[-1].ends_file


class _PoolThatCannotStart:
    """What a ProcessPoolExecutor does when its processes cannot start (a script without an
    `if __name__ == "__main__":` guard): every task fails with BrokenProcessPool."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def submit(self, fn, *args):
        future = Future()
        future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        return future

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def test_a_pool_that_cannot_start_reads_the_file_here(mailboxes, tmp_path, monkeypatch, caplog):
    one_pass = load(mailboxes, tmp_path / "serial.duckdb", workers=1)
    monkeypatch.setattr(ingest, "PARALLEL_BYTES", 1024)
    monkeypatch.setattr(ingest, "RANGE_BYTES", 600)
    monkeypatch.setattr(ingest, "ProcessPoolExecutor", _PoolThatCannotStart)
    fallback = load(mailboxes, tmp_path / "fallback.duckdb", workers=2)
    for name, frame in one_pass.items():
        assert fallback[name].equals(frame), name
    assert "no worker processes" in caplog.text
