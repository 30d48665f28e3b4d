"""Give/ask classification throughput (run by benchmarks.run).

    .venv/bin/python -m benchmarks.classify --runs 3 WAREHOUSE.duckdb

Prints one JSON line per corpus: the sample's LinkedIn messages and e-mail snippets from the
warehouse, and the enron-intent sentences the classifier is evaluated on (real e-mail text, all
different). Throughput is messages per second through `giveask.classify`, median of the runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import duckdb

from pipelines.lib.classify import giveask
from pipelines.lib.classify.dataset import DatasetMissing, load_split, split_path

QUERIES = {
    "sample LinkedIn messages": "SELECT content FROM raw.linkedin_messages WHERE content <> ''",
    "sample e-mail snippets": "SELECT snippet FROM raw.email_messages WHERE snippet <> ''",
}


def corpora(db: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for name, sql in QUERIES.items():
            try:
                found[name] = [row[0] for row in con.execute(sql).fetchall()]
            except duckdb.Error:
                continue
    try:
        texts = load_split(split_path("train"))[0] + load_split(split_path("test"))[0]
    except DatasetMissing as missing:
        print(f"  left out: {missing}")
    else:
        found["enron-intent sentences"] = texts
    return {name: texts for name, texts in found.items() if texts}


def throughput(texts: list[str], runs: int) -> float:
    giveask.classify("warm up: load the model")
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        for text in texts:
            giveask.classify(text)
        seconds.append(time.perf_counter() - started)
    return len(texts) / statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("db")
    args = parser.parse_args()
    for name, texts in corpora(Path(args.db)).items():
        per_second = throughput(texts, args.runs)
        result = {"corpus": name, "messages": len(texts), "distinct": len(set(texts))}
        print(json.dumps({**result, "per_second": per_second}), flush=True)


if __name__ == "__main__":
    main()
