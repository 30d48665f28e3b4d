"""One function builds every raw-table asset: scan the inbox, load the files of one kind,
report per-file results and the two checks every raw table has."""

import dagster as dg
import pandera.polars as pa

from pipelines import warehouse
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.lib import catalog, inbox
from pipelines.lib.loading import FileResult, Parser, conservation_violations, load_files


def describe(result: FileResult) -> str:
    """One line per file, for the run log and the command line."""
    counts = (
        f"{result.rows_read:,} read, {result.rows_loaded:,} loaded, "
        f"{result.rows_quarantined:,} quarantined"
    )
    variant = f" [{result.variant}]" if result.variant else ""
    note = f" — {result.message}" if result.message else ""
    return f"{result.status:>9}  {result.path}{variant}: {counts}{note}"


def raw_table_asset(
    kind: str, model: type[pa.DataFrameModel], parse: Parser, description: str
) -> dg.AssetsDefinition:
    """The asset that loads every inbox file of `kind` into `raw.<kind>`."""
    key = dg.AssetKey(["raw", kind])
    table = f"raw.{kind}"

    @dg.asset(
        key=key,
        group_name="raw",
        description=description,
        # user state: files that held rows of a person no longer forgotten are marked to be
        # read again before loading (pipelines/lib/forget.py, request_reloads)
        deps=[dg.AssetKey(["user_state", "forgotten_people"])],
        kinds={"duckdb", "python"},
        pool=WRITER_POOL,
        check_specs=[
            dg.AssetCheckSpec(
                "schema_valid",
                asset=key,
                description="Every loaded row passes "
                f"{model.__name__}; rows that fail are quarantined with the reason.",
            ),
            dg.AssetCheckSpec(
                "rows_conserved",
                asset=key,
                description="For every file, rows "
                "read = rows loaded + rows quarantined, and the table holds them.",
            ),
        ],
    )
    def load_raw_table(
        context: dg.AssetExecutionContext, constellation: ConstellationResource
    ) -> dg.MaterializeResult:
        settings = constellation.settings()
        found = inbox.scan(settings.inbox, max_unpacked_bytes=settings.max_unpacked_bytes)
        sources = [f for f in found.files if catalog.kind_of(f) == kind]
        with constellation.connect() as con:
            outcome = load_files(
                con,
                context.run.run_id,
                table=table,
                kind=kind,
                model=model,
                parse=parse,
                sources=sources,
                progress=lambda r: context.log.info(describe(r)),
            )
            violations = conservation_violations(con, table)
            rows = warehouse.scalar(con, f"SELECT count(*) FROM {table}")
        for failure in outcome.failed:
            context.log.error(failure.message)
        return dg.MaterializeResult(
            metadata={
                "files": len(outcome.files),
                "files_failed": len(outcome.failed),
                "rows_loaded_this_run": outcome.rows_loaded,
                "dagster/row_count": rows,
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name="schema_valid",
                    passed=outcome.schema_failures == 0,
                    severity=dg.AssetCheckSeverity.WARN,
                    metadata={"rows_quarantined_by_schema": outcome.schema_failures},
                ),
                dg.AssetCheckResult(
                    check_name="rows_conserved",
                    passed=violations.height == 0,
                    metadata={
                        "files_not_adding_up": violations.height,
                        "details": dg.MetadataValue.md(str(violations)),
                    },
                ),
            ],
        )

    return load_raw_table
