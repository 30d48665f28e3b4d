"""The vendored enron-intent data set (Apache-2.0; see data/enron-intent/README.md)."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).with_name("data") / "enron-intent"
TRAIN_PATH = DATA_DIR / "train.txt"
TEST_PATH = DATA_DIR / "test.txt"


def load_split(path: Path) -> tuple[list[str], list[bool]]:
    """(sentences, is_ask) from a `Yes|No<TAB>sentence` file."""
    texts: list[str] = []
    labels: list[bool] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        label, tab, text = line.partition("\t")
        if not tab or label not in ("Yes", "No"):
            raise ValueError(f"{path.name} line {number}: expected 'Yes|No<TAB>sentence'")
        texts.append(text)
        labels.append(label == "Yes")
    return texts, labels
