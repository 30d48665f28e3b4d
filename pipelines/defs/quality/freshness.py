"""`data_is_fresh` on the raw tables whose data ages: a warning when a source's newest data is
older than `[freshness] max_age_days` (default 45) before the as-of date; and
`quality.source_freshness`, the same verdicts as a table for the dashboard and ad-hoc SQL."""

import dagster as dg

from pipelines import warehouse
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.lib import freshness

SOURCE_FRESHNESS = "quality.source_freshness"


def freshness_check(table: str) -> dg.AssetChecksDefinition:
    source = freshness.SOURCES[table]

    @dg.asset_check(
        asset=dg.AssetKey(table.split(".")),
        name="data_is_fresh",
        description=f"Warns when {source.label} is older than [freshness] max_age_days "
        f"(default {freshness.DEFAULT_MAX_AGE_DAYS}) on the as-of date.",
        pool=WRITER_POOL,
    )
    def data_is_fresh(constellation: ConstellationResource) -> dg.AssetCheckResult:
        settings = constellation.settings()
        limit = freshness.max_age_days(settings.section("freshness"))
        with constellation.connect() as con:
            found = freshness.source_freshness(con, source, settings.as_of_date, limit)
        return dg.AssetCheckResult(
            passed=found.fresh,
            severity=dg.AssetCheckSeverity.WARN,
            description=found.message,
            metadata={
                "newest": found.newest.isoformat() if found.newest else "",
                "age_days": found.age_days if found.age_days is not None else -1,
                "max_age_days": limit,
                "as_of": settings.as_of_date.isoformat(),
            },
        )

    return data_is_fresh


linkedin_connections_is_fresh = freshness_check("raw.linkedin_connections")
email_messages_is_fresh = freshness_check("raw.email_messages")


@dg.asset(
    key=SOURCE_FRESHNESS.split("."),
    group_name="quality",
    deps=[dg.AssetKey(table.split(".")) for table in freshness.SOURCES],
    kinds={"duckdb"},
    pool=WRITER_POOL,
)
def source_freshness(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """How old each source's newest data is on the as-of date, whether that is within
    `[freshness] max_age_days`, and a sentence saying so ("your LinkedIn export is 95 days
    old ..."). One row per source; what the `data_is_fresh` checks report."""
    settings = constellation.settings()
    limit = freshness.max_age_days(settings.section("freshness"))
    with constellation.connect() as con:
        rows = freshness.freshness_table(con, settings.as_of_date, limit)
        warehouse.replace_table(con, SOURCE_FRESHNESS, rows)
    for row in rows.iter_rows(named=True):
        context.log.info(row["message"])
    return dg.MaterializeResult(
        metadata={"dagster/row_count": rows.height, "stale": rows.filter(~rows["fresh"]).height}
    )
