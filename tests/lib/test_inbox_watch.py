"""The inbox sensor's bookkeeping without Dagster: fingerprints, the cursor, what changed."""

from __future__ import annotations

import json

from pipelines.lib import inbox_watch
from tests.conftest import fixture_bytes, write_export

SECOND = 1_000_000_000
NOW = 1_750_000_000 * SECOND


def test_new_changed_removed_and_unchanged_files_are_told_apart():
    cursor = inbox_watch.make_cursor({"a.csv": (10, NOW - 100 * SECOND), "gone.mbox": (5, 1)})
    current = {
        "a.csv": (12, NOW - 60 * SECOND),  # grew
        "b.ics": (7, NOW - 60 * SECOND),  # new
    }
    changes = inbox_watch.compare(current, cursor, now_ns=NOW)
    assert changes.new == ["b.ics"]
    assert changes.changed == ["a.csv"]
    assert changes.removed == ["gone.mbox"]
    assert changes.to_load == ["a.csv", "b.ics"]
    # The removed file is forgotten by the cursor (and nothing else happens to it).
    assert inbox_watch.parse_cursor(changes.cursor) == current

    again = inbox_watch.compare(current, changes.cursor, now_ns=NOW + SECOND)
    assert again.to_load == [] and again.removed == [] and again.cursor == changes.cursor


def test_a_file_modified_moments_ago_waits_and_keeps_its_old_fingerprint():
    cursor = inbox_watch.make_cursor({"a.csv": (10, NOW - 100 * SECOND)})
    current = {"a.csv": (20, NOW - 2 * SECOND), "new.zip": (99, NOW - SECOND)}
    changes = inbox_watch.compare(current, cursor, now_ns=NOW)
    assert changes.to_load == []
    assert changes.settling == ["a.csv", "new.zip"]
    assert inbox_watch.parse_cursor(changes.cursor) == {"a.csv": (10, NOW - 100 * SECOND)}
    later = inbox_watch.compare(current, changes.cursor, now_ns=NOW + 30 * SECOND)
    assert later.changed == ["a.csv"] and later.new == ["new.zip"]


def test_an_empty_or_unreadable_cursor_means_nothing_was_seen():
    current = {"a.csv": (1, NOW - 60 * SECOND)}
    for cursor in (None, "", "not json", json.dumps({"files": {"a.csv": "x"}}), "[]"):
        assert inbox_watch.compare(current, cursor, now_ns=NOW).new == ["a.csv"]


def test_the_run_key_is_the_same_for_the_same_changes_and_differs_otherwise():
    current = {"a.csv": (1, NOW - 60 * SECOND)}
    key = inbox_watch.compare(current, None, now_ns=NOW).run_key(current)
    assert key == inbox_watch.compare(current, None, now_ns=NOW).run_key(current)
    touched = {"a.csv": (1, NOW - 59 * SECOND)}
    assert key != inbox_watch.compare(touched, None, now_ns=NOW).run_key(touched)


def test_fingerprints_see_files_and_zip_archives_as_a_whole_and_skip_hidden_ones(tmp_path):
    write_export(
        tmp_path,
        "Basic_LinkedInDataExport_01-15-2025",
        {"Connections.csv": fixture_bytes("linkedin/connections_2024.csv")},
        as_zip=True,
    )
    (tmp_path / "log.csv").write_bytes(b"date,person\n")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    found = inbox_watch.fingerprints(tmp_path)
    assert set(found) == {"Basic_LinkedInDataExport_01-15-2025.zip", "log.csv"}
    assert found["log.csv"][0] == len(b"date,person\n")
    assert inbox_watch.fingerprints(tmp_path / "missing") == {}


def test_kinds_of_reads_the_members_of_an_archive_and_names_unused_files(tmp_path):
    """A file Constellation does not use has no kinds; one the inbox scan never lists (hidden)
    is left out."""
    write_export(
        tmp_path,
        "Complete_LinkedInDataExport_02-20-2025",
        {
            "Connections.csv": fixture_bytes("linkedin/connections_2024.csv"),
            "Invitations.csv": fixture_bytes("linkedin/invitations_2025.csv"),
            "Skills.csv": b"Name\nSQL\n",
        },
        as_zip=True,
    )
    (tmp_path / "notes.txt").write_bytes(b"hello")
    (tmp_path / "cal.ics").write_bytes(fixture_bytes("calendar/google.ics"))
    (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    kinds = inbox_watch.kinds_of(
        tmp_path, ["Complete_LinkedInDataExport_02-20-2025.zip", "notes.txt", ".DS_Store"]
    )
    assert kinds == {
        "Complete_LinkedInDataExport_02-20-2025.zip": [
            "linkedin_connections",
            "linkedin_invitations",
        ],
        "notes.txt": [],
    }
