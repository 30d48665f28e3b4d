"""LinkedIn data exports of the sample owner (written in the next commit)."""

from __future__ import annotations

import random
from pathlib import Path

from pipelines.lib.sample.cast import Cast


def generate(out: Path, cast: Cast, rng: random.Random, scale: int) -> list[Path]:
    return []
