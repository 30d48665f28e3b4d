"""The streaming mbox reader: where messages start, what stays in a body, memory."""

from __future__ import annotations

import io
import random
import tracemalloc

import pytest

from pipelines.lib.mail.mbox import NotMbox, iter_mbox, iter_mbox_buffer, looks_like_separator
from tests.lib.mail.corpus import MAIL

SEPARATORS = [
    b"From someone@example.com Sat Nov 14 21:29:28 2015",
    b"From 1723853304940284153@xxx Fri Feb 04 17:10:22 +0000 2022",
    b"From andy at example.com  Sat Nov 14 21:29:28 2015",
    b"From - Mon Jan  1 10:00:00 2024",
    b"From MAILER-DAEMON Tue Jan  4 10:00:00 2022 extra text \xe9\xc3\xa9",
    b"From someone@example.com Sat, 14 Nov 2015 21:29:28 -- odd but dated, header follows",
]
BODY_LINES = [
    b"From now on releases go out on Fridays.",
    b"From my side no objection.",
    b"From Monday Jan 3 we meet at 10:00 in 2022 rooms",  # dated prose, no header after it
]


@pytest.mark.parametrize("line", SEPARATORS)
def test_real_separator_styles_are_recognised(line):
    assert looks_like_separator(line, b"Subject: x")


@pytest.mark.parametrize("line", BODY_LINES)
def test_prose_starting_with_from_is_not_a_separator(line):
    assert not looks_like_separator(line, b"and the text goes on")


def messages(data: bytes, **kwargs) -> list[tuple[int, bytes, bytes]]:
    return [(m.offset, m.separator, m.data) for m in iter_mbox(io.BytesIO(data), **kwargs)]


MIXED = (
    b"From a@example.com Sat Nov 14 21:29:28 2015\nFrom: a@example.com\nSubject: one\n\n"
    b"Hello\n\nFrom here on we talk.\n>From the quoted archive.\n\n"
    b"From andy at example.com  Sat Nov 14 21:29:28 2015\nFrom: andy at example.com (Andy)\n\n"
    b"two\n\n"
    b"From 1723853304940284153@xxx Fri Feb 04 17:10:22 +0000 2022\r\nX-GM-THRID: 1\r\n"
    b"Subject: three\r\n\r\nbody\r\n\r\n"
    b"From - Mon Jan  1 10:00:00 2024 \xc3\xa9 extra\nSubject: four\n\nlast\n"
)


STARTS = [
    MIXED.index(b"From a@"),
    MIXED.index(b"From andy"),
    MIXED.index(b"From 1723"),
    MIXED.index(b"From - "),
]


def test_messages_split_at_separators_only_and_keep_body_from_lines():
    found = messages(MIXED)
    assert [offset for offset, _, _ in found] == STARTS
    for offset, separator, _ in found:
        assert MIXED[offset:].startswith(separator)
    assert found[0][2].endswith(b"\n\nFrom here on we talk.\n>From the quoted archive.\n")
    # CRLF: the blank line before the next separator is not part of the message.
    assert found[2][2] == b"X-GM-THRID: 1\r\nSubject: three\r\n\r\nbody\r\n"
    assert found[3][2] == b"Subject: four\n\nlast\n"


@pytest.mark.parametrize("block_size", [1, 2, 3, 5, 7, 13, 64, 1000])
def test_block_boundaries_do_not_change_the_result(block_size):
    assert messages(MIXED, block_size=block_size) == messages(MIXED)


def test_fixture_files_split_as_expected():
    takeout = (MAIL / "Takeout/Mail/All mail Including Spam and Trash.mbox").read_bytes()
    assert len(messages(takeout)) == 4
    pipermail = messages((MAIL / "lists/2015-November").read_bytes())
    assert len(pipermail) == 2
    assert b"\nFrom now on releases go out on Fridays.\n" in pipermail[0][2]
    assert len(messages((MAIL / "classic.mbox").read_bytes())) == 5


@pytest.mark.parametrize(
    "data", [b"Name,Email\nAndy,andy@example.com\n", bytes(range(256)) * 4, b"From the desk\n"]
)
def test_a_file_that_is_not_an_mbox_is_refused_with_the_offset(data):
    with pytest.raises(NotMbox, match="byte 0"):
        messages(data)


def test_leading_blank_lines_are_allowed_and_offsets_stay_exact():
    data = b"\n\n" + MIXED
    assert [o for o, _, _ in messages(data, block_size=3)] == [2 + s for s in STARTS]


def test_an_oversized_message_is_reported_not_held():
    big = b"From a@example.com Sat Nov 14 21:29:28 2015\nSubject: big\n\n" + b"x" * 10_000 + b"\n"
    data = big + b"\n" + MIXED
    found = list(iter_mbox(io.BytesIO(data), block_size=512, max_message_bytes=2_000))
    assert found[0].oversized and found[0].size == len(big)
    assert found[0].data.startswith(b"Subject: big")
    assert [m.offset for m in found[1:]] == [len(big) + 1 + s for s in STARTS]
    assert not any(m.oversized for m in found[1:])


def test_memory_is_bounded_by_the_largest_message_not_the_file():
    """A generated 50 MB mbox: the reader's peak allocation stays near one block plus the
    largest message, far below the file size."""
    message = (
        b"From a@example.com Sat Nov 14 21:29:28 2015\nFrom: a@example.com\nSubject: s\n\n"
        + b"line of body text that repeats\n" * 300
        + b"\n"
    )
    largest = 2 << 20
    huge = b"From b@example.com Sat Nov 14 21:29:28 2015\nSubject: h\n\n" + b"y" * largest + b"\n\n"
    count = (50 << 20) // len(message)
    data = message * (count // 2) + huge + message * (count // 2)
    stream = io.BytesIO(data)
    block = 1 << 20
    tracemalloc.start()
    try:
        seen = 0
        for _message in iter_mbox(stream, block_size=block):
            seen += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == 2 * (count // 2) + 1
    assert len(data) > 50_000_000
    assert peak < 3 * block + 3 * largest, f"peak {peak:,} bytes"


def _all_fields(found) -> list[tuple]:
    return [(m.offset, m.separator, m.data, m.size, m.oversized) for m in found]


@pytest.mark.parametrize("line_end", [b"\n", b"\r\n"])
def test_streaming_and_whole_file_readers_agree_on_oversized_messages(line_end):
    """A message is oversized when it is longer than the limit, whatever the block size and
    whether the file is streamed or read whole; it keeps the same first bytes and size."""
    rng = random.Random(21)
    separator = b"From a@example.com Sat Nov 14 21:29:28 2015"
    seen = set()
    for _ in range(60):
        parts = []
        for _ in range(rng.randrange(1, 5)):
            body = line_end.join(b"x" * rng.randrange(0, 30) for _ in range(rng.randrange(0, 6)))
            parts.append(separator + line_end + b"Subject: s" + line_end + line_end + body)
        data = (line_end + line_end).join(parts) + line_end
        limit = rng.randrange(20, 120)
        whole = _all_fields(iter_mbox_buffer(data, max_message_bytes=limit))
        seen.update(oversized for *_, oversized in whole)
        for block_size in (1, 7, 13, 64, 1 << 20):
            streamed = iter_mbox(io.BytesIO(data), block_size=block_size, max_message_bytes=limit)
            assert _all_fields(streamed) == whole, (data, limit, block_size)
    assert seen == {True, False}  # both kinds were compared
