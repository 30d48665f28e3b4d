"""The per-file load report shown after a refresh (the same rows as `quality.file_loads`)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import polars as pl

from pipelines import warehouse


def file_summary(db_path: Path, load_id: str) -> pl.DataFrame:
    with warehouse.connect(db_path, read_only=True) as con:
        if not warehouse.table_exists(con, "quality.file_loads"):
            return pl.DataFrame()
        return warehouse.frame(
            con,
            """SELECT path, kind, variant, rows_read, rows_loaded, rows_quarantined, status,
                      message
               FROM quality.file_loads WHERE load_id = ? ORDER BY path, kind""",
            [load_id],
        )


def owner_summary(db_path: Path) -> list[str]:
    """How the owner was identified, one line per identifier ("name Maya L (from Profile.csv)")."""
    with warehouse.connect(db_path, read_only=True) as con:
        if not warehouse.table_exists(con, "core.owner"):
            return []
        rows = warehouse.frame(con, "SELECT kind, value, source FROM core.owner").iter_rows()
        return [f"{kind} {value} (from {source})" for kind, value, source in rows]


# Files that hold one message each (a maildir, a folder of .eml files) are summed up per
# folder: a mailbox of 100,000 files would otherwise print 100,000 lines.
ONE_MESSAGE_VARIANTS = ("maildir", "eml")


def by_folder(summary: pl.DataFrame) -> pl.DataFrame:
    """The summary with the one-message files that loaded or were unchanged without a remark
    gathered into one row per folder, status and kind (`files` counts them; `path` is the
    folder with a trailing `/`). Files that failed, or that say something, keep their own row."""
    summary = summary.with_columns(files=pl.lit(1))
    one_message = pl.col("variant").str.split(",").list.first().is_in(ONE_MESSAGE_VARIANTS)
    quiet = pl.col("status").is_in(["loaded", "unchanged"]) & (
        pl.col("message").is_null() | (pl.col("message") == "") | (pl.col("status") == "unchanged")
    )
    grouped = summary.filter(one_message & quiet)
    if grouped.height == 0:
        return summary
    folders = (
        grouped.with_columns(path=pl.col("path").str.replace(r"[^/]*$", ""))
        .group_by("path", "status", "kind", "variant")
        .agg(
            pl.col("rows_read", "rows_loaded", "rows_quarantined", "files").sum(),
            pl.lit("").alias("message"),
        )
    )
    rest = summary.filter(~(one_message & quiet))
    return pl.concat([rest, folders.select(rest.columns)]).sort("path", "kind", "status")


def print_summary(summary: pl.DataFrame, out: TextIO) -> None:
    if summary.height == 0:
        print("\nNo input files were found.", file=out)
        return
    shown = by_folder(summary)
    print(f"\n{'status':<9} {'kind':<34} {'read':>8} {'loaded':>8} {'quarant.':>8}  file", file=out)
    for row in shown.iter_rows(named=True):
        count = row["files"]
        files = f" ({count:,} file{'s' if count > 1 else ''})" if row["path"].endswith("/") else ""
        print(
            f"{row['status']:<9} {row['kind']:<34} {row['rows_read']:>8,} {row['rows_loaded']:>8,} "
            f"{row['rows_quarantined']:>8,}  {row['path']}{files}"
            + (f"  [{row['variant']}]" if row["variant"] else ""),
            file=out,
        )
        if row["message"] and row["status"] in ("failed", "loaded", "skipped"):
            print(f"{'':<9} ↳ {row['message']}", file=out)
    totals = summary.select(pl.col("rows_read", "rows_loaded", "rows_quarantined").sum()).row(0)
    print(
        f"\n{summary.height} files: {totals[0]:,} rows read, {totals[1]:,} loaded, "
        f"{totals[2]:,} quarantined",
        file=out,
    )
