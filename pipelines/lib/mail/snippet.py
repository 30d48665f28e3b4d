"""A short plain-text snippet of what a message newly says, and a fingerprint of its body.

The snippet comes from the first text/plain part (or the first HTML part turned into text), with
quoted replies, forwarded originals and signatures cut, whitespace collapsed and the length
bounded. Only the first `SCAN_BYTES` of a message are parsed: the text part comes before the
attachments in practically every message, and a 30 MB attachment must not be decoded to read
two sentences. Callers skip this module entirely when `store_email_snippets` is off.
"""

from __future__ import annotations

import hashlib
import re
from email.parser import BytesParser
from html.parser import HTMLParser

from pipelines.lib.mail.headers import POLICY

SNIPPET_CHARS = 280
SCAN_BYTES = 64 << 10
_PARSER = BytesParser(policy=POLICY)

# Where the new text ends: an attribution line, a forwarded or Outlook-style original, a
# signature, a mobile footer.
CUT = re.compile(
    r"^[ \t]*(?:"
    r"On .{0,200}wrote:\s*$"
    r"|Am .{0,200}schrieb.*:\s*$"
    r"|Le .{0,200}a écrit\s*:\s*$"
    r"|-{2,}\s*Original Message\s*-{2,}"
    r"|-{2,}\s*Forwarded message\s*-{2,}"
    r"|Begin forwarded message:"
    r"|_{10,}\s*$"
    r"|From: .*$"
    r"|-- ?$"
    r"|Sent from my .*$"
    r"|Get Outlook for .*$"
    r")",
    re.MULTILINE | re.IGNORECASE,
)
# "On Mon, 3 Jan 2022 at 10:00, Jane Doe <jane@example.com>" often wraps before "wrote:".
WRAPPED_ATTRIBUTION = re.compile(r"^On [^\n]{0,200}\n[^\n]{0,200}wrote:\s*$", re.MULTILINE)
QUOTED = re.compile(r"^[ \t]*>.*$\n?", re.MULTILINE)
BLANKS = re.compile(r"\s+")


def snippet(data: bytes, limit: int = SNIPPET_CHARS) -> str | None:
    """The new text of a message (headers and body bytes), at most `limit` characters."""
    try:
        message = _PARSER.parsebytes(data[:SCAN_BYTES])
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return None
        text = _text(part)
    except Exception:  # a snippet is a convenience; a broken body must not lose the message
        return None
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return new_text(text, limit)


def _text(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError):  # unknown or wrong charset: decode leniently
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", "replace")


def new_text(text: str, limit: int = SNIPPET_CHARS) -> str | None:
    """`text` without quoted replies and signatures, whitespace collapsed, cut at a word."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for pattern in (WRAPPED_ATTRIBUTION, CUT):
        match = pattern.search(text)
        if match:
            text = text[: match.start()]
    text = QUOTED.sub("", text)
    text = BLANKS.sub(" ", text).strip()
    if not text:
        return None
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


class _TextExtractor(HTMLParser):
    BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}
    SKIP = {"script", "style", "head", "title", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        # Gmail and Outlook wrap the quoted original in these.
        classes = dict(attrs).get("class") or ""
        if tag == "div" and ("gmail_quote" in classes or "OutlookMessageHeader" in classes):
            self.skipping += 1
            self.parts.append("\n-- \n")
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML body, block elements as line breaks, quotes left out."""
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except Exception:
        return re.sub(r"<[^>]+>", " ", html)
    return "".join(extractor.parts)


def content_hash(body: bytes) -> str:
    """A fingerprint of the body that two copies of one message share: line ends, mbox
    `>From ` quoting and trailing blank lines do not count."""
    normalized = body.replace(b"\r\n", b"\n").replace(b"\n>From ", b"\nFrom ").rstrip()
    return hashlib.sha256(normalized).hexdigest()[:32]
