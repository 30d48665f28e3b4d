import datetime as dt

import pytest

from pipelines.lib.contacts import address_book
from pipelines.lib.csvfile import UnreadableFile
from pipelines.lib.inbox import SourceFile
from tests.conftest import fixture_bytes


def parse(name: str):
    data = fixture_bytes(f"contacts/{name}")
    return address_book.parse(data, SourceFile(name, len(data), "", None, None))


def by_name(parsed, name: str) -> dict:
    rows = parsed.rows.filter(parsed.rows["full_name"] == name)
    assert rows.height == 1, name
    return rows.row(0, named=True)


@pytest.mark.parametrize(
    ("name", "variant", "loaded"),
    [
        ("google_current_bom.csv", "google", 6),
        ("google_legacy.csv", "google (2022 and earlier)", 2),
        ("outlook_desktop_cp1252.csv", "outlook desktop", 3),
        ("outlook_desktop_utf16.csv", "outlook desktop (older, Business Country)", 2),
        ("outlook_com.csv", "outlook.com", 2),
        ("thunderbird.csv", "thunderbird", 2),
    ],
)
def test_each_layout_is_told_from_its_header(name, variant, loaded):
    parsed = parse(name)
    assert parsed.variant == variant
    assert parsed.rows.height == loaded
    assert parsed.rows_read == loaded + len(parsed.rejected)


def test_google_multi_values_labels_and_birthdays_with_and_without_year():
    parsed = parse("google_current_bom.csv")
    maren = by_name(parsed, "Maren Holtby")
    assert maren["emails"] == ["maren.holtby@fjordline.example", "maren@holtby.example"]
    assert maren["labels"] == ["myContacts", "Friends", "starred"]
    assert maren["birthday"] == dt.date(1986, 12, 9)
    assert (maren["company"], maren["title"]) == ("Fjordline Analytics", "Data Lead")
    tobias = by_name(parsed, "Tobias J. Quennell")
    # Three e-mail groups, one address repeated: distinct, lower-cased, in order.
    assert tobias["emails"] == ["tobias.quennell@mail.example", "tq@quennell-labs.example"]
    assert (tobias["birthday"], tobias["birthday_month"], tobias["birthday_day"]) == (None, 3, 17)
    # 1604 is Apple's "no year" marker, not a birth year.
    ilse = by_name(parsed, "Ilse Vandermeer")
    assert (ilse["birthday"], ilse["birthday_month"], ilse["birthday_day"]) == (None, 5, 2)
    assert ilse["emails"] == ["ilse@vandermeer.example"]
    assert [(v.column, v.value) for v in parsed.rejected_values if v.column == "emails"] == [
        ("emails", "not-an-address")
    ]
    assert by_name(parsed, "Zoë Achterberg-Núñez")["company"] == "Küstenwerk GmbH"


def test_unusable_and_malformed_rows_are_quarantined_without_phone_numbers():
    parsed = parse("google_current_bom.csv")
    reasons = {r.record_number: r.reason for r in parsed.rejected}
    assert reasons == {
        6: "expected 31 fields, found 6",
        8: "no name, email address or company: nothing Constellation can use",
    }
    stored = " ".join([r.raw for r in parsed.rejected] + parsed.raw)
    assert "+44" not in stored and "+47" not in stored and "Storgata" not in stored
    assert "private note" not in stored


def test_legacy_google_reads_group_membership_and_organization():
    rafael = by_name(parse("google_legacy.csv"), "Rafael Okonkwo-Lind")
    assert rafael["emails"] == ["rafael@lindworks.example", "rafa.ol@mail.example"]
    assert rafael["labels"] == ["myContacts", "Former colleagues"]
    assert (rafael["company"], rafael["title"]) == ("Lindworks", "Founder")
    priya = by_name(parse("google_legacy.csv"), "Priya Castellane")
    assert (priya["birthday_month"], priya["birthday_day"]) == (11, 30)


def test_outlook_cp1252_day_month_order_comes_from_the_file_and_exchange_paths_are_dropped():
    parsed = parse("outlook_desktop_cp1252.csv")
    assert any("Windows-1252" in n for n in parsed.notes)
    helene = by_name(parsed, "Hélène Dufresne-Œhler")
    assert helene["birthday"] == dt.date(1985, 6, 24)
    assert helene["labels"] == ["Clients", "Paris"]
    # 3/4/1990 is settled as 3 April by 24/6/1985 elsewhere in the file.
    bjorn = by_name(parsed, "Dr. Björn Åkesson")
    assert bjorn["birthday"] == dt.date(1990, 4, 3)
    assert bjorn["emails"] == ["bjorn@nordljus.example"]
    # Outlook writes 0/0/00 for "no birthday".
    assert by_name(parsed, "Ciarán Ó Briain")["birthday_month"] is None


def test_outlook_utf16_with_crlf_reads_month_first_dates():
    parsed = parse("outlook_desktop_utf16.csv")
    assert "encoding: UTF-16 (byte-order mark)" in parsed.notes
    assert by_name(parsed, "Yusuf Demirtaş")["birthday"] == dt.date(1988, 7, 15)
    assert by_name(parsed, "明 高橋")["birthday"] == dt.date(1991, 5, 6)


def test_an_ambiguous_birthday_is_left_empty_and_reported_not_guessed():
    parsed = parse("outlook_com.csv")
    assert by_name(parsed, "Owen Pritchard")["birthday_month"] is None
    [ambiguous] = parsed.rejected_values
    assert ambiguous.column == "birthday"
    assert "is ambiguous" in ambiguous.reason
    assert by_name(parsed, "Nadia Ferreira")["birthday"] == dt.date(1992, 8, 21)


def test_thunderbird_birthday_parts_and_display_name():
    parsed = parse("thunderbird.csv")
    linnea = by_name(parsed, "Linnea Sørby")
    assert linnea["birthday"] == dt.date(1975, 10, 2)
    assert linnea["emails"] == ["linnea@sorby.example", "linnea.sorby@mail.example"]
    gus = by_name(parsed, "Gus (bike club)")
    assert (gus["birthday"], gus["birthday_month"], gus["birthday_day"]) == (None, 4, 1)


def test_wrong_header_and_binary_files_are_unreadable_with_a_reason():
    with pytest.raises(UnreadableFile, match="unrecognised header 'Name;Phone;Street'"):
        parse("wrong_header_contacts.csv")
    with pytest.raises(UnreadableFile, match="binary"):
        address_book.parse(
            b"PK\x03\x04\x00\x00\x00" * 100, SourceFile("x.csv", 700, "", None, None)
        )
