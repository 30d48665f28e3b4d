"""`make bench`: Constellation at heavy-user scale, against baselines measured in the same run.

    .venv/bin/python -m benchmarks.run            # the heavy user; writes docs/benchmarks.md
    .venv/bin/python -m benchmarks.run --quick    # the bundled-size sample, a minute or two

Measures, each a median of `--runs` runs (default 3), every contender in its own process:

- e-mail ingestion of the sample's largest mbox: Constellation's loader (split, decode headers,
  snippet, validate, write DuckDB) against Python's `mailbox.mbox` and `grep -c '^From '` on
  the same file; ratios and peak memory (max RSS of the process);
- a full refresh (`constellation refresh` into an empty warehouse): wall time, peak memory of
  the whole process tree (summed RSS, sampled from /proc every 50 ms) and the slowest steps;
- an incremental refresh: the same warehouse after one more day of mail arrives as a new file;
- the server-side render time of every dashboard page (Streamlit AppTest on the snapshot),
  cold (caches cleared) and warm;
- give/ask classification throughput (`pipelines.lib.classify.giveask.classify`).

Data lives under `--workdir` (default /tmp/constellation-bench), never in the repository; the
heavy sample is generated once and reused (`--regenerate` to redo it). The machine is described
in the output because timings depend on it and on whatever else runs there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import mail_ingest  # noqa: E402
from dashboard import page_files  # noqa: E402

AS_OF = "2024-12-20"
NEW_DAY = "2024-12-17"
DOC = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- bench:results:start -->"
END_MARK = "<!-- bench:results:end -->"
PAGES = page_files()
MIB = 2**20


# --- measuring a process tree -------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Summed resident memory of `root` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(pid, 0) for pid in tree)


@dataclass
class Run:
    seconds: float
    peak_tree: int  # summed RSS of the process tree, sampled
    peak_process: int  # max RSS of the largest single process (kernel's own account)
    stdout: str


def run_measured(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run `command`, sampling its process tree's memory; raise if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        tail = "\n".join(output.splitlines()[-30:])
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{tail}")
    return Run(seconds, peak, usage.ru_maxrss * 1024, output)


def median(values: list[float]) -> float:
    return statistics.median(values)


# --- data ---------------------------------------------------------------------------------------


def prepare_sample(work: Path, quick: bool, regenerate: bool) -> tuple[Path, dict]:
    """The sample (generated once per work folder) and what generating it took."""
    from pipelines.lib.sample import HEAVY, write_sample

    name = "quick" if quick else "heavy"
    folder = work / f"sample-{name}"
    stamp = work / f"sample-{name}.json"
    if regenerate or not stamp.exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating the {name} sample in {folder} …", flush=True)
        started = time.perf_counter()
        write_sample(folder, seed=7, scale=1 if quick else HEAVY)
        info = {"seconds": time.perf_counter() - started, "stand_in_mbox": False}
        if not mboxes(folder):
            # No mail generator in this checkout: a synthetic Takeout-style mbox stands in.
            mail = folder / "Takeout" / "Mail" / "All mail Including Spam and Trash.mbox"
            mail.parent.mkdir(parents=True, exist_ok=True)
            size = (32 if quick else 1024) * MIB
            began = time.perf_counter()
            mail_ingest.generate(mail, size)
            info["stand_in_mbox"] = True
            info["stand_in_seconds"] = time.perf_counter() - began
        info["bytes"] = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        stamp.write_text(json.dumps(info))
    return folder, json.loads(stamp.read_text())


def mboxes(folder: Path) -> list[Path]:
    return sorted(
        (p for p in folder.rglob("*.mbox") if p.is_file()), key=lambda p: p.stat().st_size
    )


def link_tree(source: Path, target: Path) -> None:
    """`target` as a copy of `source` made of hard links: same bytes, no disk, instant."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=os.link)


