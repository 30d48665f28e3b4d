"""Every dashboard page rendered by Streamlit's AppTest against a snapshot the real pipeline built
from a tiny inbox (tests/dashboard/conftest.py), and with no snapshot at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
PAGES = ["pages/overview.py", "pages/data_quality.py", "pages/sql.py"]


def open_page(page: str, query_params: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.switch_page(page)  # opened directly, as from a bookmark, so the URL's filters apply
    for name, value in (query_params or {}).items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def texts(app: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "markdown", "caption") for e in app.get(kind)]
    parts += [e.value for kind in ("info", "success", "warning", "error") for e in app.get(kind)]
    return "\n".join(str(p) for p in parts)


def frame_with(app: AppTest, column: str):
    frames = [d.value for d in app.dataframe if column in d.value.columns]
    assert frames, f"no table with a {column!r} column"
    return frames[0]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_explains_how_to_start_when_there_is_no_data(empty_env: Path, page: str) -> None:
    app = open_page(page)
    shown = texts(app)
    assert "No data yet" in shown
    assert "make run" in shown and str(empty_env) in shown
    assert not app.metric and not app.dataframe


def test_overview_shows_headline_counts(dashboard_env) -> None:
    app = open_page("pages/overview.py")
    metrics = {m.label: m.value for m in app.metric}
    # 2024 export: 6 rows loaded, one of them empty (no name, URL or email: not a person);
    # the 2022 export holds two of the same people again, counted once.
    assert metrics == {
        "Connections": "5",
        "Messages": "0",
        "Files loaded": "2",
        "Rows set aside": "3",
    }
    assert "will appear here" in texts(app)
    charts = app.get("vega_lite_chart")
    assert charts, "the connections-per-year chart is missing"


def test_data_quality_reports_files_quarantine_skips_and_freshness(dashboard_env) -> None:
    app = open_page("pages/data_quality.py")
    loads = frame_with(app, "rows_quarantined")
    assert sorted(loads["path"]) == [
        "Basic_LinkedInDataExport_01-10-2022/Connections.csv",
        "Basic_LinkedInDataExport_03-15-2024/Connections.csv",
    ]
    assert set(loads["status"]) == {"loaded"}
    quarantine = frame_with(app, "reason")
    assert quarantine.shape[0] == 3
    assert any("31 Foo 2022" in reason for reason in quarantine["reason"])
    assert (quarantine["line_number"] > 0).all()
    skipped = frame_with(app, "size_bytes")
    assert skipped["path"].tolist() == ["holiday-notes.txt"]
    fresh = frame_with(app, "newest_snapshot_date")
    row = fresh[fresh["kind"] == "linkedin_connections"].iloc[0]
    assert str(row["newest_snapshot_date"])[:10] == "2024-03-15"
    assert row["files"] == 2
    assert "Last load ran" in texts(app)


def test_quarantine_filter_comes_from_the_url(dashboard_env) -> None:
    other = "Basic_LinkedInDataExport_01-10-2022/Connections.csv"
    app = open_page("pages/data_quality.py", {"file": other})
    assert app.multiselect(key="quarantine_file").value == [other]
    assert "Showing **1** of 3 rows set aside" in texts(app)
    assert frame_with(app, "reason")["path"].tolist() == [other]


def test_quarantine_filter_is_written_to_the_url(dashboard_env) -> None:
    app = open_page("pages/data_quality.py")
    assert "Showing **3** of 3 rows set aside" in texts(app)
    app.multiselect(key="quarantine_kind").select("linkedin_connections").run()
    assert app.query_params["kind"] == "linkedin_connections"
    app.multiselect(key="quarantine_kind").unselect("linkedin_connections").run()
    assert "kind" not in app.query_params


def test_sql_page_lists_tables_and_runs_a_query(dashboard_env) -> None:
    app = open_page("pages/sql.py")
    listing = frame_with(app, "rows")
    row = listing[listing["table"] == "linkedin_connections"].iloc[0]
    assert (row["schema"], row["rows"]) == ("raw", 9)
    app.text_area(key="sql_text").set_value(
        "SELECT count(*) AS people FROM raw.linkedin_connections WHERE company IS NOT NULL"
    )
    app.button(key="sql_run").click().run()
    assert not app.exception and not app.error
    assert frame_with(app, "people")["people"].tolist() == [6]


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "files, other databases and extensions"),
        ("DROP TABLE raw.linkedin_connections", "only reads data"),
    ],
)
def test_sql_page_refuses_with_a_friendly_message(dashboard_env, sql: str, says: str) -> None:
    app = open_page("pages/sql.py")
    app.text_area(key="sql_text").set_value(sql)
    app.button(key="sql_run").click().run()
    assert not app.exception
    assert [e.value for e in app.error if says in e.value]
    assert not [d for d in app.dataframe if "root" in str(d.value)]
