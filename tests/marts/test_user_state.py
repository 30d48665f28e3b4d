"""User state through the whole refresh job on a small inbox, as of Friday 2024-12-20: per-person
cadence and tags set in the dashboard, "forget this person", and done actions that count as
touches.

Jonas is labelled "Mentors" in the address book and meets you for coffee every month (last on
11 November). Freya (freya@example.net, LinkedIn freya-forget-7f) is in the address book, your
LinkedIn connections and interaction log, wrote you an e-mail, got one from you alone, and was
on a group e-mail with Olga. Olga is an ordinary contact; Ivo, in the log only, asks you
things and gets nothing back.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines import warehouse
from pipelines.definitions import defs
from pipelines.defs.automation import REFRESH_JOB
from pipelines.lib import user_state
from pipelines.settings import ENV_AS_OF, ENV_CONFIG, ENV_DB, ENV_INBOX

AS_OF = "2024-12-20"
CONFIG = """
[owner]
names = ["Maya Owner"]
emails = ["maya@owner.example"]

[cadence.tags]
Mentors = [14, 30]

[cadence.people]
"email:olga@example.com" = [60, 120]
"""
GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last "
    "Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
    "Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"
    "E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value"
)
CONTACTS = (
    "\ufeff"
    + "\n".join(
        [
            GOOGLE_HEADER,
            "Jonas,,Berg,,,,,,,Jonas Berg,Fjordline,Data Lead,,,,,* myContacts ::: Mentors,"
            "* Work,jonas.berg@example.org,,,,",
            "Freya,,Forget,,,,,,,Freya Forget,Brightwater,Designer,,,,,* myContacts,"
            "* Home,freya@example.net,,,,",
            # Olga's second "address" is a note naming Freya's: a rejected value about Freya
            "Olga,,Other,,,,,,,Olga Other,Oakline Bank,Analyst,,,,,* myContacts,"
            "* Work,olga@example.com,Old,freya@example.net (shared inbox),,",
        ]
    )
    + "\n"
)
LOG_HEADER = "date,person,email,linkedin_url,channel,direction,kind,note\n"
CONNECTIONS = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Freya,Forget,https://www.linkedin.com/in/freya-forget-7f,,Brightwater,Designer,"
    "02 Mar 2024\n"
    "Olga,Other,https://www.linkedin.com/in/olga-other-2c,,Oakline Bank,Analyst,05 Apr 2024\n"
)


def log_lines() -> str:
    rows = []
    for month in range(1, 12):  # Jonas: coffee on the 11th of every month until November
        rows.append(f"2024-{month:02d}-11,Jonas Berg,jonas.berg@example.org,,coffee,out,,")
    for month in (2, 4, 6, 8, 10):
        rows.append(f"2024-{month:02d}-03,Freya Forget,freya@example.net,,call,in,,")
        rows.append(f"2024-{month:02d}-05,Olga Other,olga@example.com,,call,out,,")
    rows.append("2024-12-02,Ivo Asker,ivo@example.org,,call,in,ask,asked for an intro")
    rows.append("2024-12-09,Ivo Asker,ivo@example.org,,call,in,ask,asked for feedback")
    rows.append("someday,Freya Forget,freya@example.net,,call,in,,")  # quarantined: no date
    # loaded without its direction word (a rejected value of Freya's row)
    rows.append("2024-06-07,Freya Forget,freya@example.net,,call,sideways,,")
    return LOG_HEADER + "\n".join(rows) + "\n"


def eml(n: int, sender: str, to: str, subject: str, day: int) -> str:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Date: Mon, {day:02d} Sep 2024 10:00:00 +0000\r\n"
        f"Message-ID: <m{n}@example.net>\r\n\r\nHello, {subject.lower()}.\r\n"
    )


def write_inbox(root: Path) -> None:
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    (inbox / "contacts.csv").write_text(CONTACTS)
    (inbox / "interaction_log.csv").write_text(log_lines())
    export = inbox / "Basic_LinkedInDataExport_12-01-2024"
    export.mkdir()
    (export / "Connections.csv").write_text(CONNECTIONS)
    mail = inbox / "mail"
    mail.mkdir()
    freya, olga, me = (
        "Freya Forget <freya@example.net>",
        "Olga Other <olga@example.com>",
        "Maya Owner <maya@owner.example>",
    )
    (mail / "1.eml").write_text(eml(1, freya, me, "Lunch soon", 2))
    (mail / "2.eml").write_text(eml(2, me, freya, "Re: Lunch soon", 3))
    (mail / "3.eml").write_text(eml(3, me, f"{freya}, {olga}", "Slides from the meetup", 9))
    (mail / "4.eml").write_text(eml(4, olga, me, "Re: Slides from the meetup", 10))
    (root / "constellation.toml").write_text(CONFIG)


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    write_inbox(tmp_path)
    monkeypatch.setenv(ENV_INBOX, str(tmp_path / "inbox"))
    monkeypatch.setenv(ENV_DB, str(tmp_path / "w.duckdb"))
    monkeypatch.setenv(ENV_AS_OF, AS_OF)
    monkeypatch.setenv(ENV_CONFIG, str(tmp_path / "constellation.toml"))
    return tmp_path


def refresh(root: Path) -> None:
    """The refresh job, in process, as `constellation refresh` runs it; every check passes."""
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def(REFRESH_JOB).execute_in_process(instance=instance)
    assert result.success
    failed = [
        f"{c.asset_key.to_user_string()}:{c.check_name}"
        for c in result.get_asset_check_evaluations()
        if not c.passed and c.severity == dg.AssetCheckSeverity.ERROR
    ]
    assert failed == []


def feedback_log(root: Path) -> Path:
    return user_state.user_state_path(root / "w.duckdb")


def query(root: Path, sql: str, params=None) -> pl.DataFrame:
    with warehouse.connect(root / "w.duckdb", read_only=True) as con:
        return warehouse.frame(con, sql, params)


def person_id(root: Path, name: str) -> str:
    return query(root, "SELECT person_id FROM core.people WHERE display_name = ?", [name]).item()


def health(root: Path, name: str) -> dict:
    return query(
        root, "SELECT * FROM marts.relationship_health WHERE display_name = ?", [name]
    ).row(0, named=True)


def every_text(root: Path, needle: str, skip: set[str]) -> list[str]:
    """Every table.column of the warehouse holding `needle` (case-insensitive), but `skip`."""
    found = []
    with warehouse.connect(root / "w.duckdb", read_only=True) as con:
        columns = warehouse.frame(
            con,
            """SELECT table_schema || '.' || table_name AS t, column_name AS c
               FROM information_schema.columns WHERE table_catalog = current_database()""",
        )
        for table, column in columns.iter_rows():
            if table in skip:
                continue
            hits = warehouse.scalar(
                con,
                f'SELECT count(*) FROM {table} WHERE lower("{column}"::VARCHAR) LIKE ?',
                [f"%{needle.lower()}%"],
            )
            if hits:
                found.append(f"{table}.{column}")
    return found


def rejected_values(root: Path) -> list[tuple]:
    return query(
        root, "SELECT target_table, value FROM quality.rejected_values ORDER BY ALL"
    ).rows()


def test_forgotten_person_leaves_every_table_and_stays_out(root):
    refresh(root)
    freya = person_id(root, "Freya Forget")
    assert rejected_values(root) == [
        ("raw.contacts", "freya@example.net (shared inbox)"),
        ("raw.interaction_log", "sideways"),
    ]
    assert (
        query(root, "SELECT count(*) FROM quality.quarantine WHERE raw_text LIKE '%freya%'").item()
        == 1
    )
    forget_id = user_state.forget_person(
        feedback_log(root), freya, snapshot=root / "w.snapshot.duckdb"
    )

    # a full rebuild from scratch: the warehouse and its snapshot deleted, the inbox unchanged
    (root / "w.duckdb").unlink()
    (root / "w.snapshot.duckdb").unlink()
    refresh(root)
    # the forget entry itself is the only place that still names her
    assert every_text(root, "freya", skip={"user_state.forgotten_people"}) == []
    assert every_text(root, freya, skip={"user_state.forgotten_people"}) == []
    # the value left out of her own row went with the row; the one in Olga's lost its text
    assert rejected_values(root) == [("raw.contacts", None)]
    assert query(root, "SELECT display_name FROM core.people ORDER BY 1")[
        "display_name"
    ].to_list() == ["Ivo Asker", "Jonas Berg", "Maya Owner", "Olga Other"]
    # the group e-mail stays for Olga; the ones from Freya and to her alone are gone
    for table in ("raw.email_messages", "staging.email_messages"):
        subjects = query(root, f"SELECT subject FROM {table} ORDER BY 1")["subject"]
        assert subjects.to_list() == ["Re: Slides from the meetup", "Slides from the meetup"]
    olga = query(
        root,
        """SELECT count(*) FROM core.interactions JOIN core.people USING (person_id)
           WHERE display_name = 'Olga Other' AND channel = 'email'""",
    ).item()
    assert olga == 2
    # nothing dropped silently: each removed row is counted per file, read = loaded + quarantined
    loads = query(
        root,
        """SELECT path, rows_read, rows_loaded, rows_quarantined FROM quality.file_loads
           WHERE status IN ('loaded', 'unchanged')
           QUALIFY row_number() OVER (PARTITION BY path, target_table ORDER BY loaded_at DESC) = 1""",
    )
    assert loads.filter(
        pl.col("rows_read") != pl.col("rows_loaded") + pl.col("rows_quarantined")
    ).is_empty()
    counted = query(
        root,
        "SELECT target_table, what, sum(rows)::INT AS n FROM quality.forgotten_rows GROUP BY ALL ORDER BY ALL",
    )
    assert counted.rows() == [
        ("raw.contacts", "row removed", 1),
        ("raw.email_messages", "row removed", 2),
        ("raw.interaction_log", "quarantined text removed", 1),
        ("raw.interaction_log", "row removed", 6),
        ("raw.linkedin_connections", "row removed", 1),
    ]
    assert set(query(root, "SELECT forget_id FROM quality.forgotten_rows")["forget_id"]) == {
        forget_id
    }

    # the next load of the same files (all unchanged) keeps her out, and the checks still pass
    refresh(root)
    assert every_text(root, "freya", skip={"user_state.forgotten_people"}) == []
    statuses = query(
        root,
        "SELECT DISTINCT status FROM quality.file_loads WHERE load_id = (SELECT load_id FROM quality.file_loads ORDER BY loaded_at DESC LIMIT 1)",
    )
    assert statuses["status"].to_list() == ["unchanged"]

    # unforget: the files that held her rows are read again in the same refresh
    user_state.unforget_person(feedback_log(root), forget_id)
    refresh(root)
    back = query(root, "SELECT * FROM core.people WHERE display_name = 'Freya Forget'")
    assert back.height == 1
    assert query(root, "SELECT count(*) FROM raw.email_messages").item() == 4
    assert query(root, "SELECT count(*) FROM quality.forgotten_rows").item() == 0
    assert rejected_values(root) == [
        ("raw.contacts", "freya@example.net (shared inbox)"),
        ("raw.interaction_log", "sideways"),
    ]
    assert health(root, "Freya Forget")["last_interaction_at"].date() == dt.date(2024, 10, 3)


def test_cadence_tags_and_done_actions_from_user_state(root):
    refresh(root)
    # the address-book label Mentors reaches Jonas (a contact sighting's ref is the raw row)
    jonas = health(root, "Jonas Berg")
    assert (jonas["cadence_ideal_days"], jonas["cadence_source"], jonas["status"]) == (
        14,
        "tag:Mentors",
        "overdue",
    )
    assert health(root, "Olga Other")["cadence_source"] == "person"  # the configuration
    assert health(root, "Ivo Asker")["cadence_source"] == "tier"

    log = feedback_log(root)
    ids = {name: person_id(root, name) for name in ("Jonas Berg", "Olga Other", "Ivo Asker")}
    user_state.set_cadence(log, ids["Olga Other"], 7, 14)  # beats [cadence.people]
    user_state.tag_person(log, ids["Ivo Asker"], "mentors")
    user_state.untag_person(log, ids["Jonas Berg"], "Mentors")  # the address book's label
    # mark Jonas's check-in done as the dashboard does today (action id and status only)
    action = query(
        root,
        "SELECT action_id, action_type FROM marts.recommended_actions WHERE person_id = ? AND status = 'open'",
        [ids["Jonas Berg"]],
    ).row(0, named=True)
    done_at = dt.datetime(2024, 12, 19, 16, 30, tzinfo=dt.UTC)
    user_state.record_feedback(log, action["action_id"], "done", recorded_at=done_at)
    refresh(root)

    olga, ivo, jonas = (health(root, n) for n in ("Olga Other", "Ivo Asker", "Jonas Berg"))
    assert (olga["cadence_ideal_days"], olga["cadence_max_days"], olga["cadence_source"]) == (
        7,
        14,
        "user_state",
    )
    assert olga["status"] == "overdue"
    assert (ivo["cadence_ideal_days"], ivo["cadence_source"]) == (14, "tag:Mentors")
    assert jonas["cadence_source"] == "tier"
    # the done action is a touch from you, when you marked it: Jonas is on track again
    touch = query(
        root,
        "SELECT * FROM core.interactions WHERE source_table = 'user_state.action_feedback'",
    ).row(0, named=True)
    assert (touch["person_id"], touch["direction"], touch["channel"], touch["source_key"]) == (
        ids["Jonas Berg"],
        "outbound",
        "other",
        action["action_id"],
    )
    assert jonas["last_interaction_at"] == done_at
    assert jonas["status"] == "on_track"
    rules = query(root, "SELECT * FROM marts.cadence_rules WHERE source = 'user_state'")
    assert rules["person_id"].to_list() == [ids["Olga Other"]]

    # undo: the touch goes away at the next refresh
    user_state.record_feedback(log, action["action_id"], "open")
    user_state.set_cadence(log, ids["Olga Other"], None, None)
    refresh(root)
    assert health(root, "Jonas Berg")["last_interaction_at"].date() == dt.date(2024, 11, 11)
    assert health(root, "Olga Other")["cadence_source"] == "person"


def test_give_actions_done_are_gives_even_after_a_rebuild_from_scratch(root):
    refresh(root)
    log = feedback_log(root)
    olga = person_id(root, "Olga Other")
    when = dt.datetime(2024, 12, 18, 9, 0, tzinfo=dt.UTC)
    user_state.record_feedback(
        log,
        "a_0000000000000001",
        "done",
        recorded_at=when,
        person_id=olga,
        action_type="give_first",
    )
    (root / "w.duckdb").unlink()
    refresh(root)
    touch = query(
        root, "SELECT * FROM core.interactions WHERE source_table = 'user_state.action_feedback'"
    ).row(0, named=True)
    assert (touch["person_id"], touch["kind"], touch["occurred_at"]) == (olga, "give", when)
    assert (
        query(root, "SELECT gives FROM marts.reciprocity WHERE person_id = ?", [olga]).item() == 1
    )


def test_user_state_written_while_another_process_holds_the_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    with warehouse.connect(db) as con:
        warehouse.run(con, "CREATE TABLE t AS SELECT 1 AS x")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time, duckdb
                con = duckdb.connect({str(db)!r})
                con.execute("INSERT INTO t VALUES (2)")
                print("locked", flush=True)
                sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(duckdb.IOException):  # the warehouse really is locked
            duckdb.connect(str(db))
        log = user_state.user_state_path(db)
        user_state.set_cadence(log, "p_1", 10, 20)
        user_state.tag_person(log, "p_1", "Mentors")
        fid = user_state.forget_person(
            log, "p_2", emails=["Someone@Example.org"], names=["Some One"]
        )
        user_state.record_feedback(log, "a_1", "done", person_id="p_1", action_type="check_in_due")
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    assert user_state.person_cadence(log).select("person_id", "ideal_days", "max_days").rows() == [
        ("p_1", 10, 20)
    ]
    assert user_state.person_tags(log)["tag"].to_list() == ["Mentors"]
    forgotten = user_state.forgotten_people(log).row(0, named=True)
    assert (forgotten["forget_id"], forgotten["emails"], forgotten["names"]) == (
        fid,
        ["someone@example.org"],
        ["Some One"],
    )
    assert user_state.read_events(log)["person_id"].to_list() == ["p_1"]


def test_people_log_latest_event_wins_and_bad_values_are_refused(tmp_path):
    log = user_state.user_state_path(tmp_path / "w.duckdb")
    t = dt.datetime(2024, 12, 1, tzinfo=dt.UTC)
    user_state.tag_person(log, "p_1", "Mentors", recorded_at=t)
    user_state.untag_person(log, "p_1", "mentors", recorded_at=t + dt.timedelta(hours=1))
    user_state.set_cadence(log, "p_1", 10, 20, recorded_at=t)
    user_state.set_cadence(log, "p_2", 5, 9, recorded_at=t)
    user_state.set_cadence(log, "p_1", None, None, recorded_at=t + dt.timedelta(hours=1))
    assert user_state.person_tags(log).select("tag", "action").rows() == [("mentors", "untag")]
    assert user_state.person_cadence(log)["person_id"].to_list() == ["p_2"]
    with pytest.raises(ValueError, match="ideal_days <= max_days"):
        user_state.set_cadence(log, "p_1", 30, 10)
    with pytest.raises(ValueError, match="nothing known"):
        user_state.forget_person(log, "p_9")
    first = user_state.forget_person(
        log, "p_3", linkedin_slugs=["https://www.linkedin.com/in/Freya-F/"]
    )
    user_state.forget_person(log, "p_4", emails=["x@example.org"])
    user_state.unforget_person(log, "p_4")  # by person id
    left = user_state.forgotten_people(log)
    assert left["forget_id"].to_list() == [first]
    assert left["linkedin_slugs"].to_list() == [["freya-f"]]
