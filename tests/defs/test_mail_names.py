"""Names of people in a mailbox whose From/To hold bare addresses (an Enron maildir, as the
corpus has it), through the real assets: nobody is left without a name, and the page can say
which names are guesses."""

from __future__ import annotations

import shutil

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.defs.core.people import owner, resolve_people
from pipelines.defs.raw.mail import email_messages as raw_mail
from pipelines.defs.resources import ConstellationResource
from pipelines.defs.staging import mail as staging_mail
from tests.conftest import FIXTURES
from tests.defs.test_email_core import assets_of

OWNER = """[owner]
names = ["Phillip Allen"]
emails = ["phillip.allen@enron.com", "k..allen@enron.com"]
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("mail_names")
    shutil.copytree(FIXTURES / "enron", root / "inbox")
    (root / "constellation.toml").write_text(OWNER)
    resource = ConstellationResource(
        inbox=str(root / "inbox"),
        db_path=str(root / "w.duckdb"),
        config_path=str(root / "constellation.toml"),
    )
    assets = [raw_mail, *assets_of(staging_mail), owner, resolve_people]
    result = dg.materialize(assets, resources={"constellation": resource})
    assert result.success
    return root / "w.duckdb"


def people(db) -> dict[str, tuple[str, str]]:
    """primary email -> (display name, where the name came from), owner left out."""
    with warehouse.connect(db, read_only=True) as con:
        rows = warehouse.frame(
            con,
            "SELECT primary_email, display_name, name_source FROM core.people WHERE NOT is_owner",
        ).iter_rows()
        return {email: (name, source) for email, name, source in rows}


def test_bare_address_sender_with_an_x_from_is_called_by_name(db):
    assert people(db)["rick.buy@enron.com"] == ("Rick Buy", "x_header")


def test_recipients_take_their_x_to_and_x_cc_names(db):
    found = people(db)
    assert found["heather.dunton@enron.com"] == ("Heather Dunton", "x_header")
    assert found["mike.grigsby@enron.com"] == ("Mike Grigsby", "x_header")


def test_a_display_name_in_from_wins_and_is_not_a_guess(db):
    assert people(db)["tim.belden@enron.com"] == ("Belden, Tim", "display_name")


def test_nobody_is_nameless_the_address_stands_in(db):
    found = people(db)
    assert len(found) == 8
    assert all(name for name, _ in found.values())
    assert found["jsmith@austintx.com"] == ("jsmith@austintx.com", "address")
    # X-To named two people for three addresses: none is paired with a name
    for address in ("keith.holst@enron.com", "matthew.lenhart@enron.com", "frank.ermis@enron.com"):
        assert found[address] == (address, "address")
    with warehouse.connect(db, read_only=True) as con:
        assert (
            warehouse.scalar(con, "SELECT count(*) FROM core.people WHERE display_name IS NULL")
            == 0
        )
