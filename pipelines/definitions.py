"""The Dagster code location: everything under `pipelines/defs/`, plus the refresh job and the
snapshot that publishes a run's result to readers.

`workspace.yaml` and `[tool.dg]` in pyproject.toml both point here (a test checks they agree).
"""

from pathlib import Path

import dagster as dg

from pipelines import warehouse
from pipelines.defs.automation import REFRESH_JOB
from pipelines.defs.resources import WRITER_POOL, ConstellationResource

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def published_snapshot_asset(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=["published_snapshot"],
        group_name="publish",
        deps=upstream,
        kinds={"duckdb"},
        pool=WRITER_POOL,
    )
    def published_snapshot(
        context: dg.AssetExecutionContext, constellation: ConstellationResource
    ) -> dg.MaterializeResult:
        """A read-only copy of the warehouse for the dashboard and ad-hoc SQL, replaced in one
        step at the end of a run. It runs only when everything upstream succeeded, so a failed
        run leaves the last good snapshot in place."""
        settings = constellation.settings()
        path = warehouse.publish_snapshot(settings.db_path, settings.snapshot_path)
        context.log.info(f"published {path}")
        return dg.MaterializeResult(metadata={"path": str(path), "bytes": path.stat().st_size})

    return published_snapshot


def build_definitions() -> dg.Definitions:
    base = dg.load_from_defs_folder(path_within_project=PROJECT_ROOT)
    # Only assets this code location builds (not placeholders for upstream tables).
    upstream = sorted(base.resolve_asset_graph().materializable_asset_keys, key=str)
    # The refresh job, its schedule and the inbox sensor live in defs/automation.py; the job
    # selects every asset, this one included.
    # Every job runs its steps one after the other in one process, the UI's "Materialize" of a
    # few assets included (Dagster's default would be one process per step, several at once,
    # and DuckDB allows one writing process): see docs/automation.md, "One writer".
    return dg.Definitions.merge(
        base,
        dg.Definitions(
            assets=[published_snapshot_asset(upstream)], executor=dg.in_process_executor
        ),
    )


defs = build_definitions()
__all__ = ["REFRESH_JOB", "ConstellationResource", "defs"]
