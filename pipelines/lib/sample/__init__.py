"""The synthetic sample data set: one fictional owner's network, rendered in every input format.

`write_sample(out, seed=7, scale=1)` builds the `Cast` (see `cast.py` for who is who) and calls
every generator in `GENERATORS`. `scale` is a multiplier (N x 300 contacts over three years) or a
`Size`; `HEAVY` is the ten-year heavy user the benchmarks run on (docs/benchmarks.md). A generator is
`generate(out: Path, cast: Cast, rng: random.Random, scale: int) -> list[Path]`: it writes its
files under `out` and returns their paths. Each generator gets its own `random.Random`, seeded
from the sample seed and the generator's name, so adding or changing one generator never
changes the bytes another one writes. To add a source, write `pipelines/lib/sample/<source>.py`
with a `generate` function and append it to `GENERATORS` below.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from pipelines.lib.sample import calendar, contacts, linkedin, mail
from pipelines.lib.sample.cast import HEAVY, Cast, Size, build_cast
from pipelines.settings import SAMPLE_AS_OF  # the day the story ends; settings default to it

Generator = Callable[[Path, Cast, random.Random, int], list[Path]]

GENERATORS: list[Generator] = [
    linkedin.generate,
    contacts.generate,
    calendar.generate,
    mail.generate,
]


def write_sample(out: Path, seed: int = 7, scale: int | Size = 1) -> list[Path]:
    """Write the whole sample under `out` (created if missing); return the written files."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cast = build_cast(seed, scale)
    written: list[Path] = []
    for generate in GENERATORS:
        rng = random.Random(f"{seed}:{generate.__module__}")
        written.extend(generate(out, cast, rng, cast.scale))
    return written


__all__ = [
    "GENERATORS",
    "HEAVY",
    "SAMPLE_AS_OF",
    "Cast",
    "Generator",
    "Size",
    "build_cast",
    "write_sample",
]
