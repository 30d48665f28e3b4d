"""Raw tables of calendar exports (.ics): meeting occurrences and their attendees.

One asset writes both tables because they come from one parse of each file (files of kind
`calendar_events`); each table has its own rows in `quality.file_loads` (kind = table name), so
conservation and reloads work per table as everywhere.
"""

import dagster as dg

from pipelines import warehouse
from pipelines.defs.raw.factory import describe
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.lib import catalog, inbox
from pipelines.lib.calendar import ics
from pipelines.lib.loading import (
    TableLoad,
    conservation_violations,
    ensure_quality_tables,
    load_files,
    table_schema,
)
from pipelines.schemas.calendar_attendees import CalendarAttendeesSchema
from pipelines.schemas.calendar_events import CalendarEventsSchema

KIND = "calendar_events"
TABLES = {
    "calendar_events": (CalendarEventsSchema, ics.events_parser),
    "calendar_attendees": (CalendarAttendeesSchema, ics.attendees_parser),
}


def _checks(name: str) -> list[dg.AssetCheckSpec]:
    key = dg.AssetKey(["raw", name])
    model = TABLES[name][0]
    return [
        dg.AssetCheckSpec(
            "schema_valid",
            asset=key,
            description=f"Every loaded row passes {model.__name__}; rows that fail are "
            "quarantined with the reason.",
        ),
        dg.AssetCheckSpec(
            "rows_conserved",
            asset=key,
            description="For every file, rows read = rows loaded + rows quarantined, and the "
            "table holds them.",
        ),
    ]


def _loaded_with(con, path: str) -> str | None:
    """The window and threshold the file's last load used (the first part of its message)."""
    message = warehouse.scalar(
        con,
        """SELECT message FROM quality.file_loads
           WHERE path = ? AND target_table = 'raw.calendar_events' AND status = 'loaded'
           ORDER BY loaded_at DESC LIMIT 1""",
        [path],
    )
    return None if message is None else message.split("; ")[0]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "calendar_events"],
            group_name="raw",
            # user state: files to read again after an unforget are marked first (forget.py)
            deps=[dg.AssetKey(["user_state", "forgotten_people"])],
            kinds={"duckdb", "python"},
            description="Meetings from .ics calendar exports: one row per occurrence of an event "
            "with attendees, recurring events expanded from 3 years before to 90 days after the "
            "as-of date; cancelled occurrences left out; very large meetings flagged.",
        ),
        dg.AssetSpec(
            ["raw", "calendar_attendees"],
            group_name="raw",
            kinds={"duckdb", "python"},
            description="Who was invited to each meeting occurrence in raw.calendar_events "
            "(declined attendees, rooms and resources left out).",
        ),
    ],
    check_specs=_checks("calendar_events") + _checks("calendar_attendees"),
    pool=WRITER_POOL,
)
def calendar(context: dg.AssetExecutionContext, constellation: ConstellationResource):
    """Load every .ics file of the inbox into raw.calendar_events and raw.calendar_attendees."""
    settings = constellation.settings()
    window = ics.Window.around(settings.as_of_date)
    found = inbox.scan(settings.inbox, max_unpacked_bytes=settings.max_unpacked_bytes)
    sources = [f for f in found.files if catalog.kind_of(f) == KIND]
    with constellation.connect() as con:
        ensure_quality_tables(con)
        outcomes = {name: TableLoad(f"raw.{name}") for name in TABLES}
        for name, (model, _) in TABLES.items():
            warehouse.ensure_table(con, f"raw.{name}", table_schema(model))
        # File by file, both tables: the two parsers share one parse of the file. A file loaded
        # with another window or threshold is loaded again even when its content is the same.
        setting = ics.settings_note(window, settings.large_meeting_attendees)
        for source in sources:
            reload = _loaded_with(con, source.path) not in (None, setting)
            for name, (model, make_parser) in TABLES.items():
                loaded = load_files(
                    con,
                    context.run.run_id,
                    table=f"raw.{name}",
                    kind=name,  # the ledger names the table, as for every other kind
                    model=model,
                    parse=make_parser(window, settings.large_meeting_attendees),
                    sources=[source],
                    progress=lambda r, name=name: context.log.info(f"raw.{name}: {describe(r)}"),
                    reload_unchanged=reload,
                )
                outcomes[name].files += loaded.files
                outcomes[name].schema_failures += loaded.schema_failures
        for name, outcome in outcomes.items():
            table = outcome.table
            violations = conservation_violations(con, table)
            rows = warehouse.scalar(con, f"SELECT count(*) FROM {table}")
            for failure in outcome.failed:
                context.log.error(failure.message)
            key = dg.AssetKey(["raw", name])
            yield dg.MaterializeResult(
                asset_key=key,
                metadata={
                    "files": len(outcome.files),
                    "files_failed": len(outcome.failed),
                    "rows_loaded_this_run": outcome.rows_loaded,
                    "window": f"{window.start.date()} to {window.end.date()}",
                    "dagster/row_count": rows,
                },
                check_results=[
                    dg.AssetCheckResult(
                        asset_key=key,
                        check_name="schema_valid",
                        passed=outcome.schema_failures == 0,
                        severity=dg.AssetCheckSeverity.WARN,
                        metadata={"rows_quarantined_by_schema": outcome.schema_failures},
                    ),
                    dg.AssetCheckResult(
                        asset_key=key,
                        check_name="rows_conserved",
                        passed=violations.height == 0,
                        metadata={
                            "files_not_adding_up": violations.height,
                            "details": dg.MetadataValue.md(str(violations)),
                        },
                    ),
                ],
            )
