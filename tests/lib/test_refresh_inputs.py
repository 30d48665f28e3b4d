"""What counts as "nothing new" for a refresh: every input a refresh reads moves the
fingerprint; nothing else does."""

import datetime as dt
import json
import os
from dataclasses import replace

from pipelines.lib import refresh_inputs
from pipelines.lib.user_state import user_state_path
from pipelines.settings import Settings


def settings_for(tmp_path) -> Settings:
    inbox = tmp_path / "inbox"
    (inbox / "export").mkdir(parents=True, exist_ok=True)
    connections = inbox / "export" / "Connections.csv"
    if not connections.exists():
        connections.write_bytes(b"First Name,Last Name\r\nAda,Byron\r\n")
    config = tmp_path / "constellation.toml"
    if not config.exists():
        config.write_text('[owner]\nemails = ["me@example.org"]\n')
    return Settings(
        inbox=inbox, db_path=tmp_path / "w.duckdb", as_of=dt.date(2025, 2, 1), config_path=config
    )


def test_the_same_inputs_give_the_same_fingerprint(tmp_path):
    settings = settings_for(tmp_path)
    assert refresh_inputs.fingerprint(settings) == refresh_inputs.fingerprint(settings)


def test_every_input_a_refresh_reads_moves_the_fingerprint(tmp_path):
    settings = settings_for(tmp_path)
    last = [refresh_inputs.fingerprint(settings)]

    def changed() -> bool:
        """Whether the fingerprint moved since the previous call."""
        last.append(refresh_inputs.fingerprint(settings))
        return last[-1] != last[-2]

    connections = settings.inbox / "export" / "Connections.csv"
    connections.write_bytes(b"First Name,Last Name\r\nAda,Byron\r\nLea,Martin\r\n")  # edited
    assert changed()
    os.utime(connections, ns=(1, 1))  # the same bytes, another modification time
    assert changed()
    (settings.inbox / "calendar.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert changed()
    (settings.inbox / "calendar.ics").unlink()  # a removed file
    assert changed()
    settings.config_path.write_text('[owner]\nemails = ["me@example.org", "me@work.example"]\n')
    assert changed()
    feedback = user_state_path(settings.db_path)
    feedback.parent.mkdir(parents=True)
    feedback.write_text('{"action_id": "x", "status": "done"}\n')  # said in the dashboard
    assert changed()
    settings = replace(settings, as_of=dt.date(2025, 2, 2))
    assert changed()


def test_a_link_loop_in_the_inbox_is_walked_once(tmp_path):
    settings = settings_for(tmp_path)
    (settings.inbox / "export" / "again").symlink_to(settings.inbox, target_is_directory=True)
    (settings.inbox / "gone").symlink_to(tmp_path / "nowhere")
    assert len(refresh_inputs.fingerprint(settings)) == 64


def test_a_warehouse_changed_since_the_record_is_not_unchanged(tmp_path):
    settings = settings_for(tmp_path)
    settings.db_path.write_bytes(b"warehouse")
    settings.snapshot_path.write_bytes(b"snapshot")
    inputs = refresh_inputs.read_inputs(settings)
    current = inputs.fingerprint
    refresh_inputs.record(settings, inputs)
    assert refresh_inputs.unchanged_since(settings, current) is not None
    # Written by another run (the Dagster UI, the sensor) since: a refresh must run, in full.
    settings.db_path.write_bytes(b"warehouse, rebuilt")
    assert refresh_inputs.unchanged_since(settings, current) is None
    assert refresh_inputs.new_inbox_files(settings, inputs) is None
    refresh_inputs.record(settings, inputs)
    settings.snapshot_path.unlink()
    assert refresh_inputs.unchanged_since(settings, current) is None
    assert refresh_inputs.new_inbox_files(settings, inputs) is None
    # Written since and never checkpointed (a Dagster run killed): same size and time, a log.
    settings.snapshot_path.write_bytes(b"snapshot")
    refresh_inputs.record(settings, inputs)
    assert refresh_inputs.unchanged_since(settings, current) is not None
    settings.db_path.with_name(settings.db_path.name + ".wal").write_bytes(b"rows")
    assert refresh_inputs.unchanged_since(settings, current) is None
    assert refresh_inputs.new_inbox_files(settings, inputs) is None


def test_no_record_or_a_damaged_one_means_a_full_refresh(tmp_path):
    settings = settings_for(tmp_path)
    current = refresh_inputs.fingerprint(settings)
    assert refresh_inputs.unchanged_since(settings, current) is None
    refresh_inputs.record_path(settings.db_path).write_text("{not json")
    assert refresh_inputs.unchanged_since(settings, current) is None
    assert refresh_inputs.new_inbox_files(settings, refresh_inputs.read_inputs(settings)) is None


def recorded(settings: Settings) -> refresh_inputs.Inputs:
    """A good refresh recorded for the inputs as they are now."""
    settings.db_path.write_bytes(b"warehouse")
    settings.snapshot_path.write_bytes(b"snapshot")
    inputs = refresh_inputs.read_inputs(settings)
    refresh_inputs.record(settings, inputs)
    return inputs


def test_files_added_or_changed_alone_are_named_for_a_partial_refresh(tmp_path):
    settings = settings_for(tmp_path)
    recorded(settings)
    assert refresh_inputs.new_inbox_files(settings, refresh_inputs.read_inputs(settings)) == []
    (settings.inbox / "mail").mkdir()
    (settings.inbox / "mail" / "day.mbox").write_bytes(b"From x\r\n")
    connections = settings.inbox / "export" / "Connections.csv"
    os.utime(connections, ns=(1, 1))
    now = refresh_inputs.read_inputs(settings)
    assert refresh_inputs.new_inbox_files(settings, now) == [
        "export/Connections.csv",
        "mail/day.mbox",
    ]


def test_anything_else_changed_since_means_a_complete_refresh(tmp_path):
    settings = settings_for(tmp_path)
    (settings.inbox / "calendar.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    recorded(settings)
    (settings.inbox / "mail.mbox").write_bytes(b"From x\r\n")  # new, together with each below

    def partial(settings: Settings) -> bool:
        return (
            refresh_inputs.new_inbox_files(settings, refresh_inputs.read_inputs(settings))
            is not None
        )

    assert partial(settings)
    (settings.inbox / "calendar.ics").unlink()  # a file that left the inbox
    assert not partial(settings)
    recorded(settings)
    settings.config_path.write_text('[owner]\nemails = ["me@work.example"]\n')
    assert not partial(settings)
    recorded(settings)
    feedback = user_state_path(settings.db_path)
    feedback.parent.mkdir(parents=True)
    feedback.write_text('{"action_id": "x", "status": "done"}\n')
    assert not partial(settings)
    recorded(settings)
    assert not partial(replace(settings, as_of=dt.date(2025, 2, 2)))


def test_a_record_of_an_older_version_allows_no_partial_refresh(tmp_path):
    settings = settings_for(tmp_path)
    inputs = recorded(settings)
    path = refresh_inputs.record_path(settings.db_path)
    old = json.loads(path.read_text())
    del old["settings_part"], old["inbox_files"]
    path.write_text(json.dumps(old))
    assert refresh_inputs.unchanged_since(settings, inputs.fingerprint) is not None
    assert refresh_inputs.new_inbox_files(settings, inputs) is None
