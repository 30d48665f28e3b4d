"""core.owner and core.people built by the real assets from LinkedIn fixtures."""

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.defs.core.people import owner, resolve_people
from pipelines.defs.raw import linkedin as raw_linkedin
from pipelines.defs.resources import ConstellationResource
from pipelines.defs.staging import linkedin as staging_linkedin
from tests.conftest import fixture_bytes, write_export

ASSETS = [
    raw_linkedin.linkedin_connections,
    raw_linkedin.linkedin_messages,
    raw_linkedin.linkedin_invitations,
    staging_linkedin.linkedin_connections,
    staging_linkedin.linkedin_messages,
    staging_linkedin.linkedin_invitations,
    owner,
    resolve_people,
]


@pytest.fixture
def warehouse_path(tmp_path):
    write_export(
        tmp_path / "inbox",
        "Basic_LinkedInDataExport_01-15-2025",
        {
            "Connections.csv": fixture_bytes("linkedin/connections_2024.csv"),
            "messages.csv": fixture_bytes("linkedin/messages_2024_12.csv"),
            "Invitations.csv": fixture_bytes("linkedin/invitations_2025.csv"),
        },
    )
    return tmp_path / "w.duckdb"


def build(tmp_path, warehouse_path, config_text: str = ""):
    config = tmp_path / "constellation.toml"
    config.write_text(config_text)
    resource = ConstellationResource(
        inbox=str(tmp_path / "inbox"), db_path=str(warehouse_path), config_path=str(config)
    )
    result = dg.materialize(ASSETS, resources={"constellation": resource})
    assert result.success
    return result


def test_people_appear_once_across_connections_messages_and_invitations(tmp_path, warehouse_path):
    build(tmp_path, warehouse_path)
    with warehouse.connect(warehouse_path, read_only=True) as con:
        kenji = warehouse.frame(
            con, "SELECT * FROM core.people WHERE linkedin_slug = '山田-kenji'"
        ).row(0, named=True)
        per_slug = warehouse.scalar(
            con,
            "SELECT max(n) FROM (SELECT count(DISTINCT person_id) AS n "
            "FROM core.person_identifiers WHERE kind = 'linkedin_slug' GROUP BY value)",
        )
    assert kenji["sources"] == ["linkedin_connections", "linkedin_invitations"]
    assert kenji["display_name"] == "Kenji 山田 🚀"
    assert per_slug == 1


def test_hidden_profiles_are_not_people(tmp_path, warehouse_path):
    build(tmp_path, warehouse_path)
    with warehouse.connect(warehouse_path, read_only=True) as con:
        nameless = warehouse.scalar(
            con, "SELECT count(*) FROM core.people WHERE display_name IS NULL"
        )
    assert nameless == 0


def test_owner_from_configuration_is_marked_and_reported(tmp_path, warehouse_path):
    build(
        tmp_path,
        warehouse_path,
        '[owner]\nnames = ["Priya Raman"]\n'
        'linkedin_url = "https://www.linkedin.com/in/priya-raman-0a1b"\n',
    )
    with warehouse.connect(warehouse_path, read_only=True) as con:
        owners = warehouse.frame(con, "SELECT display_name FROM core.people WHERE is_owner")
        detected = warehouse.frame(con, "SELECT kind, source FROM core.owner ORDER BY kind")
    assert owners["display_name"].to_list() == ["Priya Raman"]
    assert detected.rows() == [("linkedin_slug", "configuration"), ("name", "configuration")]


def test_owner_profile_url_is_detected_from_sent_messages(tmp_path, warehouse_path):
    build(tmp_path, warehouse_path, '[owner]\nnames = ["Priya Raman"]\n')
    with warehouse.connect(warehouse_path, read_only=True) as con:
        slug = warehouse.frame(
            con, "SELECT value, source FROM core.owner WHERE kind = 'linkedin_slug'"
        )
    assert slug.rows() == [("priya-raman-0a1b", "messages.csv")]


def test_configured_merge_joins_two_profiles_of_one_person(tmp_path, warehouse_path):
    build(
        tmp_path,
        warehouse_path,
        '[people]\nmerge = [["linkedin:amara-okafor", "linkedin:amara-okafor-4b1a2c"]]\n',
    )
    with warehouse.connect(warehouse_path, read_only=True) as con:
        amaras = warehouse.scalar(
            con, "SELECT count(*) FROM core.people WHERE display_name = 'Amara Okafor'"
        )
    assert amaras == 1
