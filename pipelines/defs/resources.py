"""The one resource every asset uses to find its inputs and the warehouse."""

import contextlib
from collections.abc import Iterator

import dagster as dg
import duckdb

from pipelines import warehouse
from pipelines.settings import Settings, load_settings

# Every asset and check that opens the warehouse runs in this pool. DuckDB allows one writing
# process; dagster.yaml limits the pool to one run at a time (see docs/automation.md).
WRITER_POOL = "duckdb_writer"


class ConstellationResource(dg.ConfigurableResource):
    """Inbox, warehouse file, as-of date and configuration file for a run.

    Empty fields fall back to the environment (`CONSTELLATION_*`), then the configuration file,
    then the defaults, exactly like the command line.
    """

    inbox: str = ""
    db_path: str = ""
    as_of: str = ""
    config_path: str = ""

    def settings(self) -> Settings:
        return load_settings(
            inbox=self.inbox or None,
            db_path=self.db_path or None,
            as_of=self.as_of or None,
            config_path=self.config_path or None,
        )

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with warehouse.connect(self.settings().db_path) as con:
            yield con


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"constellation": ConstellationResource()})
