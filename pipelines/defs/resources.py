"""The one resource every asset uses to find its inputs and the warehouse."""

import contextlib
from collections.abc import Iterator

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from pipelines import warehouse
from pipelines.settings import Settings, load_settings

# Every asset and check that opens the warehouse runs in this pool. DuckDB allows one writing
# process; dagster.yaml limits the pool to one run at a time (see docs/automation.md).
WRITER_POOL = "duckdb_writer"


class ConstellationResource(dg.ConfigurableResource):
    """Inbox, warehouse file, as-of date and configuration file for a run.

    Empty fields fall back to the environment (`CONSTELLATION_*`), then the configuration file,
    then the defaults, exactly like the command line.

    During a run the warehouse stays open from the first step that connects to the end of the
    run (`_held`). Every `connect()` still gets its own connection, but DuckDB then reuses the
    open database instead of reading its catalogue from disk again: ~3 ms instead of ~40 ms a
    step, and the cache stays warm from one step to the next. The file is checkpointed when
    the run ends (and by `published_snapshot` before it is copied). While it is held, the run's
    process cannot open the file read-only or with other settings (DuckDB refuses a second
    configuration of an open database); everything in a run goes through `connect()`.
    """

    inbox: str = ""
    db_path: str = ""
    as_of: str = ""
    config_path: str = ""

    _in_run: bool = PrivateAttr(default=False)
    _held: contextlib.ExitStack | None = PrivateAttr(default=None)

    def settings(self) -> Settings:
        return load_settings(
            inbox=self.inbox or None,
            db_path=self.db_path or None,
            as_of=self.as_of or None,
            config_path=self.config_path or None,
        )

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._in_run = True

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self._in_run = False
        self._release()

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        db_path = self.settings().db_path
        if self._in_run and self._held is None:
            # Opened lazily, inside a step, so a warehouse locked by another process fails that
            # step with DuckDB's message naming the file, as without the hold.
            held = contextlib.ExitStack()
            held.enter_context(warehouse.connect(db_path))
            self._held = held
        try:
            with warehouse.connect(db_path) as con:
                yield con
        except (duckdb.FatalException, duckdb.InternalException):
            # DuckDB invalidates a database after such an error: let go of it, so the next step
            # opens the file again (and replays its log) instead of reusing the broken one.
            self._release()
            raise

    def _release(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"constellation": ConstellationResource()})
