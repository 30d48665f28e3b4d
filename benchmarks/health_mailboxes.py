"""The development mailboxes, loaded and measured as a user would: threads and the health score.

    .venv/bin/python -m benchmarks.health_mailboxes [--work DIR] [--reuse] [USER ...]

Each mailbox of `../shared/datasets/enron-mailboxes/` is unpacked to `DIR/<user>/inbox/`, its
owner's addresses written to `DIR/<user>/constellation.toml`, and loaded with
`constellation refresh --as-of 2002-02-01` into `DIR/<user>/w.duckdb` (35-90 s each on two
cores; `--reuse` keeps a warehouse that is already there). Then, per mailbox:

- threads: distinct messages, parent links (and how many point to a copy of the message itself:
  same sender, same start of new text), messages between people with a `RE:` subject and how
  many of them are marked replies, all email touches (the table in docs/email.md);
- the health backtest (`constellation backtest-health --dates 4`): pooled ROC AUC of the score
  and of its two baselines for both outcomes (the table in docs/metrics.md).

Not part of `make test`: it takes about five minutes and needs `../shared`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines import warehouse  # noqa: E402
from pipelines.lib import metrics_backtest, shared_data  # noqa: E402

THREAD_FIGURES = {
    "messages": "SELECT count(*) FROM staging.email_messages",
    "parent links": "SELECT count(parent_message_key) FROM staging.email_messages",
    "to a copy of itself": """
        SELECT count(*) FROM staging.email_messages AS m
        JOIN staging.email_messages AS p ON p.message_key = m.parent_message_key
        WHERE p.from_address = m.from_address AND left(p.snippet, 60) = left(m.snippet, 60)""",
    "RE: messages": """
        SELECT count(DISTINCT i.source_key) FROM core.interactions AS i
        JOIN staging.email_messages AS m ON m.message_key = i.source_key
        WHERE i.channel = 'email' AND regexp_matches(m.subject, '^\\s*re\\s*(\\[\\d+\\])?\\s*:', 'i')""",
    "marked reply": """
        SELECT count(DISTINCT i.source_key) FROM core.interactions AS i
        JOIN staging.email_messages AS m ON m.message_key = i.source_key
        WHERE i.channel = 'email' AND i.is_reply
          AND regexp_matches(m.subject, '^\\s*re\\s*(\\[\\d+\\])?\\s*:', 'i')""",
    "email touches": "SELECT count(*) FROM core.interactions WHERE channel = 'email'",
}


def load(user: str, work: Path, reuse: bool) -> Path | None:
    """The mailbox's warehouse (its snapshot), refreshed unless `reuse` finds one; None when
    the archive is not there."""
    folder = work / user
    snapshot = folder / "w.snapshot.duckdb"
    if reuse and snapshot.exists():
        return snapshot
    if shared_data.unpack_enron_mailbox(user, folder / "inbox") is None:
        print(f"{user}: no archive in ../shared/datasets/enron-mailboxes/, skipped")
        return None
    config = folder / "constellation.toml"
    config.write_text(shared_data.enron_owner_config(user))
    command = [
        str(Path(sys.executable).with_name("constellation")),
        "refresh",
        "--inbox",
        str(folder / "inbox"),
        "--db",
        str(folder / "w.duckdb"),
        "--as-of",
        shared_data.ENRON_AS_OF,
        "--config",
        str(config),
    ]
    started = dt.datetime.now()
    with (folder / "refresh.log").open("w") as log:
        subprocess.run(command, check=True, stdout=log, stderr=subprocess.STDOUT)
    print(f"{user}: loaded in {(dt.datetime.now() - started).total_seconds():.0f} s")
    return snapshot


def thread_figures(con) -> dict[str, int]:
    return {name: warehouse.scalar(con, query) for name, query in THREAD_FIGURES.items()}


def health_figures(con) -> pl.DataFrame:
    """The pooled rows of `constellation backtest-health --dates 4`, one per outcome."""
    as_of = dt.date.fromisoformat(shared_data.ENRON_AS_OF)
    result = metrics_backtest.backtest_as_of(con, as_of, dates=4)
    return result.filter(pl.col("scored_on") == "all")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("users", nargs="*", default=list(shared_data.ENRON_OWNERS))
    parser.add_argument("--work", type=Path, help="where the warehouses go (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="keep warehouses already loaded")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="constellation-mailboxes-"))
    threads, health = [], []
    for user in args.users:
        snapshot = load(user, work, args.reuse)
        if snapshot is None:
            continue
        with warehouse.connect(snapshot, read_only=True) as con:
            threads.append({"mailbox": user, **thread_figures(con)})
            health.append(health_figures(con).with_columns(pl.lit(user).alias("mailbox")))
    if not threads:
        print("no development mailbox found: is ../shared there?", file=sys.stderr)
        return 1
    with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_hide_dataframe_shape=True, float_precision=3):
        print(pl.DataFrame(threads))
        table = pl.concat(health).select(
            "mailbox", "outcome", "people", "positives", *metrics_backtest.PREDICTORS, "score_won"
        )
        print(table)
    scores = [value for value in table["health score"].to_list() if value is not None]
    print(
        f"health score: mean pooled AUC {statistics.mean(scores):.3f} over {len(scores)} cells; "
        f"beat both baselines on {int(table['score_won'].sum())} of {table.height}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
