"""`constellation`: refresh the warehouse, write the sample data, open the dashboard.

Every option has an environment variable of the same meaning (CONSTELLATION_INBOX,
CONSTELLATION_DB, CONSTELLATION_AS_OF, CONSTELLATION_CONFIG); options win.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.settings import (
    DEFAULT_SAMPLE,
    ENV_CONFIG,
    ENV_DB,
    ENV_INBOX,
    ConfigError,
    Settings,
    load_settings,
)

if TYPE_CHECKING:
    import dagster as dg


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(
        inbox=getattr(args, "inbox", None),
        db_path=getattr(args, "db", None),
        as_of=getattr(args, "as_of", None),
        config_path=getattr(args, "config", None),
    )


def refresh(args: argparse.Namespace) -> int:
    """Materialise the refresh job — the same asset graph the schedule runs — and report."""
    settings = _settings(args)
    if not settings.inbox.exists():
        print(f"error: inbox folder {settings.inbox} does not exist", file=sys.stderr)
        return 2
    from pipelines.lib import refresh_inputs

    inputs = refresh_inputs.read_inputs(settings)
    last = None if args.force else refresh_inputs.unchanged_since(settings, inputs.fingerprint)
    if last is not None:
        print(
            f"Nothing new since the refresh of {last.finished_at}: the inbox, your settings and "
            f"the as-of date ({settings.as_of_date.isoformat()}) are as they were.\n"
            f"Snapshot unchanged: {settings.snapshot_path}\n"
            "(`constellation refresh --force` rebuilds every table anyway.)"
        )
        return 0
    new_files = None if args.force else refresh_inputs.new_inbox_files(settings, inputs)
    refresh_inputs.forget_last(settings)  # until this run has ended well
    os.environ.update(settings.to_env())  # the definitions read the same settings
    from pipelines.instance import ensure_dagster_home, fail_abandoned_runs, run_tags

    ensure_dagster_home()
    import dagster as dg

    from pipelines.definitions import REFRESH_JOB, defs
    from pipelines.report import file_summary, owner_summary, print_summary

    where = "the bundled sample data (data/inbox is empty)" if settings.using_sample else ""
    print(f"Refreshing {settings.db_path}\n  from {settings.inbox} {where}".rstrip())
    print(f"  as of {settings.as_of_date.isoformat()}")
    selection = None if new_files is None else _fed_by(settings, new_files)
    job = defs.resolve_job_def(REFRESH_JOB)
    with dg.DagsterInstance.get() as instance:
        for run_id in fail_abandoned_runs(instance):
            print(f"  an earlier refresh ({run_id}) was interrupted; it is marked failed")
        # Naming the console logger in the run config selects the concise progress logger.
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {}}},
            tags=run_tags(),
            asset_selection=selection,
        )
    summary = file_summary(settings.db_path, result.run_id)
    print_summary(summary, sys.stdout)
    owner = owner_summary(settings.db_path)
    print(
        "\nYou are: " + "; ".join(owner)
        if owner
        else "\nWho you are could not be detected: set [owner] in constellation.toml "
        "(see constellation.example.toml)."
    )
    failed_files = summary.filter(summary["status"] == "failed").height
    if not result.success:
        print("\nThe run failed; the last good snapshot was kept. See the messages above.")
        return 1
    if failed_files:
        print(f"\n{failed_files} file(s) could not be read; everything else was loaded.")
        return 1
    refresh_inputs.record(settings, inputs)
    print(f"\nDone. Snapshot for the dashboard and SQL: {settings.snapshot_path}")
    return 0


def _fed_by(settings: Settings, new_files: list[str]) -> list[dg.AssetKey] | None:
    """The tables that the inbox files `new_files`, added or changed since the last good
    refresh (nothing else changed since), feed: only they can come out different. Says so.
    None (everything) when the inbox scan does not list one of them as it is named there: a
    file reached through a link into the inbox itself is loaded under its other path."""
    from pipelines.definitions import defs
    from pipelines.defs.automation import assets_fed_by
    from pipelines.lib import inbox_watch
    from pipelines.lib.inbox import IGNORED_NAMES

    kinds_by_file = inbox_watch.kinds_of(
        settings.inbox, new_files, max_unpacked_bytes=settings.max_unpacked_bytes
    )
    # hidden files and folders (`.DS_Store`, `.git/…`) and `Thumbs.db` and the like are never
    # read: leave them out
    unplaced = [
        path
        for path in new_files
        if path not in kinds_by_file
        and not any(part.startswith(".") for part in path.split("/"))
        and path.rsplit("/", 1)[-1] not in IGNORED_NAMES
    ]
    if unplaced:
        print(
            f"  {len(new_files):,} file(s) new or changed since the last refresh, "
            f"{unplaced[0]} not where the inbox is read from: every table is refreshed"
        )
        return None
    kinds = sorted({kind for found in kinds_by_file.values() for kind in found})
    selection = assets_fed_by(kinds, defs.resolve_asset_graph())
    print(
        f"  {len(new_files):,} file(s) new or changed since the last refresh "
        f"({', '.join(kinds) or 'nothing Constellation reads'}), nothing else: only the "
        f"{len(selection)} tables they feed are refreshed (`--force` refreshes all)"
    )
    return selection


def sample(args: argparse.Namespace) -> int:
    import time

    from pipelines.lib.sample import HEAVY, write_sample

    out = Path(args.out).resolve()
    started = time.perf_counter()
    written = write_sample(out, seed=args.seed, scale=HEAVY if args.heavy else args.scale)
    print(f"Wrote {len(written)} files to {out} in {time.perf_counter() - started:.0f} s")
    return 0


def dashboard(args: argparse.Namespace) -> int:
    from dashboard.server import streamlit_command

    settings = _settings(args)
    env = {**os.environ, **settings.to_env()}
    command = streamlit_command(args.address, args.port)
    url = f"http://{args.address}:{args.port}"
    print(f"Dashboard on {url} (reading {settings.snapshot_path}); Ctrl-C stops it")
    sys.stdout.flush()
    server = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)
    # Stopping this command stops the dashboard: it is never left running on its own.
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    try:
        if not args.no_browser and _answers(f"{url}/_stcore/health", server):
            webbrowser.open(url)
        return server.wait()
    except KeyboardInterrupt:  # Ctrl-C reaches the server too; let it finish
        return server.wait()


def _answers(url: str, server: subprocess.Popen, timeout: float = 60) -> bool:
    """Whether the server at `url` answers before `timeout` seconds (False if it exits)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def dagster(args: argparse.Namespace) -> int:
    """The Dagster UI and daemon (schedule, inbox sensor, run queue) on the persistent instance
    in data/dagster_home, loading the code location named in workspace.yaml."""
    _settings(args)  # a bad option or configuration file is reported here, not in the UI
    # Only options given here are passed on: the inbox is resolved again at every sensor tick,
    # so files dropped into an empty data/inbox are noticed instead of the bundled sample.
    for name, value in ((ENV_INBOX, args.inbox), (ENV_DB, args.db), (ENV_CONFIG, args.config)):
        if value:
            os.environ[name] = str(Path(value).expanduser().resolve())
    from pipelines.instance import ensure_dagster_home, fail_abandoned_runs

    home = ensure_dagster_home()
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        for run_id in fail_abandoned_runs(instance):
            print(f"an interrupted refresh ({run_id}) is marked failed")
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-m", "dagster", "dev", "-w", str(root / "workspace.yaml")]
    command += ["-h", args.address, "-p", str(args.port)]
    print(f"Dagster UI on http://{args.address}:{args.port} (instance {home}); Ctrl-C stops it")
    sys.stdout.flush()
    os.chdir(root)
    # Started in the background (`nohup constellation dagster &`), the shell ignores SIGINT, and
    # `dagster dev` maps SIGTERM to whatever SIGINT does: `kill` would then not stop it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # Become `dagster dev`, so that Ctrl-C (or `kill`) reaches it and it stops the UI, the
    # daemon and the code server cleanly (a parent process would leave them orphaned).
    os.execv(sys.executable, command)
    return 0  # not reached


