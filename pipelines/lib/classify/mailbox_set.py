"""A labelled set of real mail for give/ask detection, from the development mailboxes.

The labels are committed (`labels/mailbox_messages.csv`, `labels/mailbox_sentences.csv`); the
text is not. Each label points at a message of `shared/datasets/enron-mailboxes/` (mailbox, file
inside its archive) and, for a sentence, at its place in the message's new text (index, and the
first 10 hex digits of its SHA-1, which checks that the text read is the text labelled). The
text is read from the archives when the evaluation runs. Labels were given by reading, following
docs/labelling.md, before any rule was changed.

    .venv/bin/python -m pipelines.lib.classify.mailbox_set draw --work DIR --out FOLDER

draws the messages to label (the command that made the committed set; DIR holds the mailboxes'
warehouses as `benchmarks.health_mailboxes` loads them) and writes, per mailbox, a text file to
read and a CSV to fill in, outside the repository.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

from pipelines import warehouse
from pipelines.lib import shared_data
from pipelines.lib.classify.giveask import MAX_CHARS, normalise, sentences
from pipelines.lib.mail.snippet import snippet

LABELS = Path(__file__).with_name("labels")
MESSAGES_CSV = LABELS / "mailbox_messages.csv"
SENTENCES_CSV = LABELS / "mailbox_sentences.csv"
MAX_SENTENCES = 10  # sentences labelled per message, from its start
# Distinct messages between the owner and people (not noise), with some new text, in a seeded
# order that does not depend on the run; `outbound` says the owner wrote it.
CANDIDATES = """
    SELECT DISTINCT m.message_key, m.source_path, m.subject,
           list_contains(getvariable('owner'), m.from_address) AS outbound,
           hash(m.message_key || ?::VARCHAR) AS draw_order
    FROM staging.email_messages AS m
    JOIN core.interactions AS i ON i.source_key = m.message_key AND i.channel = 'email'
    WHERE m.noise_reason IS NULL AND coalesce(m.snippet, '') <> ''
    ORDER BY draw_order, m.message_key
"""


@dataclass(frozen=True)
class Labelled:
    """One labelled text: a whole message's new text, or one of its sentences."""

    mailbox: str
    file: str
    text: str
    ask: bool
    give: bool


def sentence_hash(sentence: str) -> str:
    return hashlib.sha1(sentence.encode()).hexdigest()[:10]


def new_text(data: bytes) -> str:
    """What the classifier reads of a message: its new text (quotes and signatures cut), at
    most the classifier's own bound."""
    return snippet(data, MAX_CHARS) or ""


def message_sentences(text: str) -> list[str]:
    return sentences(normalise(text))[:MAX_SENTENCES]


def read_files(mailbox: str, files: set[str]) -> dict[str, bytes]:
    """The bytes of `files` (paths inside the mailbox's archive, `allen-p/inbox/1.`)."""
    archive = shared_data.enron_mailbox_archive(mailbox)
    if archive is None:
        return {}
    found = {}
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.name in files and member.isfile():
                found[member.name] = tar.extractfile(member).read()
    return found


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _texts(rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """(mailbox, file) -> new text, read from the archives; empty without ../shared."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        wanted.setdefault(row["mailbox"], set()).add(row["file"])
    return {
        (mailbox, file): new_text(data)
        for mailbox, files in wanted.items()
        for file, data in read_files(mailbox, files).items()
    }


def load_messages(path: Path = MESSAGES_CSV) -> list[Labelled]:
    """The labelled messages joined to their text; those whose file is absent are left out."""
    rows = _rows(path)
    texts = _texts(rows)
    return [
        Labelled(row["mailbox"], row["file"], texts[key], row["ask"] == "1", row["give"] == "1")
        for row in rows
        if (key := (row["mailbox"], row["file"])) in texts
    ]


def load_sentences(path: Path = SENTENCES_CSV) -> tuple[list[Labelled], int]:
    """The labelled sentences joined to their text, and how many could not be matched (their
    file absent, or the sentence at that index no longer the one labelled: the new-text rules
    changed since)."""
    rows = _rows(path)
    texts = _texts(rows)
    found, missing = [], 0
    for row in rows:
        text = texts.get((row["mailbox"], row["file"]))
        split = message_sentences(text) if text is not None else []
        index = int(row["sentence"])
        if index < len(split) and sentence_hash(split[index]) == row["sha"]:
            found.append(
                Labelled(
                    row["mailbox"], row["file"], split[index], row["ask"] == "1", row["give"] == "1"
                )
            )
        else:
            missing += 1
    return found, missing


def draw(work: Path, out: Path, per_mailbox: int, seed: int) -> None:
    """Write `<mailbox>.txt` (the messages and their numbered sentences, to read) and
    `<mailbox>.csv` (one row per message and per sentence, ask and give left blank) to `out`:
    half the messages written by the owner, half to them, where there are enough."""
    out.mkdir(parents=True, exist_ok=True)
    for mailbox, owner in shared_data.ENRON_OWNERS.items():
        with warehouse.connect(work / mailbox / "w.snapshot.duckdb", read_only=True) as con:
            warehouse.run(con, "SET VARIABLE owner = ?::VARCHAR[]", [owner])
            candidates = warehouse.frame(con, CANDIDATES, [seed]).rows(named=True)
        for row in candidates:
            row["file"] = row["source_path"].removeprefix("maildir/")
        data = read_files(mailbox, {row["file"] for row in candidates})
        usable = [
            (row, text) for row in candidates if (text := new_text(data.get(row["file"], b"")))
        ]
        mine = [pair for pair in usable if pair[0]["outbound"]]
        theirs = [pair for pair in usable if not pair[0]["outbound"]]
        half = per_mailbox // 2
        theirs = theirs[: per_mailbox - min(half, len(mine))]
        picked = mine[: per_mailbox - len(theirs)] + theirs
        with (out / f"{mailbox}.txt").open("w") as txt, (out / f"{mailbox}.csv").open("w") as table:
            writer = csv.writer(table)
            writer.writerow(["mailbox", "file", "sentence", "sha", "ask", "give"])
            for number, (row, text) in enumerate(picked, start=1):
                side = "written by the owner" if row["outbound"] else "written to the owner"
                txt.write(f"## M{number} {row['file']} ({side})\nSubject: {row['subject']}\n")
                txt.write(f"NEW TEXT: {text}\n")
                writer.writerow([mailbox, row["file"], "", "", "", ""])
                for index, sentence in enumerate(message_sentences(text)):
                    txt.write(f"  [S{index}] {sentence}\n")
                    writer.writerow([mailbox, row["file"], index, sentence_hash(sentence), "", ""])
                txt.write("\n")
        print(f"{mailbox}: {len(picked)} messages -> {out / mailbox}.txt / .csv")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    drawing = sub.add_parser("draw", help="draw messages to label")
    drawing.add_argument("--work", type=Path, required=True)
    drawing.add_argument("--out", type=Path, required=True)
    drawing.add_argument("--per-mailbox", type=int, default=55)
    drawing.add_argument("--seed", type=int, default=14003)
    args = parser.parse_args(argv)
    draw(args.work, args.out, args.per_mailbox, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
