"""The contact, interaction-log and calendar assets through dagster.materialize: every row of
every file accounted for, broken files failed by name, and an unchanged reload a no-op."""

from __future__ import annotations

import dagster as dg
import polars as pl

from pipelines import warehouse
from pipelines.defs.raw.calendar import calendar
from pipelines.defs.raw.contacts import contacts, interaction_log_table
from pipelines.defs.resources import ConstellationResource
from tests.conftest import fixture_bytes

FILES = {
    "Google/google.ics": "calendar/google.ics",
    "Google/contacts.csv": "contacts/google_current_bom.csv",
    "outlook.ics": "calendar/outlook.ics",
    "thunderbird.ics": "calendar/thunderbird.ics",
    "truncated.ics": "calendar/truncated.ics",
    "outlook_contacts.csv": "contacts/outlook_desktop_utf16.csv",
    "interaction_log.csv": "contacts/interaction_log_dmy.csv",
    "contacts_old.csv": "contacts/wrong_header_contacts.csv",
}


def _materialize(inbox, db, as_of="2025-06-30"):
    resource = ConstellationResource(inbox=str(inbox), db_path=str(db), as_of=as_of)
    result = dg.materialize(
        [calendar, contacts, interaction_log_table], resources={"constellation": resource}
    )
    assert result.success
    return result


def _ledger(db, run_id):
    with warehouse.connect(db) as con:
        return warehouse.frame(
            con,
            "SELECT path, target_table, status, rows_read, rows_loaded, rows_quarantined, message"
            " FROM quality.file_loads WHERE load_id = ? ORDER BY path, target_table",
            [run_id],
        )


def test_every_row_is_accounted_for_broken_files_fail_by_name_and_reload_is_idempotent(tmp_path):
    inbox = tmp_path / "inbox"
    for target, fixture in FILES.items():
        (inbox / target).parent.mkdir(parents=True, exist_ok=True)
        (inbox / target).write_bytes(fixture_bytes(fixture))
    (inbox / "binary.ics").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    db = tmp_path / "w.duckdb"

    first = _materialize(inbox, db)
    ledger = _ledger(db, first.run_id)
    failed = ledger.filter(ledger["status"] == "failed")
    assert sorted(set(failed["path"])) == ["binary.ics", "contacts_old.csv", "truncated.ics"]
    assert all(m.startswith(p) for p, m in zip(failed["path"], failed["message"], strict=True))
    assert "truncated" in failed.filter(failed["path"] == "truncated.ics")["message"][0]
    # a calendar of binary bytes is named as what it should have been, not as a CSV file
    assert set(failed.filter(failed["path"] == "binary.ics")["message"]) == {
        "binary.ics: contains NUL bytes: this is a binary file, not iCalendar text"
    }
    assert (
        "unrecognised header" in failed.filter(failed["path"] == "contacts_old.csv")["message"][0]
    )
    loaded = ledger.filter(ledger["status"] == "loaded")
    assert (loaded["rows_read"] == loaded["rows_loaded"] + loaded["rows_quarantined"]).all()
    for check in first.get_asset_check_evaluations():
        assert check.passed, check

    with warehouse.connect(db) as con:
        counts = {
            t: warehouse.scalar(con, f"SELECT count(*) FROM raw.{t}")
            for t in ("calendar_events", "calendar_attendees", "contacts", "interaction_log")
        }
        orphans = warehouse.scalar(
            con,
            "SELECT count(*) FROM raw.calendar_attendees a ANTI JOIN raw.calendar_events e "
            "USING (event_key)",
        )
    # google 5 + outlook 3 + thunderbird 2 occurrences; 10 + 4 + 19 attendees
    assert counts == {
        "calendar_events": 10,
        "calendar_attendees": 33,
        "contacts": 6 + 2,
        "interaction_log": 5,  # the "dance" line loads without its channel word
    }
    assert orphans == 0

    second = _materialize(inbox, db)
    again = _ledger(db, second.run_id)
    assert set(again.filter(again["status"] != "failed")["status"]) == {"unchanged"}
    with warehouse.connect(db) as con:
        assert warehouse.scalar(con, "SELECT count(*) FROM raw.calendar_events") == 10
        assert warehouse.scalar(con, "SELECT count(*) FROM raw.contacts") == 8

    # A later as-of date moves the window: calendars are expanded again, CSVs stay unchanged.
    third = _materialize(inbox, db, as_of="2028-04-01")
    later = _ledger(db, third.run_id).filter(pl.col("status") != "failed")
    statuses = dict(zip(later["path"] + " " + later["target_table"], later["status"], strict=True))
    assert statuses["outlook.ics raw.calendar_events"] == "loaded"
    assert statuses["outlook.ics raw.calendar_attendees"] == "loaded"
    assert statuses["interaction_log.csv raw.interaction_log"] == "unchanged"
    with warehouse.connect(db) as con:
        # Window from 2025-04-01: the offsite, the last monthly review and the two June events.
        assert warehouse.scalar(con, "SELECT count(*) FROM raw.calendar_events") == 4