def one_day_of_mail(path: Path, sample: Path, messages: int) -> None:
    """A Takeout-style mbox of `messages` messages on NEW_DAY from the sample's own people (the
    day after the story ends), as a user drops in the next export."""
    import random

    from pipelines.lib.sample import HEAVY, build_cast

    quick = "quick" in sample.name
    cast = build_cast(7, 1 if quick else HEAVY)
    people = [c for c in cast.contacts if c.emails]
    rng = random.Random(17)
    owner = cast.owner.personal_email
    chunks = []
    for n in range(messages):
        who = rng.choice(people)
        outbound = rng.random() < 0.3
        sender, to = (owner, who.emails[0]) if outbound else (who.emails[0], owner)
        name = cast.owner.full_name if outbound else who.full_name
        stamp = f"Tue, 17 Dec 2024 {8 + n * 10 // messages:02d}:{n % 60:02d}:07 +0000"
        body = rng.choice(
            (
                "Thanks for the intro yesterday, really appreciated.",
                "Could you send me the slides by Friday?",
                "Here is the article I mentioned: https://blog.example.org/notes/42",
                "Are you free for coffee next week?",
            )
        )
        chunks.append(
            f"From 1800000000000{n:06d}@xxx Tue Dec 17 09:{n % 60:02d}:07 +0000 2024\n"
            f"X-GM-THRID: 1800000000000{n:06d}\n"
            "X-Gmail-Labels: Inbox,Category Personal\n"
            f"Message-ID: <day-{NEW_DAY}-{n}@bench.example>\n"
            f"Date: {stamp}\n"
            f'From: "{name}" <{sender}>\n'
            f"To: {to}\n"
            f"Subject: Following up ({n})\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\n"
            "\n"
            f"{body}\n\n"
        )
    path.write_text("".join(chunks), encoding="utf-8")


# --- the figures --------------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    value: str
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Report:
    quick: bool
    runs: int
    figures: list[Figure] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        mark = "" if figure.met is None else (" ok" if figure.met else " MISSED")
        print(f"  {figure.name:<46} {figure.value:>22}  {figure.target}{mark}", flush=True)


def mbox_prefix(path: Path, target: Path, limit: int) -> Path:
    """The first `limit` bytes of an mbox, cut before the separator of the message that would
    cross the limit (written once, reused)."""
    if path.stat().st_size <= limit:
        return path
    if not target.exists():
        with path.open("rb") as source:
            data = source.read(limit)
        cut = data.rfind(b"\nFrom ")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data[: cut + 1])
    return target


def bench_mail(report: Report, sample: Path, work: Path, runs: int, limit_mib: int) -> None:
    found = mboxes(sample)
    if not found:
        report.details.append("No mbox in the sample: e-mail ingestion not measured.")
        return
    whole = found[-1]
    path = whole
    if limit_mib:
        path = mbox_prefix(whole, work / f"mail-first-{limit_mib}MiB" / whole.name, limit_mib * MIB)
    size = path.stat().st_size
    what = f"{whole.relative_to(sample)} ({whole.stat().st_size / MIB:,.0f} MiB)"
    if path != whole:
        what = f"the first {size / MIB:,.0f} MiB of " + what
    print(f"\ne-mail ingestion: {what}", flush=True)
    report.details.append(f"E-mail ingestion ran on {what}.")
    results: dict[str, list[tuple[int, float, int]]] = {}
    for _ in range(runs):
        for name in ("constellation", "mailbox.mbox", mail_ingest.GREP):
            results.setdefault(name, []).append(mail_ingest.measure(name, path))
    count = results["constellation"][0][0]
    # Seconds inside the process (interpreter start-up and imports excluded: a fixed cost, not
    # throughput); grep's is its whole run.
    secs = {name: median([r[3] for r in rs]) for name, rs in results.items()}
    peaks = {name: max(r[2] for r in rs) for name, rs in results.items()}
    ratio = secs["mailbox.mbox"] / secs["constellation"]
    report.add(
        Figure(
            "e-mail ingestion (messages/s)",
            f"{count / secs['constellation']:,.0f} msg/s",
            f"{count:,} msgs, {size / MIB:,.0f} MiB in {secs['constellation']:.1f} s",
        )
    )
    report.add(
        Figure(
            "  vs Python mailbox.mbox",
            f"{ratio:.1f}x faster",
            "≥ 10x (aim 20x)",
            ratio >= 10,
            f"mailbox.mbox {secs['mailbox.mbox']:.1f} s",
        )
    )
    report.add(
        Figure(
            "  vs grep -c '^From ' (scan floor)",
            f"{secs['constellation'] / secs[mail_ingest.GREP]:.1f}x slower",
            f"grep {secs[mail_ingest.GREP]:.2f} s",
        )
    )
    report.add(
        Figure(
            "  peak memory, e-mail ingestion",
            f"{peaks['constellation'] / MIB:,.0f} MiB",
            "< 500 MB",
            peaks["constellation"] < 500e6,
            f"mailbox.mbox {peaks['mailbox.mbox'] / MIB:,.0f} MiB",
        )
    )


def refresh_command(inbox: Path, db: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pipelines.cli",
        "refresh",
        "--inbox",
        str(inbox),
        "--db",
        str(db),
        "--as-of",
        AS_OF,
    ]


