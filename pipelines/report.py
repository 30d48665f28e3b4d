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


def print_summary(summary: pl.DataFrame, out: TextIO) -> None:
    if summary.height == 0:
        print("\nNo input files were found.", file=out)
        return
    print(f"\n{'status':<9} {'kind':<34} {'read':>8} {'loaded':>8} {'quarant.':>8}  file", file=out)
    for row in summary.iter_rows(named=True):
        print(
            f"{row['status']:<9} {row['kind']:<34} {row['rows_read']:>8,} {row['rows_loaded']:>8,} "
            f"{row['rows_quarantined']:>8,}  {row['path']}"
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
