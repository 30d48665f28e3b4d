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


def test_phone_numbers_and_postal_addresses_are_stored_nowhere_not_even_in_quarantine():
    parsed = parse_fixture(contacts.parse, "contacts.csv")
    stored = " ".join(str(v) for row in parsed.rows.iter_rows() for v in row)
    stored += " ".join(parsed.raw) + " ".join(r.raw for r in parsed.rejected)
    for secret in ("+46 70 123 45 67", "+1 555 0100", "+1 555 0199", "Storgatan"):
        assert secret not in stored
    assert not {"phone_numbers", "addresses"} & set(parsed.rows.columns)


def test_contacts_with_nothing_usable_or_broken_rows_are_quarantined_and_counted():
    parsed = parse_fixture(contacts.parse, "contacts.csv")
    assert [(r.record_number, r.reason) for r in parsed.rejected] == [
        (3, "no name, email address or profile: nothing Constellation can use"),
        (5, "expected 16 fields, found 4"),
    ]
    assert parsed.rejected[1].raw == contacts.NOT_STORED
    assert parsed.rows_read == 5


def test_unreadable_birthday_keeps_the_contact_and_is_reported():
    parsed = parse_fixture(contacts.parse, "contacts.csv")
    tomas = parsed.rows.filter(parsed.rows["first_name"] == "Tomás").row(0, named=True)
    assert tomas["emails"] == ["tomas@example.es"]
    assert tomas["birthday_month"] is None
    assert [(v.column, v.value, v.reason) for v in parsed.rejected_values] == [
        ("birthday", "31 Foo", "Birthday '31 Foo' is not a date in a known format")
    ]
