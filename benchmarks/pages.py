"""Server-side render time of dashboard pages with Streamlit's AppTest (run by benchmarks.run).

    CONSTELLATION_DB=... .venv/bin/python -m benchmarks.pages --runs 3 views/overview.py ...

Prints one JSON line: per page the median seconds of a cold run (Streamlit's data cache
cleared first, as after a refresh) and of a warm run (the cache filled by the run before).
The person page is opened for the person with the most interactions (`?id=`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import duckdb
import streamlit as st
from streamlit.testing.v1 import AppTest

from pipelines.settings import load_settings

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def busiest_person(snapshot: Path) -> str | None:
    with duckdb.connect(str(snapshot), read_only=True) as con:
        try:
            row = con.execute(
                "SELECT person_id FROM core.interactions GROUP BY ALL ORDER BY count(*) DESC"
                " LIMIT 1"
            ).fetchone()
        except duckdb.Error:
            return None
    return str(row[0]) if row else None


def render(page: str, params: dict[str, str]) -> float:
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.switch_page(page)
    for name, value in params.items():
        app.query_params[name] = value
    started = time.perf_counter()
    app.run()
    seconds = time.perf_counter() - started
    if app.exception:
        raise RuntimeError("; ".join(str(e.value)[:200] for e in app.exception))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args()
    person = busiest_person(load_settings().snapshot_path)
    results: dict[str, dict] = {}
    render(args.pages[0], {})  # import Streamlit, the app modules and DuckDB once
    for page in args.pages:
        params = {"id": person} if page.endswith("person.py") and person else {}
        cold, warm = [], []
        try:
            for _ in range(args.runs):
                st.cache_data.clear()
                cold.append(render(page, params))
                warm.append(render(page, params))
        except Exception as exc:  # report the page, measure the others
            results[page] = {"error": str(exc)[:300]}
            continue
        results[page] = {"cold": statistics.median(cold), "warm": statistics.median(warm)}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
