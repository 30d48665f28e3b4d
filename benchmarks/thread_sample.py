"""A hand check of rebuilt threads: draw parent matches to judge, then score the verdicts.

    .venv/bin/python -m benchmarks.thread_sample --work DIR            # print pairs to judge
    .venv/bin/python -m benchmarks.thread_sample --score LABELS.csv    # precision of verdicts

`DIR` holds the development mailboxes' warehouses as `benchmarks.health_mailboxes` loads them
(`DIR/<user>/w.snapshot.duckdb`). For each mailbox it draws `--per-mailbox` messages (default
13, 52 in all) whose parent was found by subject and shared people (mail without reply headers:
`staging.email_messages.parent_message_key` on a `subject:` thread), in a seeded order that does
not depend on the run, and prints each with its parent: date, sender, recipients, subject, the
start of the new text and the file, so the full text can be read.

A verdict file is a CSV with the columns `mailbox, reply_id, parent_id, verdict, reason`, ids
being `message_key`s (no mail text is kept in it), `verdict` one of `right` (the message
follows up on that parent: it answers it, or continues that exchange), `wrong` (it has
nothing to do with it, or follows up something else) and `unclear` (the text does not say).
Precision = right / (right + wrong). docs/email.md has the judging guide and the figures.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines import warehouse  # noqa: E402
from pipelines.lib import shared_data  # noqa: E402

VERDICTS = ("right", "wrong", "unclear")
PAIRS = """
    WITH person AS (
        SELECT message_key,
               string_agg(address, ', ' ORDER BY role, position) AS recipients
        FROM staging.email_recipients GROUP BY message_key
    ), one AS (
        SELECT m.message_key, m.date_utc, m.from_address, p.recipients, m.subject,
               left(regexp_replace(coalesce(m.snippet, ''), '\\s+', ' ', 'g'), 240) AS text,
               m.source_path, m.parent_message_key
        FROM staging.email_messages AS m LEFT JOIN person AS p USING (message_key)
    )
    SELECT r.message_key AS reply_id, r.parent_message_key AS parent_id,
           r.date_utc AS r_date, r.from_address AS r_from, r.recipients AS r_recipients,
           r.subject AS r_subject, r.text AS r_text, r.source_path AS r_file,
           p.date_utc AS p_date, p.from_address AS p_from, p.recipients AS p_recipients,
           p.subject AS p_subject, p.text AS p_text, p.source_path AS p_file
    FROM one AS r JOIN one AS p ON p.message_key = r.parent_message_key
    JOIN staging.email_messages AS m ON m.message_key = r.message_key
    WHERE m.thread_id LIKE 'subject:%'
    ORDER BY hash(r.message_key || ?::VARCHAR), reply_id
    LIMIT ?
"""


def draw(work: Path, per_mailbox: int, seed: int) -> None:
    for user in shared_data.ENRON_OWNERS:
        snapshot = work / user / "w.snapshot.duckdb"
        if not snapshot.exists():
            print(f"{user}: no warehouse at {snapshot}, skipped")
            continue
        with warehouse.connect(snapshot, read_only=True) as con:
            pairs = warehouse.frame(con, PAIRS, [seed, per_mailbox])
        for number, pair in enumerate(pairs.iter_rows(named=True), start=1):
            print(
                f"=== {user} #{number}  reply_id {pair['reply_id']}  parent_id {pair['parent_id']}"
            )
            for side, p in (("PARENT", "p_"), ("REPLY ", "r_")):
                print(f"  {side} {pair[p + 'date']:%Y-%m-%d %H:%M} {pair[p + 'from']}")
                print(f"         to {pair[p + 'recipients']}")
                print(f"         {pair[p + 'subject']!r}  [{pair[p + 'file']}]")
                print(f"         {pair[p + 'text']}")


def score(labels: Path) -> int:
    with labels.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    bad = [row for row in rows if row["verdict"] not in VERDICTS]
    if bad:
        print(f"{labels}: verdicts must be one of {VERDICTS}: {bad[0]}", file=sys.stderr)
        return 2
    for mailbox in [*dict.fromkeys(row["mailbox"] for row in rows), "all"]:
        counts = Counter(row["verdict"] for row in rows if mailbox in ("all", row["mailbox"]))
        judged = counts["right"] + counts["wrong"]
        precision = f"{counts['right'] / judged:.2f}" if judged else "n/a"
        print(
            f"{mailbox:>11}: {counts['right']} right, {counts['wrong']} wrong, "
            f"{counts['unclear']} unclear; precision {precision}"
        )
    reasons = Counter(row["reason"] for row in rows if row["verdict"] == "wrong")
    for reason, count in reasons.most_common():
        print(f"  wrong, {reason}: {count}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="the warehouses of benchmarks.health_mailboxes")
    parser.add_argument("--per-mailbox", type=int, default=13)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--score", type=Path, help="a verdict CSV to score instead")
    args = parser.parse_args(argv)
    if args.score:
        return score(args.score)
    if not args.work:
        parser.error("--work DIR or --score LABELS.csv")
    draw(args.work, args.per_mailbox, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
