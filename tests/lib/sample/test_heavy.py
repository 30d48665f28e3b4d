"""The heavy user the benchmarks run on (`constellation sample --heavy`): the sizes the issue
asks for, ten years of story, and people who stay consistent at that size."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pipelines.lib.sample import HEAVY, Size, build_cast
from pipelines.lib.sample.contacts import _in_address_book


def test_heavy_user_has_the_sizes_of_a_ten_year_network() -> None:
    cast = build_cast(7, HEAVY)
    connections = [c for c in cast.contacts if c.story.connected_on]
    linkedin = sum(len(t.messages) for t in cast.threads if t.channel == "linkedin")
    calendar = [m for m in cast.meetings if m.in_calendar]
    book = [c for c in cast.contacts if _in_address_book(c)]
    assert 9_000 <= len(connections) <= 11_000
    assert 40_000 <= linkedin <= 60_000
    assert 4_000 <= len(calendar) <= 6_000
    assert 1_700 <= len(book) <= 2_300
    first = min(t.messages[0].sent_at for t in cast.threads).date()
    assert first < dt.date(2015, 3, 1), "ten years of history"
    assert cast.start == dt.date(2015, 1, 12)


def test_heavy_user_never_shares_an_address_between_two_people() -> None:
    cast = build_cast(7, HEAVY)
    owners = Counter(e for c in cast.contacts for e in c.emails)
    assert [e for e, n in owners.items() if n > 1] == []


def test_silent_connections_are_only_connections() -> None:
    cast = build_cast(7, HEAVY)
    silent = cast.contacts[HEAVY.contacts :]
    assert len(silent) == HEAVY.silent_connections
    talked_to = {p for t in cast.threads for p in t.participants}
    talked_to |= {p for m in cast.meetings for p in m.attendees}
    assert not talked_to & {c.id for c in silent}
    assert all(c.on_linkedin and not c.emails for c in silent)


def test_scale_is_a_size_of_three_hundred_contacts_per_step() -> None:
    assert Size.of(3).contacts == 900
    assert build_cast(7, 1).contacts == build_cast(7, Size.of(1)).contacts