def backtest_health(args: argparse.Namespace) -> int:
    from pipelines.lib.metrics_backtest import report

    return report(_settings(args), args.dates)


def evaluate_classifier(args: argparse.Namespace) -> int:
    from pipelines.lib.classify.evaluate import main as evaluate

    return evaluate([])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="constellation",
        description="Local relationship health from your LinkedIn, contacts, calendar and mail.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--db", help="warehouse file (env CONSTELLATION_DB)")
        sub.add_argument("--config", help="configuration file (env CONSTELLATION_CONFIG)")

    run = commands.add_parser("refresh", help="ingest the inbox and rebuild every table now")
    run.add_argument("--inbox", help="folder with your exports (env CONSTELLATION_INBOX)")
    run.add_argument(
        "--as-of",
        help="compute metrics as of this date, YYYY-MM-DD (env CONSTELLATION_AS_OF; default today)",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="rebuild every table even when nothing changed since the last refresh",
    )
    common(run)
    run.set_defaults(func=refresh)

    gen = commands.add_parser("sample", help="write the synthetic sample data set")
    gen.add_argument(
        "--out", default=str(DEFAULT_SAMPLE), help="folder to write (default data/sample)"
    )
    gen.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    size = gen.add_mutually_exclusive_group()
    size.add_argument("--scale", type=int, default=1, help="size multiplier (default 1)")
    size.add_argument(
        "--heavy",
        action="store_true",
        help="a heavy user: ten years, ~10,000 connections, ~500,000 e-mails (docs/benchmarks.md)",
    )
    gen.set_defaults(func=sample)

    dash = commands.add_parser("dashboard", help="open the dashboard")
    common(dash)
    dash.add_argument("--port", type=int, default=8501)
    dash.add_argument(
        "--address",
        default="127.0.0.1",
        help="listen address (default 127.0.0.1: only this machine)",
    )
    dash.add_argument("--no-browser", action="store_true", help="do not open a browser")
    dash.set_defaults(func=dashboard)

    ui = commands.add_parser(
        "dagster", help="start the Dagster UI and daemon: daily schedule, inbox sensor, history"
    )
    ui.add_argument("--inbox", help="folder with your exports (env CONSTELLATION_INBOX)")
    common(ui)
    ui.add_argument("--port", type=int, default=3000)
    ui.add_argument(
        "--address",
        default="127.0.0.1",
        help="listen address (default 127.0.0.1: only this machine)",
    )
    ui.set_defaults(func=dagster)

    ev = commands.add_parser(
        "evaluate-classifier",
        help="precision, recall and F1 of ask detection on the enron-intent test split",
    )
    ev.set_defaults(func=evaluate_classifier)

    bt = commands.add_parser(
        "backtest-health",
        help="does the health score foresee who you will be in touch with? ROC AUC against "
        "recency-only and count-only baselines, on your own history",
    )
    bt.add_argument("--as-of", help="end of the evaluation, YYYY-MM-DD (default: as-of date)")
    bt.add_argument("--dates", type=int, default=8, help="how many past dates (default 8)")
    common(bt)
    bt.set_defaults(func=backtest_health)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def run() -> None:
    """The `constellation` command: `main`, then an exit that skips tearing down the
    interpreter. Every file is closed by then (the warehouse, the snapshot, the Dagster
    instance, each in a `with`), but unloading thousands of modules and freeing every object
    one by one took 0.5-0.75 s after a refresh, as long as refreshing one day of mail's
    tables. The exit handlers run and the output is flushed first."""
    code = main()
    # What the program registered to do at exit still runs (log handlers flushed, the temporary
    # folder of the mail reader's worker processes removed); only the teardown is skipped.
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        # a closed pipe (`| head`): nothing more can be said
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
