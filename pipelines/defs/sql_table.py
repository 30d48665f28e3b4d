"""One function builds every SQL-defined table: `pipelines/sql/<schema>/<table>.sql` holds a
SELECT; the asset replaces `<schema>.<table>` with its result, unless the tables and variables it
reads are as they were when it was last built (`pipelines/lib/table_builds.py`). The SQL reads
the run's as-of date as `getvariable('as_of')` (a DATE)."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipelines import warehouse
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.lib import table_builds

SQL_ROOT = Path(__file__).resolve().parent.parent / "sql"
# How the run log says a table was not rebuilt (pipelines/lib/table_builds.py).
KEPT = ", kept: its inputs are as they were when it was built"


def sql_path(schema: str, table: str) -> Path:
    return SQL_ROOT / schema / f"{table}.sql"


@dataclass(frozen=True)
class ByDay:
    """How a table of periods is rebuilt from the first day its inputs changed
    (`table_builds.build_table_from_day`): the query of its inputs' rows per day, and the
    column that holds each period's last day."""

    day_inputs: str
    period_end: str


def sql_table_asset(
    schema: str,
    table: str,
    deps: list[str | dg.AssetKey],
    description: str,
    checks: dict[str, str] | None = None,
    by_day: ByDay | None = None,
) -> dg.AssetsDefinition:
    """An asset for `<schema>.<table>` built from its SQL file.

    `deps` are upstream tables as `schema.table` (or asset keys). `checks` maps a check name to a SQL query that
    returns the offending rows (the check passes when it returns none). `by_day`: the table is
    one of periods, rebuilt from the first day whose inputs changed.
    """
    key = dg.AssetKey([schema, table])
    query = sql_path(schema, table).read_text()
    checks = checks or {}

    @dg.asset(
        key=key,
        group_name=schema,
        deps=[dg.AssetKey(dep.split(".")) if isinstance(dep, str) else dep for dep in deps],
        description=description,
        kinds={"duckdb", "sql"},
        pool=WRITER_POOL,
        check_specs=[dg.AssetCheckSpec(name, asset=key) for name in checks],
    )
    def build_sql_table(
        context: dg.AssetExecutionContext, constellation: ConstellationResource
    ) -> dg.MaterializeResult:
        settings = constellation.settings()
        with constellation.connect() as con:
            # SQL reads the as-of date as getvariable('as_of').
            warehouse.run(con, "SET VARIABLE as_of = ?::DATE", [settings.as_of_date])
            if by_day is None:
                built = table_builds.build_table(
                    con, f"{schema}.{table}", query, context.run.run_id
                )
                how = "" if built else KEPT
            else:
                start = table_builds.build_table_from_day(
                    con,
                    f"{schema}.{table}",
                    query,
                    context.run.run_id,
                    day_inputs=by_day.day_inputs,
                    period_end=by_day.period_end,
                )
                built = start is not None
                how = (
                    KEPT
                    if start is None
                    else ""
                    if start == dt.date.min
                    else f", computed again from {start.isoformat()} (its inputs before that "
                    "day are as they were)"
                )
            rows = warehouse.scalar(con, f"SELECT count(*) FROM {schema}.{table}")
            results = []
            for name, check_sql in checks.items():
                offending = warehouse.frame(con, check_sql)
                results.append(
                    dg.AssetCheckResult(
                        check_name=name,
                        passed=offending.height == 0,
                        metadata={
                            "offending_rows": offending.height,
                            "sample": dg.MetadataValue.md(str(offending.head(10))),
                        },
                    )
                )
        context.log.info(f"{schema}.{table}: {rows:,} rows{how}")
        return dg.MaterializeResult(
            metadata={"dagster/row_count": rows, "rebuilt": built}, check_results=results
        )

    return build_sql_table
