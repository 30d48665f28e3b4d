"""What starts runs by itself: the refresh job, a daily schedule and the inbox sensor.

Both start the same job, `refresh_all_job` (every asset, every check, then the snapshot). The
job runs its steps one after the other in one process (`in_process_executor`): every step
writes the one DuckDB file, and DuckDB allows a single writing process. The instance settings
(`dagster.yaml`) let one run at a time; see docs/automation.md.
"""

import os
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dagster as dg
from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph

from pipelines.defs.resources import ConstellationResource
from pipelines.defs.user_state.state import FORGOTTEN_ROWS
from pipelines.lib import inbox_watch
from pipelines.settings import load_settings

REFRESH_JOB = "refresh_all_job"
DEFAULT_SCHEDULE = "0 6 * * *"  # every day at 06:00

refresh_all_job = dg.define_asset_job(
    REFRESH_JOB,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Refresh everything: ingest the inbox (unchanged files are skipped), rebuild the "
    "model and the marts, run every check, publish the snapshot.",
)


def local_timezone() -> str:
    """The machine's time zone name (e.g. Europe/Berlin), so 06:00 means 06:00 where you are."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        try:
            if name:
                ZoneInfo(name)
                return name
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return "UTC"


def _schedule_settings() -> tuple[str, str]:
    section = load_settings().section("schedule")
    return str(section.get("cron", DEFAULT_SCHEDULE)), str(
        section.get("timezone") or local_timezone()
    )


_cron, _timezone = _schedule_settings()

refresh_all_job_schedule = dg.ScheduleDefinition(
    name=f"{REFRESH_JOB}_schedule",
    job=refresh_all_job,
    cron_schedule=_cron,
    execution_timezone=_timezone,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Refresh everything once a day (06:00 local time unless [schedule] cron and "
    "timezone in constellation.toml say otherwise). Runs as soon as `make dagster` is up.",
)


# Always part of an inbox run: it lists what is in the inbox now (and records unreadable archives).
INBOX_FILES_KEY = dg.AssetKey(["quality", "inbox_files"])


def inbox_run_selection(
    kinds: Iterable[str], asset_graph: BaseAssetGraph, instance: dg.DagsterInstance
) -> list[dg.AssetKey] | None:
    """The assets a run for new or changed files of `kinds` materialises: the raw tables of those
    kinds, the inbox listing, everything built from them (down to the snapshot), and the other
    tables of a multi-asset that loads them together (mail, calendar).

    None — the whole job — while some asset has never been materialised on this instance: the
    marts read every staging table, so a partial run needs one complete refresh before it."""
    known = asset_graph.materializable_asset_keys
    latest = instance.get_latest_materialization_events(known)
    if any(latest.get(key) is None for key in known):
        return None
    return assets_fed_by(kinds, asset_graph)


def assets_fed_by(kinds: Iterable[str], asset_graph: BaseAssetGraph) -> list[dg.AssetKey]:
    """What new or changed files of `kinds` feed, in a warehouse where every table was built:
    the raw tables of those kinds, the inbox listing, everything built from them (down to the
    snapshot), and the other tables of a multi-asset that loads them together."""
    known = asset_graph.materializable_asset_keys
    raw = dg.AssetSelection.assets(
        *(key for key in (dg.AssetKey(["raw", kind]) for kind in kinds) if key in known)
    ).required_multi_asset_neighbors()
    # Forgetting (quality.forgotten_rows) runs after every raw table and before every staging
    # table built from one, so all of them lie downstream of any raw table. Follow only what is
    # built from the raw tables of these kinds; the purge runs too (it may remove rows of the
    # new files) and removes rows of the other kinds' staging tables in place.
    forgetting = dg.AssetSelection.assets(FORGOTTEN_ROWS)
    built_from_raw = (raw.downstream(depth=1, include_self=False) - forgetting).downstream()
    selection = (
        dg.AssetSelection.assets(INBOX_FILES_KEY).downstream() | raw | forgetting | built_from_raw
    ).required_multi_asset_neighbors()
    return sorted(selection.resolve(asset_graph), key=lambda key: key.to_user_string())


@dg.sensor(
    job=refresh_all_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def inbox_sensor(
    context: dg.SensorEvaluationContext, constellation: ConstellationResource
) -> dg.SensorResult:
    """Start a run when a file in the inbox is new or changed (size or modification time).

    The run loads only the raw tables of the kinds those files hold, then rebuilds what depends
    on them (until one complete refresh has succeeded, it refreshes everything). Within a table
    the loaders skip every file whose content (SHA-256) is already loaded. A file that
    disappears from the inbox starts nothing and deletes nothing."""
    settings = constellation.settings()
    current = inbox_watch.fingerprints(settings.inbox)
    changes = inbox_watch.compare(current, context.cursor)
    if not changes.to_load:
        reasons = []
        if changes.removed:
            reasons.append(
                f"{len(changes.removed)} file(s) left the inbox; their data stays: "
                + ", ".join(changes.removed[:5])
            )
        if changes.settling:
            reasons.append(f"{len(changes.settling)} file(s) still being written")
        return dg.SensorResult(
            skip_reason=dg.SkipReason("; ".join(reasons) or f"nothing new in {settings.inbox}"),
            cursor=changes.cursor,
        )
    kinds_by_file = inbox_watch.kinds_of(
        settings.inbox, changes.to_load, max_unpacked_bytes=settings.max_unpacked_bytes
    )
    kinds = sorted({kind for found in kinds_by_file.values() for kind in found})
    context.log.info(
        "new or changed: "
        + "; ".join(f"{p} ({', '.join(k) or 'not used'})" for p, k in kinds_by_file.items())
    )
    if context.repository_def is None:
        raise dg.DagsterInvariantViolationError("the inbox sensor needs its code location")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=changes.run_key(current),
                asset_selection=inbox_run_selection(
                    kinds, context.repository_def.asset_graph, context.instance
                ),
                tags={
                    "constellation/trigger": "inbox",
                    "constellation/files": str(len(changes.to_load)),
                    "constellation/kinds": ",".join(kinds) or "none",
                },
            )
        ],
        cursor=changes.cursor,
    )
