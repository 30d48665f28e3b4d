"""Snippets hold only the new text of a message, briefly; the body hash ignores copy noise."""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import random

import pytest

from pipelines.lib.mail.mbox import iter_mbox
from pipelines.lib.mail.snippet import (
    SNIPPET_CHARS,
    body_text,
    content_hash,
    html_to_text,
    new_text,
    quotes_an_earlier_message,
    snippet,
)
from pipelines.lib.sample import mail
from pipelines.lib.sample.cast import build_cast
from tests.conftest import FIXTURES
from tests.lib.mail.corpus import MAIL, corpus_messages


def test_quoted_reply_and_attribution_are_cut():
    data = (
        b"Subject: Re: x\nContent-Type: text/plain\n\nTuesday works.\n\n"
        b"On Fri, 4 Feb 2022 at 18:10, Jane Doe <jane@example.com>\nwrote:\n> Hi\n> there\n"
    )
    assert snippet(data) == "Tuesday works."


def test_signature_and_outlook_original_are_cut():
    data = (
        b"Content-Type: text/plain\n\nThanks, looks fine.\n\n-- \nJane\n"
        b"-----Original Message-----\nFrom: x\n"
    )
    assert snippet(data) == "Thanks, looks fine."
    enron = (MAIL / "maildir/allen-p/inbox/1.").read_bytes()
    assert snippet(enron) == "Thanks, looks fine."


NOTES_QUOTES = FIXTURES / "notes_quotes/maildir/fossum-d/_sent_mail"


@pytest.mark.parametrize(
    ("name", "new", "quotes"),
    [
        # a Notes reply: the author and date on two lines, To/cc, a blank line, Subject
        ("1.", "Good point. I'll put it in the form and be sure to discuss with her. df", True),
        # a Notes forward with a bare subject: passed on, not answered
        ("2.", "This shouldn't impact ET&S since it is limited to Louisiana. Thanks. DF", False),
        # an Exchange reply quoting a Notes gateway header ("From:" and a tab)
        ("3.", "That's a better idea. df", True),
    ],
)
def test_lotus_notes_quotes_and_forwards_are_cut(name, new, quotes):
    data = (NOTES_QUOTES / name).read_bytes()
    assert snippet(data, 1000) == new  # nothing of the quoted message's words or header
    assert quotes_an_earlier_message(body_text(data)) is quotes


@pytest.mark.parametrize(
    "text",
    [
        "Flight details below.\nDepart Boston 05/14/2001 7:30 AM\nTo: Houston, arrive 11 AM\nSee you.",
        "Reminder: the call is\n3/4/2001 2:00 PM\nTo: everyone on the team, please dial in.",
    ],
)
def test_a_date_above_a_to_line_without_a_quoted_header_is_not_cut(text):
    assert new_text(text) == " ".join(text.split())


def test_multipart_prefers_plain_and_skips_attachments():
    data = (MAIL / "Takeout/Mail/All mail Including Spam and Trash.mbox").read_bytes()
    first = data.split(b"\r\n", 1)[1]
    text = snippet(first)
    assert text.startswith("Hi Owen, Could we meet next Tuesday at 10?")
    assert "Dubois" not in text  # the signature
    attachment = data[data.index(b"X-GM-THRID: 1723853304940300000") :]
    assert snippet(attachment) == (
        "Here are the slides from Thursday. From what I remember you wanted the appendix too."
    )


def test_html_only_message_becomes_text_without_styles_or_quotes():
    html = "<html><head><style>p{}</style></head><body><p>Hello&nbsp;you</p><blockquote>old</blockquote></body>"
    assert html_to_text(html).split() == ["Hello", "you"]
    data = b"Content-Type: text/html; charset=utf-8\n\n" + html.encode()
    assert snippet(data) == "Hello you"


def test_length_is_bounded_at_a_word():
    data = b"Content-Type: text/plain\n\n" + b"word " * 200
    text = snippet(data)
    assert len(text) <= SNIPPET_CHARS and text.endswith("word…")


def test_invalid_charset_does_not_lose_the_snippet():
    data = b"Content-Type: text/plain; charset=x-no-such-charset\n\nHello there\n"
    assert snippet(data) == "Hello there"


def test_copies_of_a_body_share_a_hash():
    lf = b"Hello\n>From the start\n\n"
    crlf = b"Hello\r\nFrom the start\r\n"
    assert content_hash(lf) == content_hash(crlf)
    assert content_hash(lf) != content_hash(b"Goodbye\n")


