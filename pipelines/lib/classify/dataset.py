"""The enron-intent data set (Apache-2.0, labelled ask sentences), read at run time from
`shared/datasets/enron-intent/` (see pipelines/lib/shared_data.py). The repository holds no
copy: data from the shared folder is never committed. A user's installation does not have it;
only training (`pipelines.lib.classify.train`) and the evaluation need it, never the classifier,
which runs from the committed `weights.json`."""

from __future__ import annotations

from pathlib import Path

from pipelines.lib import shared_data

NAME = "enron-intent"


class DatasetMissing(RuntimeError):
    """The shared enron-intent folder is not on this machine."""


def split_path(split: str) -> Path:
    """`train.txt` or `test.txt` of the data set (split "train" or "test")."""
    folder = shared_data.dataset(NAME)
    path = folder / f"{split}.txt" if folder else None
    if path is None or not path.is_file():
        raise DatasetMissing(
            f"the {NAME} data set is not on this machine (looked for shared/datasets/{NAME}/"
            f"{split}.txt beside the project, or under ${shared_data.ENV_SHARED})"
        )
    return path


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