def step_times(dagster_home: Path) -> list[tuple[str, float]]:
    """(step, seconds) of the latest run on an instance, slowest first."""
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        run = instance.get_runs(limit=1)[0]
        stats = instance.get_run_step_stats(run.run_id)
    found = [
        (s.step_key, (s.end_time or 0) - (s.start_time or 0))
        for s in stats
        if s.start_time and s.end_time
    ]
    return sorted(found, key=lambda item: -item[1])


def _refresh(inbox: Path, db: Path, home: Path) -> tuple[Run, list[tuple[str, float]]]:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    env.pop("CONSTELLATION_CONFIG", None)
    run = run_measured(refresh_command(inbox, db), env)
    return run, step_times(home)


def _clear_db(db: Path) -> None:
    for path in db.parent.glob(db.name.removesuffix(".duckdb") + "*"):
        path.unlink()


def bench_refresh(report: Report, sample: Path, work: Path, runs: int, quick: bool) -> Path:
    """Full refreshes into an empty warehouse, then incremental ones; returns the snapshot."""
    inbox = work / "inbox"
    link_tree(sample, inbox)
    db = work / "warehouse" / "w.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    print("\nfull refresh", flush=True)
    full: list[tuple[Run, list[tuple[str, float]]]] = []
    for i in range(runs):
        _clear_db(db)
        result = _refresh(inbox, db, work / "dagster_home")
        print(f"  run {i + 1}: {result[0].seconds:.1f} s", flush=True)
        full.append(result)
    seconds = median([r.seconds for r, _ in full])
    tree = max(r.peak_tree for r, _ in full)
    process = max(r.peak_process for r, _ in full)
    limit = 120
    report.add(
        Figure(
            "full refresh (wall)",
            f"{seconds:.1f} s",
            f"< {limit} s" if not quick else "",
            seconds < limit if not quick else None,
        )
    )
    report.add(
        Figure(
            "  peak memory (process tree)",
            f"{tree / MIB:,.0f} MiB",
            "< 2 GB",
            tree < 2e9,
            f"largest process {process / MIB:,.0f} MiB",
        )
    )
    report.details.append(_steps_table("Slowest steps of the last full refresh", full[-1][1]))
    # Keep the warehouse the last full refresh left; each incremental run starts from it.
    base = work / "warehouse-after-full"
    shutil.rmtree(base, ignore_errors=True)
    shutil.copytree(db.parent, base)
    day = inbox / f"Takeout-{NEW_DAY}" / "Mail" / "All mail Including Spam and Trash.mbox"
    day.parent.mkdir(parents=True, exist_ok=True)
    one_day_of_mail(day, sample, 40 if quick else 140)
    print("\nincremental refresh (one more day of mail)", flush=True)
    incremental: list[tuple[Run, list[tuple[str, float]]]] = []
    for i in range(runs):
        shutil.rmtree(db.parent)
        shutil.copytree(base, db.parent)
        result = _refresh(inbox, db, work / "dagster_home")
        print(f"  run {i + 1}: {result[0].seconds:.1f} s", flush=True)
        incremental.append(result)
    seconds = median([r.seconds for r, _ in incremental])
    report.add(
        Figure(
            "incremental refresh (+1 day of mail, new file)",
            f"{seconds:.1f} s",
            "< 15 s" if not quick else "",
            seconds < 15 if not quick else None,
            f"peak tree {max(r.peak_tree for r, _ in incremental) / MIB:,.0f} MiB",
        )
    )
    report.details.append(
        _steps_table("Slowest steps of the last incremental refresh", incremental[-1][1])
    )
    shutil.rmtree(day.parent.parent)
    return db


def _steps_table(title: str, steps: list[tuple[str, float]], n: int = 10) -> str:
    total = sum(s for _, s in steps)
    lines = [f"**{title}** (sum of steps {total:.1f} s):", "", "| step | seconds |", "|---|---:|"]
    lines += [f"| `{name}` | {seconds:.2f} |" for name, seconds in steps[:n]]
    return "\n".join(lines)


def bench_dashboard(report: Report, inbox: Path, db: Path, runs: int) -> None:
    print("\ndashboard pages (server-side, Streamlit AppTest)", flush=True)
    env = {
        **os.environ,
        "CONSTELLATION_INBOX": str(inbox),
        "CONSTELLATION_DB": str(db),
        "CONSTELLATION_AS_OF": AS_OF,
    }
    env.pop("CONSTELLATION_CONFIG", None)
    command = [sys.executable, "-m", "benchmarks.pages", "--runs", str(runs), *PAGES]
    out = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"dashboard benchmark failed:\n{out.stdout}\n{out.stderr}")
    timings = json.loads(out.stdout.strip().splitlines()[-1])
    for page, result in timings.items():
        if "error" in result:
            report.add(Figure(f"page {page}", "error", "< 1 s", False, result["error"]))
            continue
        cold, warm = result["cold"], result["warm"]
        report.add(
            Figure(
                f"page {page.removeprefix('pages/').removesuffix('.py')}",
                f"{cold:.2f} s cold, {warm:.2f} s warm",
                "< 1 s",
                cold < 1,
            )
        )


