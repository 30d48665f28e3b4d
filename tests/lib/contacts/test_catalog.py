import io

import pytest

from pipelines.lib import catalog
from pipelines.lib.inbox import SourceFile
from tests.conftest import fixture_bytes


def source(path: str, data: bytes, container: str = "") -> SourceFile:
    return SourceFile(path, len(data), container, None, lambda: io.BytesIO(data))


@pytest.mark.parametrize(
    ("path", "fixture", "kind"),
    [
        ("export.csv", "contacts/google_current_bom.csv", "contacts"),
        ("Kontakte.CSV", "contacts/outlook_desktop_utf16.csv", "contacts"),
        ("addressbook.csv", "contacts/thunderbird.csv", "contacts"),
        ("log 2025.csv", "contacts/interaction_log_dmy.csv", "interaction_log"),
        ("contacts.csv", "contacts/wrong_header_contacts.csv", "contacts"),
        ("My Interactions.csv", "contacts/my_log_mixed.csv", "interaction_log"),
        ("random.csv", "contacts/my_log_mixed.csv", None),
        ("Calendar/work.ICS", "calendar/outlook.ics", "calendar_events"),
    ],
)
def test_kind_from_header_then_name(path, fixture, kind):
    assert catalog.kind_of(source(path, fixture_bytes(fixture))) == kind


def test_linkedin_contacts_file_stays_linkedin():
    data = b"Source,FirstName,LastName,Companies,Title,Emails,PhoneNumbers,CreatedAt,Addresses,Sites,InstantMessageHandles\n"
    assert catalog.kind_of(source("Contacts.csv", data)) == "linkedin_contacts"
