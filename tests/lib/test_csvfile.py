import codecs

import pytest

from pipelines.lib.csvfile import UnreadableFile, Variant, read_csv

HEADER = ("Endorsement Date", "Skill Name", "Endorser First Name", "Endorser Last Name")
VARIANTS = [Variant("current", HEADER)]


def test_preamble_is_skipped_and_records_are_numbered_from_the_header():
    data = (
        b'Notes:\n"Some text"\n\n' + b",".join(s.encode() for s in HEADER) + b"\na,b,c,d\ne,f,g,h"
    )
    table = read_csv(data, VARIANTS)
    assert [r.record_number for r in table.records] == [1, 2]
    assert [r.line_number for r in table.records] == [5, 6]
    assert table.records[1].fields == ("e", "f", "g", "h")


def test_quoted_line_breaks_stay_in_one_record_and_raw_text_is_kept():
    data = b'Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name\r\n"x","multi\r\nline","y","z"\r\nq,r,s,t\r\n'
    table = read_csv(data, VARIANTS)
    assert table.records[0].fields[1] == "multi\r\nline"
    assert table.records[0].raw == '"x","multi\r\nline","y","z"'
    assert table.records[1].line_number == 4


def test_wrong_field_count_is_rejected_with_line_and_reason():
    data = (
        b"Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name\na,b,c,d\nonly,two\n"
    )
    table = read_csv(data, VARIANTS)
    assert len(table.records) == 1
    (bad,) = table.rejected
    assert (bad.record_number, bad.line_number, bad.raw) == (2, 3, "only,two")
    assert bad.reason == "expected 4 fields, found 2"
    assert table.rows_read == 2


def test_utf16_tab_separated_legacy_file_is_read_and_the_assumptions_reported():
    text = '"Endorsement Date"\t"Skill Name"\t"Endorser First Name"\t"Endorser Last Name"\r\n"2018/01/02 10:00:00 UTC"\t"Python"\t"Zoë"\t"Ng"\r\n'
    table = read_csv(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), VARIANTS)
    assert table.records[0].fields == ("2018/01/02 10:00:00 UTC", "Python", "Zoë", "Ng")
    assert any("UTF-16" in note for note in table.notes)
    assert any("TAB" in note for note in table.notes)


def test_windows_1252_is_read_and_reported_not_guessed_silently():
    data = "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name\nx,Caf\u00e9,Ren\u00e9e,M\u00fcller\n".encode(
        "cp1252"
    )
    table = read_csv(data, VARIANTS)
    assert table.records[0].fields[2] == "Renée"
    assert any("Windows-1252" in note for note in table.notes)


def test_unknown_header_names_what_was_found_and_what_is_expected():
    with pytest.raises(UnreadableFile) as err:
        read_csv(b"Name,Phone\nx,y\n", VARIANTS)
    assert "Name,Phone" in str(err.value) and "Endorsement Date" in str(err.value)


def test_binary_content_is_refused():
    with pytest.raises(UnreadableFile, match="binary"):
        read_csv(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", VARIANTS)
