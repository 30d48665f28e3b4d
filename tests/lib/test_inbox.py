import datetime as dt
import zipfile

from pipelines.lib.inbox import scan, snapshot_date_from_name
from tests.conftest import write_export


def test_zip_members_are_named_by_archive_and_dated_by_export_name(tmp_path):
    write_export(
        tmp_path, "Basic_LinkedInDataExport_01-15-2025", {"Connections.csv": b"x"}, as_zip=True
    )
    found = scan(tmp_path)
    assert [f.path for f in found.files] == [
        "Basic_LinkedInDataExport_01-15-2025.zip/Connections.csv"
    ]
    assert found.files[0].snapshot_date == dt.date(2025, 1, 15)
    assert found.files[0].read_bytes() == b"x"


def test_unpacked_folder_with_copy_suffix_keeps_its_snapshot_date(tmp_path):
    write_export(tmp_path, "Complete_LinkedInDataExport_11-30-2024 (1)", {"Profile.csv": b"y"})
    (found,) = scan(tmp_path).files
    assert found.container == "Complete_LinkedInDataExport_11-30-2024 (1)"
    assert found.snapshot_date == dt.date(2024, 11, 30)


def test_entry_escaping_the_archive_is_refused_and_nothing_is_written(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with zipfile.ZipFile(inbox / "evil.zip", "w") as zf:
        zf.writestr("../../escaped.csv", b"boom")
        zf.writestr("Connections.csv", b"ok")
    found = scan(inbox)
    assert [f.name for f in found.files] == ["Connections.csv"]
    assert len(found.problems) == 1
    assert "evil.zip" in found.problems[0].message and "outside" in found.problems[0].message
    assert not (tmp_path / "escaped.csv").exists()


def test_corrupt_zip_is_reported_by_name(tmp_path):
    (tmp_path / "export.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    found = scan(tmp_path)
    assert found.files == []
    assert found.problems[0].path == "export.zip"
    assert "not a readable zip" in found.problems[0].message


def test_entry_over_the_unpacked_size_limit_is_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "big.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("messages.csv", b"a" * 10_000)
        zf.writestr("Profile.csv", b"b" * 10)
    found = scan(tmp_path, max_unpacked_bytes=1_000)
    assert [f.name for f in found.files] == ["Profile.csv"]
    assert "messages.csv" in found.problems[0].message
    assert "max_unpacked_bytes" in found.problems[0].message


def test_hidden_and_system_files_are_ignored(tmp_path):
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (tmp_path / ".gitkeep").write_bytes(b"")
    (tmp_path / "notes.txt").write_bytes(b"hello")
    assert [f.path for f in scan(tmp_path).files] == ["notes.txt"]


def test_snapshot_date_needs_a_valid_date():
    assert snapshot_date_from_name("Basic_LinkedInDataExport_13-45-2025.zip") is None
    assert snapshot_date_from_name("random.zip") is None
