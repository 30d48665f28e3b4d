"""Snippets hold only the new text of a message, briefly; the body hash ignores copy noise."""

from __future__ import annotations

from pipelines.lib.mail.snippet import SNIPPET_CHARS, content_hash, html_to_text, snippet
from tests.lib.mail.corpus import MAIL


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
