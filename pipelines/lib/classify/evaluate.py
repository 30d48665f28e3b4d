"""Evaluate give and ask detection on labelled real mail, beside simple baselines.

    .venv/bin/python -m pipelines.lib.classify.evaluate     (or: constellation evaluate-classifier)

Prints precision, recall and F1 of "is this an ask?" and "is this a give?" for the classifier
and for baselines computed in the same run, on each labelled set on this machine:

- the enron-intent test split (sentences labelled for asks only; the classifier's model was
  trained on its train split);
- the development mailboxes' own labelled messages and sentences (`mailbox_set.py`, guide in
  docs/labelling.md), in two parts: `fit` (allen-p, delainey-d), which rule changes may look at,
  and `check` (fossum-d, keavey-p), which they must not.

Then the classifier's throughput (messages per second, the median of 3 timed runs on one core).
The sets are read from shared/datasets; where that folder is absent (as on a user's machine) it
says so and reports the throughput alone.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib import shared_data
from pipelines.lib.classify import mailbox_set
from pipelines.lib.classify.dataset import DatasetMissing, load_split, split_path
from pipelines.lib.classify.giveask import ASK, GIVE, classify

# The baseline a reasonable person would write first: a question mark, or a politeness
# keyword that usually introduces a request.
_BASELINE_RE = re.compile(
    r"\?|\b(?:please|could you|can you|would you|will you|let me know)\b", re.IGNORECASE
)

# Messages that look nothing like Enron mail, for the throughput figure: LinkedIn notes and
# short friendly emails, mixed with the test sentences.
THROUGHPUT_EXTRA = (
    "Hi Sam, great meeting you at the meetup last night! Would love to stay in touch.",
    "Could you introduce me to Priya at Acme? I'd love 15 minutes with her before Friday.",
    "Congrats on the new role at Northwind, well deserved!",
    "Here's the article I mentioned: https://example.com/posts/warm-intros",
    "Thanks so much for your help with the deck last week.",
    "See you tomorrow.",
    "Let me know if you ever want to chat about design systems.",
)


# The same for gives: thanks, congratulations, something attached or passed on, an offer.
_GIVE_BASELINE_RE = re.compile(
    r"\b(?:thanks?|thank you|congrat\w*|attached|here is|here's|fyi|let me know if|happy to)\b",
    re.IGNORECASE,
)
# The parts of the mailbox set: rule changes may be fitted on `fit`, never on `check`.
MAILBOX_PARTS = {"fit": ("allen-p", "delainey-d"), "check": ("fossum-d", "keavey-p")}


def baseline_is_ask(text: str) -> bool:
    return _BASELINE_RE.search(text) is not None


def baseline_is_give(text: str) -> bool:
    return _GIVE_BASELINE_RE.search(text) is not None


def question_mark_is_ask(text: str) -> bool:
    return "?" in text


def classifier_is_ask(text: str) -> bool:
    return classify(text).kind == ASK


def classifier_is_give(text: str) -> bool:
    return classify(text).kind == GIVE


ASK_PREDICTORS = (
    ("classifier (rules + model)", classifier_is_ask),
    ("baseline: ? or please/could you/…", baseline_is_ask),
    ("baseline: question mark only", question_mark_is_ask),
)
GIVE_PREDICTORS = (
    ("classifier (rules + model)", classifier_is_give),
    ("baseline: thanks/attached/fyi/…", baseline_is_give),
)


@dataclass(frozen=True)
class LabelledSet:
    """Texts with their labels; `gives` is None for a set labelled for asks only."""

    name: str
    texts: list[str]
    asks: list[bool]
    gives: list[bool] | None = None


@dataclass(frozen=True)
class Scores:
    name: str
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int


def score(
    name: str, predict: Callable[[str], bool], texts: Sequence[str], labels: Sequence[bool]
) -> Scores:
    tp = fp = fn = 0
    for text, truth in zip(texts, labels, strict=True):
        predicted = predict(text)
        tp += predicted and truth
        fp += predicted and not truth
        fn += truth and not predicted
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(name, precision, recall, f1, tp, fp, fn)


def evaluate(path: Path | None = None) -> list[Scores]:
    """Scores for ask detection on a labelled split (default: the enron-intent test split): the
    classifier, then the baselines (the keyword baseline first)."""
    texts, labels = load_split(path or split_path("test"))
    return [score(name, predict, texts, labels) for name, predict in ASK_PREDICTORS]


def mailbox_sets() -> tuple[list[LabelledSet], str | None]:
    """The mailbox set's parts, messages and sentences, and a note on what could not be read
    (None when everything was)."""
    if shared_data.dataset("enron-mailboxes") is None:
        return [], "the enron-mailboxes data set is not on this machine"
    messages = mailbox_set.load_messages()
    sentences, missing = mailbox_set.load_sentences()
    found = []
    for level, items in (("messages", messages), ("sentences", sentences)):
        for part, mailboxes in MAILBOX_PARTS.items():
            chosen = [item for item in items if item.mailbox in mailboxes]
            found.append(
                LabelledSet(
                    f"mailboxes, {part} ({', '.join(mailboxes)}), {level}",
                    [item.text for item in chosen],
                    [item.ask for item in chosen],
                    [item.give for item in chosen],
                )
            )
    note = f"{missing} labelled sentences no longer match their text" if missing else None
    return found, note


def report(labelled: LabelledSet) -> list[str]:
    """The lines of one set: asks (and gives, when labelled) for each predictor."""
    lines = []
    for what, labels, predictors in (
        ("asks", labelled.asks, ASK_PREDICTORS),
        ("gives", labelled.gives, GIVE_PREDICTORS),
    ):
        if labels is None:
            continue
        lines.append(
            f"{what.capitalize()} on {labelled.name} ({len(labels)} texts, {sum(labels)} {what})"
        )
        lines.append(f"  {'':36} {'precision':>9} {'recall':>7} {'F1':>6}   tp   fp   fn")
        for name, predict in predictors:
            s = score(name, predict, labelled.texts, labels)
            lines.append(
                f"  {s.name:36} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} "
                f"{s.true_positives:4d} {s.false_positives:4d} {s.false_negatives:4d}"
            )
    return lines


def throughput(texts: Sequence[str], runs: int = 3) -> float:
    """Messages classified per second of CPU time: the median of `runs` passes over `texts`.

    CPU time, not wall time, because the machine is usually shared: it measures what one core
    does, not how busy the neighbours are.
    """
    classify(texts[0])  # load the model outside the timing
    rates = []
    for _ in range(runs):
        start = time.process_time()
        for text in texts:
            classify(text)
        rates.append(len(texts) / (time.process_time() - start))
    return statistics.median(rates)


def main(argv: Sequence[str] | None = None) -> int:
    sets: list[LabelledSet] = []
    try:
        texts, labels = load_split(split_path("test"))
    except DatasetMissing as missing:
        print(f"No quality figures on enron-intent: {missing}.")
        texts = []
    else:
        sets.append(LabelledSet("the enron-intent test split, sentences", texts, labels))
    mailboxes, note = mailbox_sets()
    sets += mailboxes
    if note:
        print(
            f"No quality figures on the mailbox set: {note}." if not mailboxes else f"Note: {note}."
        )
    for labelled in sets:
        print("\n".join(report(labelled)))
    sample = [*texts, *THROUGHPUT_EXTRA * 20]
    rate = throughput(sample)
    print(
        f"Throughput: {rate:,.0f} messages/s (median of 3 runs over {len(sample)} messages, one core)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