def test_column_mapping_from_the_configuration_and_no_phone_numbers_in_the_warehouse(
    tmp_path, monkeypatch
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "coffees.csv").write_bytes(fixture_bytes("contacts/my_log_mixed.csv"))
    (inbox / "contacts.csv").write_bytes(fixture_bytes("contacts/google_current_bom.csv"))
    config = tmp_path / "constellation.toml"
    config.write_text(
        '[interaction_log.columns]\ndate = "When"\nperson = "Who"\nchannel = "How"\n'
        'note = "Notes"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CONSTELLATION_CONFIG", str(config))  # as the CLI exports --config
    db = tmp_path / "w.duckdb"
    result = _materialize(inbox, db)
    ledger = _ledger(db, result.run_id)
    log = ledger.filter(ledger["path"] == "coffees.csv").row(0, named=True)
    assert (log["status"], log["rows_read"], log["rows_loaded"], log["rows_quarantined"]) == (
        "loaded",
        4,
        3,
        1,
    )
    with warehouse.connect(db) as con:
        reason = warehouse.scalar(
            con, "SELECT reason FROM quality.quarantine WHERE path = 'coffees.csv'"
        )
        stored = warehouse.scalar(
            con,
            "SELECT string_agg(raw_text, ' ') FROM quality.quarantine WHERE path = 'contacts.csv'",
        )
    assert "'03/04/2025' is ambiguous" in reason
    assert "+44" not in stored and "Mobile" not in stored


def test_an_attendee_without_a_usable_address_loads_and_the_address_is_kept_aside(tmp_path):
    # Outlook writes `invalid:nomail` for an attendee it has no address for.
    original = fixture_bytes("calendar/outlook.ics")
    good = 'ATTENDEE;CN="Björn Åkesson";PARTSTAT=ACCEPTED:mailto:bjorn@nordljus.examp\r\n le\r\n'
    bad = 'ATTENDEE;CN="Björn Åkesson";PARTSTAT=ACCEPTED:invalid:nomail\r\n'
    assert good.encode() in original
    data = original.replace(good.encode(), bad.encode(), 1)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "outlook.ics").write_bytes(data)
    lines = data.decode().split("\r\n")
    uid = lines.index("UID:monthly-review-nordljus")
    begin = max(i for i in range(uid) if lines[i] == "BEGIN:VEVENT") + 1
    db = tmp_path / "w.duckdb"

    _materialize(inbox, db)
    _materialize(inbox, db)  # a rerun keeps them, never twice
    with warehouse.connect(db) as con:
        bjorn = warehouse.frame(
            con,
            "SELECT email, record_number FROM raw.calendar_attendees "
            "WHERE event_uid = 'monthly-review-nordljus' AND name = 'Björn Åkesson' "
            "ORDER BY record_number",
        )
        values = warehouse.frame(
            con,
            "SELECT target_table, record_number, line_number, column_name, value, reason "
            "FROM quality.rejected_values ORDER BY record_number",
        )
        quarantined = warehouse.scalar(con, "SELECT count(*) FROM quality.quarantine")
    # the monthly series: both occurrences of the changed VEVENT keep Björn without an address
    # (the March one is cancelled)
    assert bjorn.height == 2
    assert bjorn["email"].to_list() == [None, None]
    assert quarantined == 0
    assert values["target_table"].to_list() == ["raw.calendar_attendees"] * 2
    assert values["record_number"].to_list() == bjorn["record_number"].to_list()
    assert values["line_number"].to_list() == [begin] * 2
    assert set(values["column_name"]) == {"email"}
    assert set(values["value"]) == {"invalid:nomail"}
    assert "is not an e-mail address" in values["reason"][0]
