import datetime as dt

from pipelines.lib.linkedin import contacts
from tests.lib.linkedin.parsing import parse_fixture


def test_address_book_keeps_emails_companies_birthdays_and_profiles():
    rows = parse_fixture(contacts.parse, "contacts.csv").rows
    amara = rows.row(0, named=True)
    assert amara["full_name"] == "Amara Okafor"
    assert amara["emails"] == ["amara@example.com", "amara.okafor@northwind.example"]
    assert amara["companies"] == "Northwind Analytics, Inc."
    assert (amara["birthday"], amara["birthday_month"], amara["birthday_day"]) == (None, 6, 18)
    assert amara["profile_slugs"] == ["amara-okafor-3f2a1b"]
    olena = rows.row(1, named=True)
    assert olena["full_name"] == "Олена Коваль"
    assert olena["birthday"] == dt.date(1988, 4, 2)


def test_phone_numbers_and_postal_addresses_are_not_stored():
    rows = parse_fixture(contacts.parse, "contacts.csv").rows
    values = " ".join(str(v) for row in rows.iter_rows() for v in row)
    assert "+46 70 123 45 67" not in values
    assert "Storgatan" not in values
    assert not {"phone_numbers", "addresses"} & set(rows.columns)


def test_unreadable_birthday_is_quarantined_and_every_row_is_counted():
    parsed = parse_fixture(contacts.parse, "contacts.csv")
    assert [(r.record_number, r.reason) for r in parsed.rejected] == [
        (4, "Birthday '31 Foo' is not a date in a known format")
    ]
    assert parsed.rows_read == 4
