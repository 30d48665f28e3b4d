"""The refresh's summary: one line per file, except a maildir's files, one line per folder."""

from __future__ import annotations

import io

import polars as pl

from pipelines.report import print_summary


def row(path, status="loaded", variant="maildir", message="", read=1, loaded=1, quarantined=0):
    return {
        "path": path,
        "kind": "email_messages",
        "variant": variant,
        "rows_read": read,
        "rows_loaded": loaded,
        "rows_quarantined": quarantined,
        "status": status,
        "message": message,
    }


def test_a_maildir_is_summed_up_per_folder_and_a_broken_file_is_still_named():
    summary = pl.DataFrame(
        [
            *(row(f"maildir/ann/inbox/{n}.") for n in range(1, 4)),
            *(row(f"maildir/ann/sent/{n}.", status="unchanged") for n in range(1, 3)),
            row(
                "maildir/ann/inbox/9.",
                status="failed",
                message="maildir/ann/inbox/9.: cannot be read",
                read=0,
                loaded=0,
            ),
            row("Takeout/Mail/All mail.mbox", variant="mbox", read=500, loaded=498, quarantined=2),
        ]
    )
    out = io.StringIO()
    print_summary(summary, out)
    lines = out.getvalue().splitlines()
    files = [
        line.split()[-2:] for line in lines if line.startswith(("loaded", "unchanged", "failed"))
    ]
    assert [line for line in lines if "maildir/ann/inbox/ (3 files)" in line][0].startswith(
        "loaded"
    )
    assert any("maildir/ann/sent/ (2 files)" in line for line in lines)
    assert any(line.startswith("failed") and "maildir/ann/inbox/9." in line for line in lines)
    assert any("↳ maildir/ann/inbox/9.: cannot be read" in line for line in lines)
    assert any("Takeout/Mail/All mail.mbox" in line for line in lines)
    assert len(files) == 4  # two folders, the broken file, the mbox
    assert lines[-1] == "7 files: 505 rows read, 503 loaded, 2 quarantined"
