"""Benchmark the mail ingester against what a user would write by hand, on one synthetic mbox.

    .venv/bin/python benchmarks/mail_ingest.py                 # 1 GiB mbox in a temp folder
    .venv/bin/python benchmarks/mail_ingest.py --size-mb 2048 --keep /tmp/bench.mbox

Generates a realistic Gmail-Takeout-style mbox (X-GM-THRID/X-Gmail-Labels, Received chains,
long folded DKIM signatures, RFC 2047 subjects and names, multipart/alternative bodies, HTML
newsletters, base64 attachments from a few KB to a few MB), then measures, each in its own
process so that peak memory (max RSS) is per contender:

1. `constellation`: this ingester, the whole load — split, decode headers, snippet, body hash,
   validate and write `raw.email_messages` + `raw.email_recipients` into a DuckDB warehouse
   (an mbox of 64 MB or more is read by worker processes, one per core);
2. `constellation (no snippets)`: the same with `store_email_snippets = false`;
3. `mailbox.mbox`: Python's `mailbox.mbox`, iterating and reading From/To/Cc/Date/Subject/
   Message-ID — what a user would write by hand;
4. `grep -c '^From '`: a scan-speed floor.

Each contender runs `--runs` times (default 3); the medians are printed. Times are wall-clock:
"total" is the whole process (interpreter start-up and imports included: about 2 s for
Constellation, which imports polars, DuckDB and pandera; nothing for the others), "ingest" is
the work itself. Peak memory is the largest sum of the resident memory of the contender's
process and all its descendants (worker processes, grep), sampled every 20 ms, and never less
than the process's own maximum.

    .venv/bin/python benchmarks/mail_ingest.py --keep /tmp/big.mbox --size-mb 2048 --runs 3
    .venv/bin/python benchmarks/mail_ingest.py --mbox "path/to/All mail.mbox"   # any mbox

Not a test: it takes minutes and prints numbers; docs/benchmarks.md records a run.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = [
    "Ana",
    "Ben",
    "Chloé",
    "Dev",
    "Eva",
    "Finn",
    "Grace",
    "Hugo",
    "Iris",
    "Jonas",
    "Kenji",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
    "Jürgen",
]
LAST = [
    "Berg",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "García",
    "Hansen",
    "Ito",
    "Jensen",
    "Khan",
    "López",
    "Müller",
    "Novak",
    "Olsen",
    "Patel",
    "Rossi",
    "Schmidt",
    "Weber",
]
DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "corp.example"]
WORDS = [
    "project",
    "budget",
    "meeting",
    "lunch",
    "review",
    "draft",
    "plan",
    "quarter",
    "launch",
    "hiring",
    "design",
    "numbers",
    "slides",
    "feedback",
    "contract",
    "travel",
    "offsite",
    "roadmap",
    "dinner",
    "coffee",
    "intro",
]
LABELS = [
    "Inbox",
    "Important",
    "Opened",
    "Unread",
    "Category Personal",
    "Category Updates",
    "Category Promotions",
    "Sent",
    '"Clients, 2024"',
    "=?UTF-8?Q?Fran=C3=A7ais?=",
]


def person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    address = f"{first.lower()}.{last.lower()}@{rng.choice(DOMAINS)}"
    address = address.encode("ascii", "ignore").decode()
    return f"{first} {last}", address


def encoded_name(name: str) -> str:
    if name.isascii():
        return f'"{name}"'
    return "=?UTF-8?B?" + base64.b64encode(name.encode()).decode() + "?="


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def message(rng: random.Random, n: int, blobs: list[bytes]) -> bytes:
    when = 1_500_000_000 + n * 97 + rng.randrange(90)
    stamp = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(when))
    envelope = time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(when))
    sender_name, sender = person(rng)
    to = [person(rng) for _ in range(rng.choice([1, 1, 1, 2, 3, 5]))]
    cc = [person(rng) for _ in range(rng.choice([0, 0, 0, 1, 2]))]
    newsletter = rng.random() < 0.25
    subject = sentence(rng, rng.randrange(3, 9))[:-1]
    if rng.random() < 0.3:
        subject = "Re: " + subject
    if rng.random() < 0.1:
        subject = "=?UTF-8?B?" + base64.b64encode(("Café " + subject).encode()).decode() + "?="
    thread = 1_600_000_000_000_000_000 + n // 3
    labels = ",".join(rng.sample(LABELS, rng.randrange(1, 5)))
    dkim = "b=" + base64.b64encode(rng.randbytes(256)).decode()
    dkim_folded = "\n\t".join(dkim[i : i + 70] for i in range(0, len(dkim), 70))
    lines = [
        f"From {thread}@xxx {envelope}",
        f"X-GM-THRID: {thread}",
        f"X-Gmail-Labels: {labels}",
        "Delivered-To: owner@example.com",
    ]
    for hop in range(rng.randrange(2, 5)):
        lines.append(
            f"Received: from mx{hop}.example.net (mx{hop}.example.net. [192.0.2.{hop}])\n"
            f"        by mx.example.com with ESMTPS id x{n}{hop}\n        for <owner@example.com>; {stamp}"
        )
    lines += [
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;\n\t{dkim_folded}",
        f"Message-ID: <{n}.{when}@{sender.split('@')[1]}>",
        f"Date: {stamp}",
        f"From: {encoded_name(sender_name)} <{sender}>",
        "To: " + ",\n ".join(f"{encoded_name(a)} <{b}>" for a, b in to),
    ]
    if cc:
        lines.append("Cc: " + ", ".join(f"{encoded_name(a)} <{b}>" for a, b in cc))
    lines.append(f"Subject: {subject}")
    if newsletter:
        lines += ["List-Unsubscribe: <mailto:unsubscribe@news.example.com>", "Precedence: bulk"]
    if n % 7 == 1:
        lines.append(f"In-Reply-To: <{n - 1}.{when - 97}@example.com>")
        lines.append(f"References: <{n - 1}.{when - 97}@example.com>")
    text = "\n".join(sentence(rng, rng.randrange(5, 20)) for _ in range(rng.randrange(2, 40)))
    html = (
        "<html><body>"
        + "".join(
            f"<p>{sentence(rng, rng.randrange(5, 25))}</p>" for _ in range(rng.randrange(5, 120))
        )
        + "</body></html>"
    )
    attach = rng.random() < 0.12
    lines += [
        "MIME-Version: 1.0",
        f'Content-Type: multipart/{"mixed" if attach else "alternative"}; boundary="b{n}"',
        "",
    ]
    body = [f"--b{n}", "Content-Type: text/plain; charset=UTF-8", "", text, ""]
    body += [f"--b{n}", "Content-Type: text/html; charset=UTF-8", "", html, ""]
    if attach:
        blob = rng.choice(blobs)
        size = min(len(blob), rng.choice([20_000, 60_000, 200_000, 800_000, 3_000_000]))
        body += [
            f"--b{n}",
            'Content-Type: application/pdf; name="file.pdf"',
            "Content-Transfer-Encoding: base64",
            'Content-Disposition: attachment; filename="file.pdf"',
            "",
            blob[:size].decode(),
            "",
        ]
    body.append(f"--b{n}--")
    return ("\n".join(lines + body) + "\n\n").encode()


def generate(path: Path, size_bytes: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    blobs = [base64.encodebytes(rng.randbytes(2_300_000)) for _ in range(3)]
    written = count = 0
    with path.open("wb") as out:
        chunk: list[bytes] = []
        while written < size_bytes:
            data = message(rng, count, blobs)
            chunk.append(data)
            written += len(data)
            count += 1
            if len(chunk) >= 2000:
                out.write(b"".join(chunk))
                chunk = []
        out.write(b"".join(chunk))
    return count


# --- contenders, each run in a child process ----------------------------------------------------
def run_constellation(path: Path, snippets: bool) -> int:
    from pipelines import warehouse
    from pipelines.lib import inbox
    from pipelines.lib.mail.ingest import load_mail_files

    with tempfile.TemporaryDirectory() as tmp:
        # Only the mbox's own folder is scanned, so the file is loaded alone.
        files = [f for f in inbox.scan(path.parent).files if Path(f.path).name == path.name]
        with warehouse.connect(Path(tmp) / "bench.duckdb") as con:
            outcome = load_mail_files(con, "bench", files, store_snippets=snippets)
        result = outcome.files[0]
        assert result.status == "loaded", result
        return result.rows_loaded


def run_constellation_folder(folder: Path, unchanged: bool = False) -> int | tuple[int, float]:
    """Every mail file of a folder (a maildir: one file per message) into an empty warehouse;
    with `unchanged`, load it once and time a second load, which finds every file unchanged."""
    from pipelines import warehouse
    from pipelines.lib import inbox
    from pipelines.lib.mail.ingest import load_mail_files

    with tempfile.TemporaryDirectory() as tmp, warehouse.connect(Path(tmp) / "b.duckdb") as con:
        started = time.perf_counter()
        outcome = load_mail_files(con, "bench", inbox.scan(folder).files, store_snippets=True)
        if unchanged:
            started = time.perf_counter()
            outcome = load_mail_files(con, "again", inbox.scan(folder).files, store_snippets=True)
            assert all(f.status == "unchanged" for f in outcome.files), "a file was loaded again"
        seconds = time.perf_counter() - started
        assert not outcome.failed, outcome.failed[:3]
        count = sum(f.rows_read for f in outcome.files)
        return (count, seconds) if unchanged else count


def run_email_parser(folder: Path) -> int:
    """Python's `email` parser (policy default) on every file of a maildir's cur/ and new/,
    reading the headers the loader keeps: what a user would write by hand."""
    import email
    import email.policy

    count = 0
    for where, _, names in os.walk(folder):
        if os.path.basename(where) not in ("cur", "new"):
            continue
        for name in names:
            with open(os.path.join(where, name), "rb") as handle:
                msg = email.message_from_binary_file(handle, policy=email.policy.default)
            _ = (msg["From"], msg["To"], msg["Cc"], msg["Date"], msg["Subject"], msg["Message-ID"])
            count += 1
    return count


def run_mailbox(path: Path) -> int:
    import mailbox

    count = 0
    for msg in mailbox.mbox(path, create=False):
        _ = (msg["From"], msg["To"], msg["Cc"], msg["Date"], msg["Subject"], msg["Message-ID"])
        count += 1
    return count


def run_grep(path: Path) -> int:
    out = subprocess.run(["grep", "-c", "^From ", str(path)], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


GREP = "grep -c '^From '"
MAILDIR = "constellation (maildir)"
MAILDIR_UNCHANGED = "constellation (maildir, all unchanged)"
EMAIL_PARSER = "email.message_from_binary_file"
FOLDER_CONTENDERS = (MAILDIR, MAILDIR_UNCHANGED, EMAIL_PARSER)  # `benchmarks.run` runs them
CONTENDERS = {
    "constellation": lambda p: run_constellation(p, True),
    "constellation (no snippets)": lambda p: run_constellation(p, False),
    "mailbox.mbox": run_mailbox,
    GREP: run_grep,
    # on a folder of one-message files (a maildir)
    MAILDIR: run_constellation_folder,
    MAILDIR_UNCHANGED: lambda p: run_constellation_folder(p, unchanged=True),
    EMAIL_PARSER: run_email_parser,
}


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc; 0 elsewhere)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def peak_resident(pid: int) -> int:
    """The largest resident size a process has had since it started its program (VmHWM, Linux
    /proc; 0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakSampler(threading.Thread):
    """The largest `tree_rss` of this process seen while it runs."""

    def __init__(self, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.interval, self.peak, self.done = interval, 0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, tree_rss(os.getpid()))
            self.done.wait(self.interval)


def measure(name: str, path: Path) -> tuple[int, float, int, float]:
    """(messages, wall seconds, peak bytes of the process tree, seconds without interpreter
    start-up and imports) of one contender in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--contender", name, str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    out, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{name} failed with exit code {proc.returncode}")
    count_text, peak_text, inner_text = out.strip().splitlines()[-1].split()
    return int(count_text), elapsed, int(peak_text), float(inner_text)


def run_contender(name: str, path: Path) -> None:
    """In the child process: run one contender, print count, peak bytes, seconds."""
    if name.startswith("constellation"):  # imports are start-up, not ingestion
        import pipelines.lib.mail.ingest  # noqa: F401
    sampler = PeakSampler()
    sampler.start()
    started = time.perf_counter()
    count = CONTENDERS[name](path)
    inner = time.perf_counter() - started
    if isinstance(count, tuple):  # the contender timed the part that counts itself
        count, inner = count
    sampler.done.set()
    sampler.join()
    # The kernel's peak of this process since exec (VmHWM), not getrusage's ru_maxrss: that one
    # keeps the parent's resident size from before the exec, so a big parent inflated it.
    peak = max(sampler.peak, peak_resident(os.getpid()))
    if name.startswith("grep"):
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
    print(count, peak, inner)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--keep", help="write (or reuse) the generated mbox at this path")
    parser.add_argument("--mbox", help="measure this existing mbox instead of generating one")
    parser.add_argument("--runs", type=int, default=3, help="runs per contender (median)")
    parser.add_argument("--skip", action="append", default=[], help="contender to leave out")
    parser.add_argument("--contender", help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.contender:
        run_contender(args.contender, Path(args.path))
        return
    with tempfile.TemporaryDirectory() as tmp:
        if args.mbox:
            path = Path(args.mbox)
        else:
            path = Path(args.keep) if args.keep else Path(tmp) / "bench" / "bench.mbox"
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.stat().st_size < args.size_mb << 20:
                start = time.perf_counter()
                count = generate(path, args.size_mb << 20)
                print(
                    f"generated {path} ({path.stat().st_size / 2**20:,.0f} MiB, "
                    f"{count:,} messages) in {time.perf_counter() - start:,.0f} s"
                )
        names = [n for n in CONTENDERS if n not in args.skip and n not in FOLDER_CONTENDERS]
        report(path, names, args.runs)


def report(path: Path, names: list[str], runs: int) -> dict[str, tuple[int, float, float, int]]:
    """Run every contender `runs` times, print the medians; {name: (messages, total s,
    ingest s, peak bytes)}."""
    size = path.stat().st_size
    print(f"{path} ({size / 2**20:,.0f} MiB), medians of {runs} runs, {os.cpu_count()} cores")
    print(
        f"{'contender':<29} {'messages':>9} {'total s':>8} {'ingest s':>8} {'msgs/s':>8} "
        f"{'MiB/s':>7} {'peak MiB':>8}"
    )
    results = {}
    for name in names:
        measured = [measure(name, path) for _ in range(runs)]
        count = measured[0][0]
        total = statistics.median(m[1] for m in measured)
        inner = statistics.median(m[3] for m in measured)
        peak = max(m[2] for m in measured)
        results[name] = (count, total, inner, peak)
        print(
            f"{name:<29} {count:>9,} {total:>8.2f} {inner:>8.2f} {count / inner:>8,.0f} "
            f"{size / 2**20 / inner:>7,.1f} {peak / 2**20:>8,.0f}",
            flush=True,
        )
    base = results.get("mailbox.mbox")
    for name in ("constellation", "constellation (no snippets)"):
        if name in results and base:
            ours = results[name]
            print(
                f"{name} vs mailbox.mbox: {base[2] / ours[2]:.1f}x (ingest), "
                f"{base[1] / ours[1]:.1f}x (total)"
            )
    grep = results.get(GREP)
    if "constellation" in results and grep:
        print(f"grep (scan floor) is {results['constellation'][2] / grep[2]:.1f}x faster")
    return results


if __name__ == "__main__":
    main()
