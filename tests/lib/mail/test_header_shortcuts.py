"""The fast paths of header decoding give what Python's `email` package (policy default) gives:
a differential test on thousands of generated values, biased towards the awkward ones (quotes,
commas, dots, blanks, brackets, encoded words, CR, `From ` lines, continuation lines)."""

from __future__ import annotations

import base64
import datetime as dt
import email.policy
import email.utils
import random
from email.parser import BytesHeaderParser

import pytest

from pipelines.lib.mail import headers
from pipelines.lib.mail.headers import WANTED, header_fields

POLICY = email.policy.default
ROUNDS = 3000


def library_addresses(value: str) -> tuple:
    try:
        found = POLICY.header_fetch_parse("to", value).addresses
    except Exception:
        return ()
    result = []
    for a in found:
        address = headers.normalize_address(a.username, a.domain)
        if address:
            result.append((address, headers.clean(a.display_name).strip() or None))
    return tuple(result)


def atom(rng: random.Random) -> str:
    return "".join(rng.choice("abcXY09.-_+=?'") for _ in range(rng.randrange(1, 6)))


def address(rng: random.Random) -> str:
    return atom(rng) + rng.choice(["@", "@", "@", " ", ".", "@@"]) + atom(rng)


def display_name(rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return " ".join(atom(rng) for _ in range(rng.randrange(1, 4)))
    if kind == 1:
        return '"' + "".join(rng.choice('ab ,.@<>:;()\\"\t=?') for _ in range(8)) + '"'
    if kind == 2:
        return rng.choice(
            [
                "Jane",
                "J. Doe",
                "O'Brien",
                "a  b",
                "(c) x",
                "=?utf-8?q?J=C3=A9?=",
                "=?utf-8?q?Doe,_J=C3=A9?=",  # a comma inside an encoded word
                "=?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?=",
                '"=?utf-8?q?Quoted_J=C3=A9?="',
                "=?utf-8?q?unclosed",
                "=?x-unknown?q?abc?=",
                "Jo [1,2]",
                "J\\, D",
                "Caf\udce9",  # a raw 8-bit byte, as the parser hands it over
            ]
        )
    if kind == 3:
        return rng.choice(['"Doe, Jane"', '"Jane"', '""', '" Jane "', "Ga:rp;"])
    return ""


def address_list(rng: random.Random) -> str:
    def blank() -> str:
        return rng.choice(["", "", " ", "\t", "  "])

    items = []
    for _ in range(rng.randrange(1, 4)):
        kind = rng.randrange(3)
        if kind == 0:
            item = display_name(rng) + blank() + "<" + address(rng) + ">"
        elif kind == 1:
            item = "<" + address(rng) + ">"
        else:
            item = address(rng)
        items.append(blank() + item + blank())
    return rng.choice([",", ", ", " , ", ",,"]).join(items) + rng.choice(["", "", ",", " "])


def test_address_shortcut_agrees_with_the_library():
    rng = random.Random(11)
    taken = 0
    for _ in range(ROUNDS):
        value = address_list(rng)
        simple = headers._simple_addresses(value) if "=?" not in value else None
        if simple is not None:
            taken += 1
            assert simple == library_addresses(value), value
        assert headers.addresses.__wrapped__("to", value) == library_addresses(value), value
    assert taken > ROUNDS // 20  # the shortcut is exercised, not only the fallback


def test_unstructured_and_message_id_shortcuts_agree_with_the_library():
    rng = random.Random(12)
    alphabet = ' \t"()<>@,;:\\.[]=?abXY09!#$%&*+/^_{|}~\x01\x7f-'
    for _ in range(ROUNDS):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 14)))
        expected = headers.clean(str(POLICY.header_fetch_parse("subject", value)))
        assert headers.decoded.__wrapped__("subject", value) == expected, value
        message_id = (
            rng.choice(["", " "]) + "<" + atom(rng) + rng.choice("@@.") + atom(rng) + ">"
        ) + rng.choice(["", " ", "\t", " x"])
        expected_id = headers.normalize_message_id(
            headers.clean(str(POLICY.header_fetch_parse("message-id", message_id)))
        )
        assert headers.message_id(message_id) == expected_id, message_id


