"""The run log of a mail load: each mbox and each failed file by name, but the thousands of
files of a maildir as a count every `GROUP_FILES` files (a log line is a Dagster event written
to its database, ~13 ms each)."""

from __future__ import annotations

from pipelines.defs.raw.mail import ProgressLog
from pipelines.lib.loading import FileResult
from pipelines.lib.mail import ingest


class Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, line: str) -> None:
        self.lines.append(line)


def result(path: str, variant: str, status: str = "loaded") -> FileResult:
    return FileResult(path, "email_messages", variant, 1, 1, 0, status, "")


def test_a_maildir_is_logged_as_counts_and_its_failures_by_name(monkeypatch):
    monkeypatch.setattr(ingest, "GROUP_FILES", 10)
    log = Lines()
    progress = ProgressLog(log)
    progress(result("Takeout/All mail.mbox", "mbox"))
    for n in range(25):
        progress(result(f"Maildir/cur/{n}:2,S", "maildir", "unchanged" if n % 5 else "loaded"))
    progress(result("Maildir/cur/broken:2,S", "", "failed"))
    progress.flush()
    assert len(log.lines) == 1 + 2 + 1 + 1  # the mbox, two counts, the failure, the last count
    assert "Takeout/All mail.mbox" in log.lines[0]
    assert log.lines[1].startswith("10 one-message files") and "8 unchanged" in log.lines[1]
    assert "Maildir/cur/broken" in log.lines[-2]
    assert (
        log.lines[-1].startswith("25 one-message files")
        and "5 loaded, 20 unchanged" in log.lines[-1]
    )
    assert not any("Maildir/cur/3:2,S" in line for line in log.lines)
