"""The event log of Constellation's Dagster instance: Dagster's own SQLite event log, with its
connections kept open.

Dagster's `SqliteEventLogStorage` builds a new SQLAlchemy engine for every read and every write,
opens the file, and disposes of the engine again. A refresh of the bundled sample stores ~620
events and opens ~3,600 connections, and that took 6.0 of its 19.5 s in a profile. This class
keeps one engine per database file: the index database and the latest few run databases, so a
long-running UI that watches many runs does not hold every file open. Dagster already keeps
these files in write-ahead-log mode; the connections here also use `synchronous=NORMAL`, so a
commit appends to the log without waiting for the disk. A crash of the process loses nothing; a
power cut can lose the last events of a run, never the warehouse, which DuckDB keeps on its own.

With connections kept open, a commit changes `<run>.db-wal` and `<run>.db` only at checkpoints,
so the watcher behind the UI's live run log also wakes on the `-wal` file (`RunLogWatchdog`).

Where the files are, their tables and what the UI reads are all Dagster's: an existing
`DAGSTER_HOME` keeps its run history. `dagster.yaml` selects this class (see docs/automation.md).
Without a `base_dir` in its config it uses `DAGSTER_HOME/history/runs`, Dagster's default; every
Constellation command sets `DAGSTER_HOME` (`pipelines/instance.py`).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
    SqliteEventLogStorageWatchdog,
)
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from watchdog.events import FileSystemEvent, PatternMatchingEventHandler
from watchdog.observers import Observer

# Run databases kept open besides the index; a run writes to its own and to the index.
OPEN_RUN_DATABASES = 4


def default_base_dir() -> str:
    """Where Dagster keeps the event logs when dagster.yaml does not say: `history/runs` under
    DAGSTER_HOME."""
    home = os.environ.get("DAGSTER_HOME")
    if not home:
        raise ValueError(
            "the event log needs a folder: set DAGSTER_HOME, or base_dir under "
            "event_log_storage.config in dagster.yaml"
        )
    return os.path.join(home, "history", "runs")


def _commit_without_waiting_for_the_disk(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # as Dagster creates them; kept so
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class RunLogWatchdog(SqliteEventLogStorageWatchdog):
    """Dagster's watcher of one run's events, woken also by the run's `-wal` file."""

    def __init__(self, event_log_storage, run_id, callback, cursor):
        super().__init__(event_log_storage, run_id, callback, cursor)
        PatternMatchingEventHandler.__init__(
            self, patterns=[self._log_path, self._log_path + "-wal"]
        )

    def on_modified(self, event: FileSystemEvent) -> None:
        self._process_log()


class ReusedConnectionsEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` with one engine per database file, kept between calls."""

    def __init__(self, base_dir: str | None = None, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables_engine: Engine | None = None
        super().__init__(base_dir or default_base_dir(), inst_data)

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> ReusedConnectionsEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        """The engine of one database file, created on first use. Called under `_db_lock`."""
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        engine = create_engine(
            self.conn_string_for_shard(shard),
            # every use holds `_db_lock`, so a connection is never used by two threads at once
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        event.listen(engine, "connect", _commit_without_waiting_for_the_disk)
        self._engines[shard] = engine
        runs = [name for name in self._engines if name != INDEX_SHARD_NAME]
        for name in runs[:-OPEN_RUN_DATABASES]:
            self._engines.pop(name).dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        # Called inside `_connect` too, so it must not wait for `_db_lock`: it reads the index
        # through an engine of its own.
        if self._tables_engine is None:
            self._tables_engine = create_engine(
                self.conn_string_for_shard(INDEX_SHARD_NAME),
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
        with self._tables_engine.connect() as conn:
            return bool(self._tables_engine.dialect.has_table(conn, table_name))

    def watch(self, run_id: str, cursor: str | None, callback) -> None:
        """As Dagster's `watch`, with `RunLogWatchdog`."""
        if not self._obs:
            self._obs = Observer()
            self._obs.start()
        watchdog = RunLogWatchdog(self, run_id, callback, cursor)
        self._watchers[run_id][callback] = (
            watchdog,
            self._obs.schedule(watchdog, self._base_dir, recursive=True),
        )

    def dispose(self) -> None:
        super().dispose()
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()
        if self._tables_engine is not None:
            self._tables_engine.dispose()
