import datetime as dt

from pipelines.lib.linkedin import email_addresses
from pipelines.lib.loading import validate
from pipelines.schemas.linkedin_email_addresses import LinkedinEmailAddressesSchema
from tests.lib.linkedin.parsing import parse_fixture


def test_addresses_flags_and_update_times_from_a_crlf_file():
    rows = parse_fixture(email_addresses.parse, "email_addresses.csv").rows
    primary = rows.filter(rows["is_primary"]).row(0, named=True)
    assert primary["email"] == "maya.lindqvist@example.com"  # lower-cased
    assert rows["is_confirmed"].to_list() == [True, True, False, True]
    assert rows["updated_at"].to_list()[:2] == [
        None,  # `Not Available`
        dt.datetime(2021, 3, 12, 17, 28, tzinfo=dt.UTC),
    ]


def test_a_value_that_is_no_address_is_quarantined_by_the_schema():
    parsed = parse_fixture(email_addresses.parse, "email_addresses.csv")
    valid, rejected, _ = validate(parsed, LinkedinEmailAddressesSchema)
    assert valid.height == 3
    assert [r.record_number for r in rejected] == [4]
    assert "email" in rejected[0].reason
    assert rejected[0].raw == "not-an-address,Yes,No,Not Available"
