"""The LinkedIn files beside connections, messages and invitations, through Dagster: two
overlapping exports load into raw tables with every row accounted for, and staging keeps one
copy of each endorsement and recommendation, taken from the newest export."""

from __future__ import annotations

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.defs.raw import linkedin as raw_linkedin
from pipelines.defs.resources import ConstellationResource
from pipelines.defs.staging import linkedin as staging_linkedin
from tests.conftest import fixture_bytes, write_export

TABLES = [
    "endorsements_received",
    "endorsements_given",
    "recommendations_received",
    "recommendations_given",
    "profile",
    "email_addresses",
    "positions",
    "events",
    "company_follows",
    "contacts",
]
ASSETS = [
    getattr(module, f"linkedin_{t}") for t in TABLES for module in (raw_linkedin, staging_linkedin)
]


def linkedin(name: str) -> bytes:
    return fixture_bytes(f"linkedin/{name}")


@pytest.fixture
def warehouse_after_two_exports(tmp_path):
    inbox = tmp_path / "inbox"
    # June: the legacy space-named UTF-16 endorsements file, as an unpacked folder.
    write_export(
        inbox,
        "Basic_LinkedInDataExport_06-20-2024",
        {
            "Endorsement Received Info.csv": linkedin("endorsement_received_legacy_utf16.csv"),
            "Endorsement_Given_Info.csv": linkedin("endorsements_given_2024_06.csv"),
            "Recommendations_Received.csv": linkedin("recommendations_received_2024_06.csv"),
            "Profile.csv": linkedin("profile_2018.csv"),
        },
    )
    # December: every current file, as a zip.
    write_export(
        inbox,
        "Complete_LinkedInDataExport_12-15-2024",
        {
            "Endorsement_Received_Info.csv": linkedin("endorsements_received_2024.csv"),
            "Endorsement_Given_Info.csv": linkedin("endorsements_given_2024.csv"),
            "Recommendations_Received.csv": linkedin("recommendations_received_2024.csv"),
            "Recommendations_Given.csv": linkedin("recommendations_given_2024.csv"),
            "Profile.csv": linkedin("profile_2020.csv"),
            "Email Addresses.csv": linkedin("email_addresses.csv"),
            "Positions.csv": linkedin("positions.csv"),
            "Events.csv": linkedin("events.csv"),
            "Company Follows.csv": linkedin("company_follows.csv"),
            "Contacts.csv": linkedin("contacts.csv"),
        },
        as_zip=True,
    )
    db = tmp_path / "w.duckdb"
    resource = ConstellationResource(inbox=str(inbox), db_path=str(db))
    result = dg.materialize(ASSETS, resources={"constellation": resource})
    assert result.success
    failed_checks = [
        (e.asset_key.to_user_string(), e.check_name)
        for e in result.get_asset_check_evaluations()
        if not e.passed
    ]
    assert failed_checks == [("raw/linkedin_email_addresses", "schema_valid")]  # not-an-address
    return db, resource


def test_overlapping_exports_give_each_endorsement_and_recommendation_once(
    warehouse_after_two_exports,
):
    db, _ = warehouse_after_two_exports
    with warehouse.connect(db) as con:

        def count(table: str) -> int:
            return warehouse.scalar(con, f"SELECT count(*) FROM {table}")

        # legacy 3 + current 4, one endorsement (Bjørn Ødegaard, Data Modeling) in both
        assert count("raw.linkedin_endorsements_received") == 7
        assert count("staging.linkedin_endorsements_received") == 6
        bjorn = warehouse.frame(
            con,
            """SELECT copies, endorser_slug, status, snapshot_date
               FROM staging.linkedin_endorsements_received
               WHERE endorser_full_name = 'Bjørn Ødegaard'""",
        ).row(0, named=True)
        assert bjorn["copies"] == 2
        assert bjorn["endorser_slug"] == "bjorn-odegaard"  # the newer export has the URL
        assert str(bjorn["snapshot_date"]) == "2024-12-15"

        assert count("raw.linkedin_endorsements_given") == 3
        assert count("staging.linkedin_endorsements_given") == 2

        assert count("raw.linkedin_recommendations_received") == 4
        recommendations = warehouse.frame(
            con,
            """SELECT full_name, status, copies FROM staging.linkedin_recommendations_received
               ORDER BY full_name""",
        )
        assert recommendations.rows() == [("Amara Okafor", "VISIBLE", 2), ("Kenji 山田", None, 2)]

        # The owner's profile as of the newest export only.
        assert warehouse.frame(con, "SELECT headline FROM staging.linkedin_profile").rows() == [
            ("Staff Data Engineer at Northwind",)
        ]
        assert count("raw.linkedin_profile") == 2


def test_every_file_adds_up_and_bad_rows_are_in_quarantine(warehouse_after_two_exports):
    db, _ = warehouse_after_two_exports
    with warehouse.connect(db) as con:
        loads = warehouse.frame(
            con,
            """SELECT path, kind, rows_read, rows_loaded, rows_quarantined, status
               FROM quality.file_loads ORDER BY path""",
        )
        quarantine = warehouse.frame(
            con, "SELECT path, record_number, reason FROM quality.quarantine ORDER BY path"
        )
    assert loads.height == 14
    assert set(loads["status"]) == {"loaded"}
    for row in loads.iter_rows(named=True):
        assert row["rows_read"] == row["rows_loaded"] + row["rows_quarantined"], row
    legacy = loads.filter(loads["path"].str.ends_with("Endorsement Received Info.csv")).row(
        0, named=True
    )
    assert legacy["kind"] == "linkedin_endorsements_received"
    assert (legacy["rows_read"], legacy["rows_loaded"]) == (3, 3)
    current = loads.filter(
        loads["path"] == "Complete_LinkedInDataExport_12-15-2024.zip/Endorsement_Received_Info.csv"
    ).row(0, named=True)
    assert (current["rows_read"], current["rows_loaded"], current["rows_quarantined"]) == (5, 4, 1)
    assert quarantine.height == int(loads["rows_quarantined"].sum()) == 6
    assert any("2024/13/40" in reason for reason in quarantine["reason"])
    # an unreadable optional date costs the date: the follow, the contact and the position load
    with warehouse.connect(db) as con:
        left_out = warehouse.frame(
            con,
            "SELECT kind, column_name, value FROM quality.rejected_values ORDER BY ALL",
        ).rows()
    assert left_out == [
        ("linkedin_company_follows", "followed_at", "Fri Feb 30 10:00:00 UTC 2024"),
        ("linkedin_contacts", "birthday", "31 Foo"),
        ("linkedin_positions", "started_on", "Smarch 2017"),
    ]


def test_loading_the_same_exports_again_changes_nothing(warehouse_after_two_exports):
    db, resource = warehouse_after_two_exports
    assert dg.materialize(ASSETS, resources={"constellation": resource}).success
    with warehouse.connect(db) as con:
        assert warehouse.scalar(con, "SELECT count(*) FROM raw.linkedin_endorsements_received") == 7
        assert warehouse.scalar(con, "SELECT count(*) FROM raw.linkedin_contacts") == 3
        statuses = warehouse.frame(
            con,
            """SELECT status, count(*) AS files FROM quality.file_loads
               GROUP BY status ORDER BY status""",
        ).rows()
    assert statuses == [("loaded", 14), ("unchanged", 14)]
