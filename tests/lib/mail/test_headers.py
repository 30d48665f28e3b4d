"""Header decoding agrees with Python's `email` package (policy default) on every fixture
message — the oracle — and handles what the package leaves awkward."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest

from pipelines.lib.mail import ingest
from pipelines.lib.mail.headers import MAX_HEADER_BYTES, NoHeaders, parse_headers
from tests.lib.mail.corpus import corpus_messages


def repaired(text: str) -> str:
    """The one documented difference: raw 8-bit bytes (surrogate escapes) decoded as UTF-8,
    else Windows-1252."""
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


class _AnyName:
    """pipermail's `andy at example.com (Andy)`: the package keeps no name; the comment is."""

    def __eq__(self, other: object) -> bool:
        return other is None or isinstance(other, str)


def oracle_addresses(header) -> list[tuple[str, object]]:
    if header is None:
        return []
    result = []
    for a in header.addresses:
        if not a.username:
            continue
        if not a.domain and " at " in a.username:  # pipermail: the package finds no domain
            result.append((a.username.replace(" at ", "@").lower(), _AnyName()))
            continue
        address = f"{a.username}@{a.domain}" if a.domain else a.username
        result.append((repaired(address).lower(), repaired(a.display_name) or None))
    return result


def oracle_date(header) -> dt.datetime | None:
    if header is None or header.datetime is None:
        return None
    value = header.datetime
    if value.tzinfo is None:  # -0000: zone unknown, stored as UTC
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def oracle_message_id(header) -> str | None:
    if header is None:
        return None
    text = repaired(str(header)).strip()
    return text[1:-1].strip() if text.startswith("<") and text.endswith(">") else text or None


CORPUS = [
    pytest.param(source, fmt, message, id=f"{source.path}@{message.offset}")
    for source, fmt, message in corpus_messages()
    if not message.data.startswith(b"This message has no headers")
]


def test_the_corpus_covers_every_case_the_issue_lists():
    assert len(CORPUS) == 35  # every message of every readable fixture file (19 in core/)
    raw = b"\n".join(message.data for _, _, message in (p.values for p in CORPUS))
    for needle in (
        b"X-GM-THRID",
        b"=?UTF-8?B?",
        b"=?iso-8859-1?Q?",
        b"=?x-unknown?",
        b"\xc3\xa9",
        b"\xe9",
        b"27:39:33",
        b"\r\n",
        b"multipart/mixed",
        b"text/html",
        b" at ",
    ):
        assert needle in raw, needle


@pytest.mark.parametrize(("source", "fmt", "message"), CORPUS)
def test_stored_headers_equal_what_the_email_package_decodes(source, fmt, message):
    ctx = ingest.FileContext(source, fmt, None, store_snippets=False)
    row, recipients = ingest.message_rows(message, 1, ctx)
    oracle = email.message_from_bytes(message.data, policy=email.policy.default)

    senders = oracle_addresses(oracle["From"])
    assert (row["from_address"], row["from_name"]) == (senders[0] if senders else (None, None))
    for role, name in (("to", "To"), ("cc", "Cc")):
        stored = [(r["address"], r["name"]) for r in recipients if r["role"] == role]
        assert stored == oracle_addresses(oracle[name])
    assert row["date_utc"] == oracle_date(oracle["Date"])
    expected_subject = None if oracle["Subject"] is None else repaired(str(oracle["Subject"]))
    assert row["subject"] == expected_subject
    assert row["message_id"] == oracle_message_id(oracle["Message-ID"])


def headers_of(data: bytes):
    return parse_headers(data)[0]


def test_invalid_and_missing_dates_are_kept_as_null_with_the_reason():
    invalid = headers_of(b"Date: Mon, 3 Jan 2022 27:39:33 +0100\nSubject: x\n\nbody\n")
    assert invalid.date_utc is None and invalid.date_problem.startswith("invalid: Mon, 3 Jan")
    missing = headers_of(b"Subject: x\n\nbody\n")
    assert (missing.date_utc, missing.date_problem) == (None, "missing")
    odd_zone = headers_of(b"Date: Thu, 6 Jan 2022 11:00:00 +0530 (IST)\n\nbody\n")
    assert odd_zone.date_utc == dt.datetime(2022, 1, 6, 5, 30, tzinfo=dt.UTC)
    assert odd_zone.date_offset_minutes == 330


def test_gmail_labels_quoted_encoded_and_folded():
    headers = headers_of(
        b'X-Gmail-Labels: Inbox,"Clients, 2022",=?UTF-8?Q?Fran=C3=A7ais?=,\r\n'
        b" Category Promotions\r\n\r\nbody\r\n"
    )
    assert headers.gmail_labels == ["Inbox", "Clients, 2022", "Français", "Category Promotions"]
    assert headers.is_bulk


def test_pipermail_addresses_are_normalised():
    headers = headers_of(b"From: andy at example.com (Andy Example)\n\nbody\n")
    assert (headers.from_address, headers.from_name) == ("andy@example.com", "Andy Example")


def test_bulk_indicators():
    assert not headers_of(b"From: jane@example.com\nTo: me@example.com\n\nhi\n").is_bulk
    for header in (
        b"List-Id: <a.example.com>",
        b"List-Unsubscribe: <mailto:u@example.com>",
        b"Precedence: bulk",
        b"Auto-Submitted: auto-generated",
        b"From: noreply@example.com",
    ):
        assert headers_of(header + b"\n\nbody\n").is_bulk, header
    assert not headers_of(b"Auto-Submitted: no\n\nbody\n").is_bulk


def test_a_message_without_headers_or_with_a_huge_header_is_refused():
    with pytest.raises(NoHeaders):
        parse_headers(b"just text, no header\n\nmore\n")
    with pytest.raises(NoHeaders):
        parse_headers(b"\nbody only\n")
    with pytest.raises(NoHeaders, match="larger than"):
        parse_headers(b"Subject: " + b"x" * (MAX_HEADER_BYTES + 10) + b"\n\nbody\n")