# --- the bytes-level MIME walk picks and decodes the part the email package would ---------------
def reference_snippet(data: bytes) -> str | None:
    """What the snippet is by definition: `get_body(("plain", "html"))` of the full parse."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return None
    try:
        text = part.get_content()
    except (LookupError, UnicodeError):
        text = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return new_text(text)


def mime(ctype: str, *parts: bytes, boundary: str = "b1", preamble: bytes = b"") -> bytes:
    body = preamble + b"".join(b"--" + boundary.encode() + b"\n" + p + b"\n" for p in parts)
    head = f'Content-Type: {ctype}; boundary="{boundary}"\n\n'.encode()
    return head + body + b"--" + boundary.encode() + b"--\n"


PLAIN = b"Content-Type: text/plain; charset=utf-8\n\nPlain words here.\n"
HTML = b"Content-Type: text/html\n\n<p>Html words&amp;more</p>\n"
EDGE_CASES = {
    "html first, plain later": mime("multipart/alternative", HTML, PLAIN),
    "nested alternative in mixed": mime(
        "multipart/mixed",
        mime("multipart/alternative", HTML, PLAIN, boundary="inner"),
        b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nAAAA\n",
    ),
    "text attachment skipped": mime(
        "multipart/mixed",
        b"Content-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\n\nnotes\n",
        HTML,
    ),
    "related with start": mime(
        'multipart/related; start="<two@x>"',
        b"Content-Type: text/plain\nContent-ID: <one@x>\n\nfirst part\n",
        b"Content-Type: text/plain\nContent-ID: <two@x>\n\nsecond part\n",
    ),
    "related without start": mime("multipart/related", HTML, PLAIN),
    "base64 latin-1": mime(
        "multipart/alternative",
        b"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes("Café à Zürich, déjà vu.".encode("latin-1")),
    ),
    "quoted-printable": b"Content-Type: text/plain; charset=utf-8\n"
    b"Content-Transfer-Encoding: quoted-printable\n\nCaf=C3=A9 soon, a very long line that is=\n"
    b" softly broken.\n",
    "CRLF and preamble": mime("multipart/alternative", PLAIN, preamble=b"This is MIME.\n").replace(
        b"\n", b"\r\n"
    ),
    "no closing boundary": b'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\n' + PLAIN,
    "longer boundary shares the prefix": b'Content-Type: multipart/mixed; boundary="b1"\n\n'
    b"--b1\nContent-Type: text/plain\n\nkept\n--b1x not a boundary\nstill kept\n--b1--\n",
    "digest holds messages, not text": mime("multipart/digest", b"\nSubject: x\n\nhidden\n"),
    "multipart without boundary": b"Content-Type: multipart/mixed\n\n" + PLAIN,
    "no content type, 8-bit": "Subject: x\n\nNaïve text\n".encode(),
    "unknown charset": b"Content-Type: text/plain; charset=x-nope\n\nHello\n",
    "invalid type is text/plain": b"Content-Type: nonsense\n\nHello there\n",
    "image only": b"Content-Type: image/png\n\n\x89PNG\n",
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_the_chosen_part_is_the_one_the_email_package_chooses(name):
    data = EDGE_CASES[name]
    assert snippet(data) == reference_snippet(data)


def test_fixture_corpus_and_a_realistic_mailbox_agree_with_the_email_package(tmp_path):
    path = tmp_path / "realistic.mbox"
    mail.write_mailbox(path, build_cast(7), random.Random(3), 1, mail.REALISTIC)
    messages = [m.data for _, _, m in corpus_messages()]
    with path.open("rb") as handle:
        messages += [m.data for m, _ in zip(iter_mbox(handle), range(600), strict=False)]
    assert any(b"Content-Transfer-Encoding: base64" in m for m in messages)
    differing = [m[:300] for m in messages if snippet(m) != reference_snippet(m)]
    assert differing == []


@pytest.mark.parametrize(
    "body",
    [
        b"Hello\n\n",
        b"Hello\r\nthere\r\n\r\n",
        b"Hello\n>From here\n",
        b"Tail ends with quoting\n>From \n \t\x0b\x0c",
        b"",
        b"\n\n",
        b"no trailing blank",
    ],
)
def test_body_hash_is_the_hash_of_the_normalised_body(body):
    message = b"Subject: x\n\n" + body
    normalized = body.replace(b"\r\n", b"\n").replace(b"\n>From ", b"\nFrom ").rstrip()
    expected = hashlib.sha256(normalized).hexdigest()[:32]
    assert content_hash(message, len(b"Subject: x\n\n")) == content_hash(body) == expected