def library_fields(block: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, value in BytesHeaderParser(policy=POLICY).parsebytes(block).raw_items():
        if name.lower() in WANTED and name.lower() not in fields:
            fields[name.lower()] = str(POLICY.header_fetch_parse(name, value))
    return fields


LINES = [
    b"Subject: hello",
    b"subject:again",
    b"Subject:",  # a value that starts on the continuation line
    b"References: \t",
    b"SUBJECT: upper",
    b"To: a@example.com,",
    b" b@example.com",
    b"\tfolded  more",
    b"From x@example.com Sat Nov 14 21:29:28 2015",
    b"From: Jane <jane@example.com>",
    b": no name",
    b"Not a header line",
    b"X-Other: ignored",
    b"Date: Mon, 3 Jan 2022 10:00:00 +0100",
    b"Message-ID: <a@b>",
    b"CC:c@example.com",
    b"Subject: caf\xc3\xa9 \xe9",
    b"Bad Name: x",
    b"Content-Type: text/plain;",
    b' charset="utf-8"',
]


@pytest.mark.parametrize("line_end", [b"\n", b"\r\n", b"\r", b"mixed"])
def test_header_block_is_split_like_the_library(line_end):
    rng = random.Random(13)
    for _ in range(ROUNDS // 3):
        lines = [rng.choice(LINES) for _ in range(rng.randrange(1, 8))]
        if line_end == b"mixed":
            block = b"".join(line + rng.choice([b"\n", b"\r\n", b"\r"]) for line in lines)
        else:
            block = line_end.join(lines)
        ours = {k: str(POLICY.header_fetch_parse(k, v)) for k, v in header_fields(block).items()}
        assert ours == library_fields(block), block


def test_date_shortcut_agrees_with_the_library():
    rng = random.Random(14)
    days = ["", "Mon, ", "Fri, ", "Sun,", "Xyz, "]
    months = ["Jan", "Feb", "Dec", "jan", "Foo"]
    zones = ["+0000", "-0000", "+0100", "-0830", "+1400", "+0075", "+9999", "GMT", "+0100 (CET)"]
    taken = 0
    for _ in range(ROUNDS):
        value = (
            f"{rng.choice(days)}{rng.choice(['1', '09', '31', '0', '32', '29'])} "
            f"{rng.choice(months)} {rng.choice(['2022', '1999', '0999', '2024', '22'])} "
            f"{rng.choice(['10', '00', '23', '24', '27'])}:{rng.choice(['00', '59', '60'])}:"
            f"{rng.choice(['00', '59', '61'])} {rng.choice(zones)}"
        )
        taken += headers.SIMPLE_DATE.fullmatch(value) is not None
        try:
            expected = email.utils.parsedate_to_datetime(value)
        except ValueError as exc:
            expected = type(exc)
        try:
            ours = headers.parse_date(value)
        except ValueError as exc:
            ours = type(exc)
        assert ours == expected, value
        if isinstance(ours, dt.datetime):  # same offset too, not only the same instant
            assert ours.utcoffset() == expected.utcoffset(), value
    assert taken > ROUNDS // 10


def test_blank_line_search_agrees_with_the_regular_expression():
    rng = random.Random(15)
    for _ in range(ROUNDS):
        data = bytes(rng.choice(b"\r\n\r\nab") for _ in range(rng.randrange(0, 12)))
        start = rng.randrange(0, len(data) + 1)
        end = rng.choice([None, rng.randrange(start, len(data) + 1)])
        expected = headers.BLANK_LINE.search(data, start, len(data) if end is None else end)
        found = headers.blank_line(data, start, end)
        assert found == (expected.span() if expected else None), (data, start, end)


def encoded_word(rng: random.Random) -> str:
    """An RFC 2047 word, now and then a broken one (bad padding, undecodable bytes, unknown
    charset, a payload with blanks or `?`)."""
    text = rng.choice(
        ["Café", "Jürgen Müller", "a  b", " lead", "trail ", "x", "", "Doe, J", "日本"]
    )
    charset = rng.choice(
        ["utf-8", "UTF-8", "iso-8859-1", "x-unknown", "utf-8*en", "ascii", "unknown-8bit"]
    )
    data = text.encode(
        "utf-8" if charset.startswith(("utf", "x-", "UTF")) else "latin-1", "replace"
    )
    if rng.random() < 0.5:
        payload = base64.b64encode(data).decode()
        if rng.random() < 0.15:
            payload = payload.rstrip("=") or "A"
        return f"=?{charset}?{rng.choice('bB')}?{payload}?="
    payload = "".join(
        "_"
        if byte == 32
        else chr(byte)
        if 48 <= byte < 123 and byte not in b"=?_"
        else f"={byte:02X}"
        for byte in data
    )
    payload += rng.choice(["", "", "", "=Z", "?", " ", "=C3"])
    return f"=?{charset}?{rng.choice('qQ')}?{payload}?="


def test_encoded_word_shortcuts_agree_with_the_library():
    rng = random.Random(16)
    taken = 0
    for _ in range(ROUNDS):
        words = [
            rng.choice([encoded_word(rng), encoded_word(rng), "Re:", "plain", "a=?b", ""])
            for _ in range(rng.randrange(1, 4))
        ]
        value = rng.choice(["", " "]) + "".join(
            w + rng.choice([" ", "  ", "\t", "", " \x0b ", "\x0c"]) for w in words
        )
        taken += headers._decoded_words(value) is not None
        expected = headers.clean(str(POLICY.header_fetch_parse("subject", value)))
        assert headers.decoded.__wrapped__("subject", value) == expected, value

        item = rng.choice(["", " "]) + encoded_word(rng) + rng.choice([" ", "  ", "\t", ""])
        item += "<" + rng.choice(["jane@example.com", "a.b@c.d", "x@@y"]) + ">"
        listed = item + rng.choice(["", ", bob@example.com", ", " + item])
        assert headers.addresses.__wrapped__("to", listed) == library_addresses(listed), listed
    assert taken > ROUNDS // 6  # the shortcut is exercised, not only the fallback