def bench_classifier(report: Report, db: Path, runs: int) -> None:
    print("\ngive/ask classification", flush=True)
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.classify", "--runs", str(runs), str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"classifier benchmark failed:\n{out.stdout}\n{out.stderr}")
    for line in out.stdout.strip().splitlines():
        result = json.loads(line)
        report.add(
            Figure(
                f"give/ask classify: {result['corpus']}",
                f"{result['per_second']:,.0f} msg/s",
                "≥ 10,000 msg/s",
                result["per_second"] >= 10_000,
                f"{result['messages']:,} messages, {result['distinct']:,} distinct",
            )
        )


# --- the machine and the report -----------------------------------------------------------------


def machine() -> list[str]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 2**20:.1f} GiB RAM"
    cores = len(os.sched_getaffinity(0))
    import duckdb
    import polars

    return [
        f"{cpu}, {cores} cores usable, {memory}",
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}, polars {polars.__version__}",
        "load average at start: " + " ".join(f"{x:.1f}" for x in os.getloadavg()),
    ]


def render(report: Report, header: list[str], sample_info: dict, started: str) -> str:
    lines = [
        START_MARK,
        f"Measured {started} ({'--quick, ' if report.quick else ''}median of {report.runs}"
        " runs; written by `make bench`, do not edit by hand).",
        "",
        *[f"- {h}" for h in header],
        "- load average at the end: " + " ".join(f"{x:.1f}" for x in os.getloadavg()),
        f"- sample generation: {sample_info['seconds']:.0f} s, "
        f"{sample_info['bytes'] / MIB:,.0f} MiB on disk"
        + (
            f" (mbox: a synthetic stand-in, {sample_info['stand_in_seconds']:.0f} s)"
            if sample_info.get("stand_in_mbox")
            else ""
        ),
        "",
        "| figure | measured | target | met | notes |",
        "|---|---:|---|---|---|",
    ]
    for f in report.figures:
        met = "" if f.met is None else ("yes" if f.met else "**no**")
        lines.append(f"| {f.name.strip()} | {f.value} | {f.target} | {met} | {f.note} |")
    lines += ["", *[d + "\n" for d in report.details], END_MARK]
    return "\n".join(lines)


def write_doc(path: Path, block: str) -> None:
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{START_MARK}\n{END_MARK}\n"
    before, _, rest = text.partition(START_MARK)
    _, _, after = rest.partition(END_MARK)
    path.write_text(before + block + after)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="bundled-size sample, one run")
    parser.add_argument("--runs", type=int, help="runs per figure (default 3, --quick 1)")
    parser.add_argument(
        "--workdir", default=str(Path(tempfile.gettempdir()) / "constellation-bench")
    )
    parser.add_argument("--regenerate", action="store_true", help="generate the sample again")
    parser.add_argument("--out", help="results file (default docs/benchmarks.md; --quick: none)")
    parser.add_argument(
        "--only", action="append", choices=["mail", "refresh", "dashboard", "classify"]
    )
    parser.add_argument(
        "--mail-mib",
        type=int,
        default=256,
        help="compare mail ingestion on the first N MiB of the mbox (0: all of it; default 256)",
    )
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    work = Path(args.workdir) / ("quick" if args.quick else "heavy")
    work.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    header = machine()
    print("\n".join(header), flush=True)
    sample, info = prepare_sample(work, args.quick, args.regenerate)
    print(
        f"sample: {sample} ({info['bytes'] / MIB:,.0f} MiB, generated in {info['seconds']:.0f} s)"
    )
    report = Report(args.quick, runs)
    only = set(args.only or ["mail", "refresh", "dashboard", "classify"])
    if "mail" in only:
        bench_mail(report, sample, work, runs, args.mail_mib)
    db = work / "warehouse" / "w.duckdb"
    if "refresh" in only or not db.exists():
        db = bench_refresh(report, sample, work, runs, args.quick)
    if "dashboard" in only:
        bench_dashboard(report, work / "inbox", db, runs)
    if "classify" in only:
        bench_classifier(report, db, runs)
    block = render(report, header, info, started)
    out = Path(args.out) if args.out else (None if args.quick else DOC)
    if out:
        write_doc(out, block)
        print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
