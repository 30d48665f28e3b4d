"""Freshness: how old each source's newest data is, the warning when it is too old, and the
`quality.source_freshness` table the dashboard reads."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest

from pipelines import warehouse
from pipelines.definitions import REFRESH_JOB, defs
from pipelines.lib import freshness
from pipelines.settings import ENV_AS_OF, ENV_CONFIG, ENV_DB, ENV_INBOX, ConfigError
from tests.conftest import fixture_bytes, write_export

LINKEDIN = freshness.SOURCES["raw.linkedin_connections"]
MAIL = freshness.SOURCES["raw.email_messages"]


def test_an_old_export_is_named_with_its_age_and_fails():
    found = freshness.judge(LINKEDIN, dt.date(2025, 1, 15), dt.date(2025, 4, 20), 45)
    assert not found.fresh
    assert found.age_days == 95
    assert found.message == (
        "your LinkedIn export is 95 days (about 3 months) old "
        "(newest data 2025-01-15, older than the 45-day limit)"
    )


def test_a_recent_export_passes_and_the_limit_itself_is_still_fresh():
    assert freshness.judge(LINKEDIN, dt.date(2025, 1, 15), dt.date(2025, 1, 16), 45).message == (
        "your LinkedIn export is 1 day old (newest data 2025-01-15, within the 45-day limit)"
    )
    assert freshness.judge(LINKEDIN, dt.date(2025, 1, 15), dt.date(2025, 3, 1), 45).fresh
    assert not freshness.judge(LINKEDIN, dt.date(2025, 1, 15), dt.date(2025, 3, 2), 45).fresh


def test_no_data_is_nothing_to_warn_about_but_says_what_to_add_and_what_it_shows():
    found = freshness.judge(MAIL, None, dt.date(2025, 1, 1), 45)
    assert found.fresh and found.age_days is None
    assert "raw." not in found.message  # the user's words, not a table name
    assert found.message.startswith("no mail yet: put your mailbox in the inbox")
    assert "waiting for your answer" in found.message


def test_max_age_comes_from_the_configuration_and_must_be_whole_days():
    assert freshness.max_age_days({}) == freshness.DEFAULT_MAX_AGE_DAYS
    assert freshness.max_age_days({"max_age_days": 90}) == 90
    for bad in (-1, "soon", 1.5, True):
        with pytest.raises(ConfigError, match=r"\[freshness\] max_age_days"):
            freshness.max_age_days({"max_age_days": bad})


def test_newest_date_ignores_data_after_the_as_of_date_and_missing_tables(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        assert freshness.source_freshness(con, MAIL, dt.date(2025, 1, 1), 45).newest is None
        warehouse.run(con, "CREATE TABLE raw.email_messages (date_utc TIMESTAMPTZ)")
        warehouse.run(
            con,
            "INSERT INTO raw.email_messages VALUES "
            "('2024-11-01 10:00+00'), ('2024-12-02 23:00+00'), ('2025-03-01 08:00+00')",
        )
        found = freshness.source_freshness(con, MAIL, dt.date(2025, 1, 1), 20)
        assert (found.newest, found.age_days, found.fresh) == (dt.date(2024, 12, 2), 30, False)
        table = freshness.freshness_table(con, dt.date(2025, 1, 1), 20)
    assert table.columns == [
        "source",
        "table",
        "newest",
        "age_days",
        "max_age_days",
        "fresh",
        "message",
        "as_of",
    ]
    assert table["table"].to_list() == ["raw.linkedin_connections", "raw.email_messages"]
    assert table["fresh"].to_list() == [True, False]


@pytest.fixture
def linkedin_inbox(tmp_path, monkeypatch):
    root = tmp_path / "inbox"
    write_export(
        root,
        "Basic_LinkedInDataExport_01-15-2025",
        {"Connections.csv": fixture_bytes("linkedin/connections_2024.csv")},
    )
    monkeypatch.setenv(ENV_INBOX, str(root))
    monkeypatch.setenv(ENV_DB, str(tmp_path / "w.duckdb"))
    config = tmp_path / "constellation.toml"
    config.write_text("[freshness]\nmax_age_days = 60\n")
    monkeypatch.setenv(ENV_CONFIG, str(config))
    return tmp_path


def run_freshness(as_of: str, monkeypatch) -> dg.ExecuteInProcessResult:
    monkeypatch.setenv(ENV_AS_OF, as_of)
    job = defs.resolve_job_def(REFRESH_JOB)
    with dg.DagsterInstance.ephemeral() as instance:
        return job.execute_in_process(
            instance=instance,
            asset_selection=[
                dg.AssetKey(["raw", "linkedin_connections"]),
                dg.AssetKey(["raw", "email_messages"]),
                dg.AssetKey(["raw", "email_recipients"]),
                dg.AssetKey(["quality", "source_freshness"]),
            ],
        )


def check(result: dg.ExecuteInProcessResult, table: str) -> dg.AssetCheckEvaluation:
    (found,) = [
        e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "data_is_fresh" and e.asset_key == dg.AssetKey(table.split("."))
    ]
    return found


def test_the_check_warns_about_an_old_export_and_the_table_says_the_same(
    linkedin_inbox, monkeypatch
):
    result = run_freshness("2025-04-20", monkeypatch)
    assert result.success  # a warning, not a failure: the data is still usable
    stale = check(result, "raw.linkedin_connections")
    assert not stale.passed
    assert stale.severity == dg.AssetCheckSeverity.WARN
    assert stale.description.startswith("your LinkedIn export is 95 days (about 3 months) old")
    assert "older than the 60-day limit" in stale.description
    assert check(result, "raw.email_messages").passed  # no mail at all: nothing to warn about
    with warehouse.connect(linkedin_inbox / "w.duckdb", read_only=True) as con:
        rows = warehouse.frame(
            con, "SELECT source, age_days, fresh, message FROM quality.source_freshness"
        )
    assert rows.row(0) == ("your LinkedIn export", 95, False, stale.description)


def test_the_check_passes_on_a_recent_export(linkedin_inbox, monkeypatch):
    result = run_freshness("2025-02-01", monkeypatch)
    fresh = check(result, "raw.linkedin_connections")
    assert fresh.passed
    assert fresh.description.startswith("your LinkedIn export is 17 days old")
