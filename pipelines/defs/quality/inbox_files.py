"""What is in the inbox: every file with its kind, or why it is left alone."""

import datetime as dt

import dagster as dg
import polars as pl

from pipelines import warehouse
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.lib import catalog, inbox
from pipelines.lib.loading import ensure_quality_tables, record_file, record_inbox_problems

INBOX_FILES_SCHEMA = pl.Schema(
    {
        "path": pl.String,
        "kind": pl.String,
        "size_bytes": pl.Int64,
        "export": pl.String,
        "snapshot_date": pl.Date,
        "note": pl.String,
    }
)


@dg.asset(
    key=["quality", "inbox_files"],
    group_name="quality",
    kinds={"duckdb", "python"},
    pool=WRITER_POOL,
)
def inbox_files(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """Every file found in the inbox with the kind it was recognised as. Files Constellation does
    not read, and symbolic links it does not follow, are listed with the reason (and recorded in
    `quality.file_loads` as skipped); archives that cannot be opened are recorded as failed,
    naming the file."""
    settings = constellation.settings()
    found = inbox.scan(settings.inbox, max_unpacked_bytes=settings.max_unpacked_bytes)
    rows = []
    not_used = []  # (path, kind, reason, snapshot date): listed as skipped in quality.file_loads
    for source in found.files:
        kind = catalog.kind_of(source)
        note = "" if kind else catalog.skip_reason(source)
        rows.append(
            _listed(source.path, kind, source.size, source.container, source.snapshot_date, note)
        )
        if not kind:
            not_used.append((source.path, catalog.skip_kind(source), note, source.snapshot_date))
    for link in found.not_followed:
        rows.append(_listed(link.path, None, 0, "", None, link.reason))
        not_used.append(
            (link.path, "link, not followed", f"{link.path}: not followed: {link.reason}", None)
        )
        context.log.warning(f"{link.path}: not followed: {link.reason}")
    skipped = len(not_used)
    with constellation.connect() as con:
        ensure_quality_tables(con)
        for path, kind, message, snapshot_date in not_used:
            record_file(
                con,
                context.run.run_id,
                path=path,
                kind=kind,
                table="",
                status="skipped",
                message=message,
                snapshot_date=snapshot_date,
            )
        for problem in record_inbox_problems(con, context.run.run_id, found.problems):
            context.log.error(problem.message)
        warehouse.replace_table(
            con, "quality.inbox_files", pl.DataFrame(rows, schema=INBOX_FILES_SCHEMA)
        )
    context.log.info(
        f"inbox {settings.inbox}: {len(rows)} files, {skipped} not used, "
        f"{len(found.problems)} unreadable"
    )
    return dg.MaterializeResult(
        metadata={
            "files": len(rows),
            "skipped": skipped,
            "unreadable": len(found.problems),
            "inbox": str(settings.inbox),
        }
    )


def _listed(
    path: str,
    kind: str | None,
    size: int,
    export: str,
    snapshot_date: dt.date | None,
    note: str,
) -> dict[str, object]:
    """One row of `quality.inbox_files`."""
    return {
        "path": path,
        "kind": kind,
        "size_bytes": size,
        "export": export,
        "snapshot_date": snapshot_date,
        "note": note,
    }
