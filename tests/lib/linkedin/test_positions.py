import datetime as dt

from pipelines.lib.linkedin import positions
from tests.lib.linkedin.parsing import parse_fixture


def test_months_become_dates_and_an_empty_end_means_current():
    rows = parse_fixture(positions.parse, "positions.csv").rows
    current = rows.row(0, named=True)
    assert current["company_name"] == "Northwind Analytics"
    assert current["started_on"] == dt.date(2023, 1, 1)
    assert current["finished_on"] is None
    assert current["is_current"] is True
    past = rows.row(1, named=True)
    assert past["company_name"] == "Contoso, Ltd."
    assert past["description"] == 'Built the first "lakehouse".\nTwo teams adopted it.'
    assert (past["started_on"], past["finished_on"]) == (dt.date(2018, 6, 1), dt.date(2022, 12, 1))
    assert past["is_current"] is False


def test_unknown_month_costs_the_month_not_the_position():
    parsed = parse_fixture(positions.parse, "positions.csv")
    assert parsed.rejected == []
    third = parsed.rows.filter(parsed.rows["record_number"] == 3).row(0, named=True)
    assert third["started_on"] is None
    assert [(v.record_number, v.column, v.value, v.reason) for v in parsed.rejected_values] == [
        (3, "started_on", "Smarch 2017", "Started On 'Smarch 2017' is not a date in a known format")
    ]


def test_excel_resaved_file_reports_cp1252_and_reads_short_months():
    parsed = parse_fixture(positions.parse, "positions_excel_cp1252.csv")
    row = parsed.rows.row(0, named=True)
    assert (row["company_name"], row["title"], row["location"]) == (
        "Café Québec",
        "Analyst – Data",
        "Montréal",
    )
    assert (row["started_on"], row["finished_on"]) == (dt.date(2018, 6, 1), dt.date(2022, 12, 1))
    assert any("Windows-1252" in note for note in parsed.notes)
    cafe = parsed.rows.row(1, named=True)  # Excel wrote whole dates: `1-Sep-15`, `18-Jun-17`
    assert (cafe["started_on"], cafe["finished_on"]) == (dt.date(2015, 9, 1), dt.date(2017, 6, 1))
