"""Helpers shared by the LinkedIn parsers: profile URLs and names."""

from __future__ import annotations

import functools
import re
import urllib.parse

SLUG = re.compile(r"linkedin\.com/in/([^/?#\s]+)", re.IGNORECASE)


# The same few URLs (yours, your frequent contacts') fill most rows of a messages file.
@functools.lru_cache(maxsize=65_536)
def profile_slug(url: str) -> str | None:
    """The stable person key of a profile URL: the `/in/<slug>` part, decoded and lower-cased.

    Accepts URLs with or without scheme (`www.linkedin.com/in/ann-lee-1a2b`), trailing slashes,
    query strings and percent-encoded non-ASCII slugs. Returns None when there is no slug.
    """
    match = SLUG.search(url.strip())
    if not match:
        return None
    return urllib.parse.unquote(match.group(1)).strip().lower() or None


def full_name(first: str, last: str) -> str:
    """`First Last` with stray whitespace removed; empty when both parts are empty."""
    return " ".join(part for part in (first.strip(), last.strip()) if part)


def blank_to_none(text: str) -> str | None:
    value = text.strip()
    return value or None
