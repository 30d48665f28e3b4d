"""Stable row keys, so that the same record found in two overlapping exports gets the same key
and `staging` can keep one copy."""

from __future__ import annotations

import hashlib


def stable_key(*parts: object) -> str:
    """A 32-hex-digit key from the parts; None counts as empty, line ends are normalised so a
    CRLF and an LF copy of the same text agree."""
    text = "\x1f".join(
        "" if part is None else str(part).replace("\r\n", "\n").strip() for part in parts
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
