"""Benchmark the mail ingester against what a user would write by hand, on one synthetic mbox.

    .venv/bin/python benchmarks/mail_ingest.py                 # 1 GiB mbox in a temp folder
    .venv/bin/python benchmarks/mail_ingest.py --size-mb 2048 --keep /tmp/bench.mbox

Generates a realistic Gmail-Takeout-style mbox (X-GM-THRID/X-Gmail-Labels, Received chains,
long folded DKIM signatures, RFC 2047 subjects and names, multipart/alternative bodies, HTML
newsletters, base64 attachments from a few KB to a few MB), then measures, each in its own
process so that peak memory (max RSS) is per contender:

1. `constellation`: this ingester, the whole load — split, decode headers, snippet, body hash,
   validate and write `raw.email_messages` + `raw.email_recipients` into a DuckDB warehouse;
2. `constellation (no snippets)`: the same with `store_email_snippets = false`;
3. `mailbox.mbox`: Python's `mailbox.mbox`, iterating and reading From/To/Cc/Date/Subject/
   Message-ID — what a user would write by hand;
4. `grep -c '^From '`: a scan-speed floor.

Not a test: it takes minutes and prints numbers; docs/benchmarks.md records a run.
"""

from __future__ import annotations

import argparse
import base64
import random
import resource
import subprocess
import sys
import tempfile
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
CONTENDERS = {
    "constellation": lambda p: run_constellation(p, True),
    "constellation (no snippets)": lambda p: run_constellation(p, False),
    "mailbox.mbox": run_mailbox,
    GREP: run_grep,
}


def measure(name: str, path: Path) -> tuple[int, float, int, float]:
    """(messages, wall seconds, peak RSS bytes, seconds without interpreter start-up and imports)
    of one contender in a fresh process."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--keep", help="write (or reuse) the mbox at this path")
    parser.add_argument("--skip", action="append", default=[], help="contender to leave out")
    parser.add_argument("--contender", help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.contender:  # child process: run one contender, print count, own peak RSS, seconds
        if args.contender.startswith("constellation"):  # imports are start-up, not ingestion
            import pipelines.lib.mail.ingest  # noqa: F401
        started = time.perf_counter()
        count = CONTENDERS[args.contender](Path(args.path))
        inner = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if args.contender.startswith("grep"):
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(count, peak, inner)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench" / "bench.mbox"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.stat().st_size < args.size_mb << 20:
            start = time.perf_counter()
            count = generate(path, args.size_mb << 20)
            print(
                f"generated {path} ({path.stat().st_size / 2**20:,.0f} MiB, {count:,} messages)"
                f" in {time.perf_counter() - start:,.0f} s"
            )
        size = path.stat().st_size
        results = {}
        for name in CONTENDERS:
            if name in args.skip:
                continue
            count, seconds, peak, _ = measure(name, path)
            results[name] = (count, seconds, peak)
            print(
                f"{name:<30} {count:>9,} msgs {seconds:>8.1f} s {count / seconds:>10,.0f} msgs/s "
                f"{size / 2**20 / seconds:>8.1f} MiB/s  peak {peak / 2**20:>7,.0f} MiB",
                flush=True,
            )
        if "constellation" in results and "mailbox.mbox" in results:
            ours, theirs = results["constellation"][1], results["mailbox.mbox"][1]
            print(f"constellation is {theirs / ours:.1f}x mailbox.mbox")
            if "constellation (no snippets)" in results:
                print(f"without snippets {theirs / results['constellation (no snippets)'][1]:.1f}x")
        grep = results.get(GREP)
        if "constellation" in results and grep:
            print(f"grep (scan floor) is {results['constellation'][1] / grep[1]:.1f}x faster")


if __name__ == "__main__":
    main()
