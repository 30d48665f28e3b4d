"""What starts runs by itself: the refresh job, a daily schedule and the inbox sensor.

Both start the same job, `refresh_all_job` (every asset, every check, then the snapshot). The
job runs its steps one after the other in one process (`in_process_executor`): every step
writes the one DuckDB file, and DuckDB allows a single writing process. The instance settings
(`dagster.yaml`) let one run at a time; see docs/automation.md.
"""

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dagster as dg

from pipelines.defs.resources import ConstellationResource
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


@dg.sensor(
    job=refresh_all_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def inbox_sensor(
    context: dg.SensorEvaluationContext, constellation: ConstellationResource
) -> dg.SensorResult | dg.SkipReason:
    """Start a refresh when a file in the inbox is new or changed (size or modification time).

    Only those files are parsed: the loaders skip every file whose content (SHA-256) is already
    loaded. A file that disappears from the inbox starts nothing and deletes nothing."""
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
    context.log.info("new or changed: " + ", ".join(changes.to_load))
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=changes.run_key(current),
                tags={
                    "constellation/trigger": "inbox",
                    "constellation/files": str(len(changes.to_load)),
                },
            )
        ],
        cursor=changes.cursor,
    )
