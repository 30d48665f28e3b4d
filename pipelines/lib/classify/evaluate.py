"""Evaluate ask detection on the enron-intent test split, beside a simple baseline.

    .venv/bin/python -m pipelines.lib.classify.evaluate     (or: constellation evaluate-classifier)

Prints precision, recall and F1 of "is this an ask?" for the classifier and for a keyword
baseline computed in the same run, then the classifier's throughput (messages per second, the
median of 3 timed runs on one core). The test split is read from shared/datasets/enron-intent;
where that folder is absent (as on a user's machine) it says so and reports the throughput alone.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.classify.dataset import DatasetMissing, load_split, split_path
from pipelines.lib.classify.giveask import ASK, classify

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


def baseline_is_ask(text: str) -> bool:
    return _BASELINE_RE.search(text) is not None


def question_mark_is_ask(text: str) -> bool:
    return "?" in text


def classifier_is_ask(text: str) -> bool:
    return classify(text).kind == ASK


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
    return [
        score("classifier (rules + model)", classifier_is_ask, texts, labels),
        score("baseline: ? or please/could you/…", baseline_is_ask, texts, labels),
        score("baseline: question mark only", question_mark_is_ask, texts, labels),
    ]


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
    try:
        path = split_path("test")
    except DatasetMissing as missing:
        print(f"No quality figures: {missing}.")
        texts = []
    else:
        texts, labels = load_split(path)
        print(
            f"Ask detection on enron-intent test split ({len(texts)} sentences, {sum(labels)} asks)"
        )
        print(f"{'':38} {'precision':>9} {'recall':>7} {'F1':>6}   tp   fp   fn")
        for s in evaluate(path):
            print(
                f"{s.name:38} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} "
                f"{s.true_positives:4d} {s.false_positives:4d} {s.false_negatives:4d}"
            )
    sample = [*texts, *THROUGHPUT_EXTRA * 20]
    rate = throughput(sample)
    print(
        f"Throughput: {rate:,.0f} messages/s (median of 3 runs over {len(sample)} messages, one core)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
