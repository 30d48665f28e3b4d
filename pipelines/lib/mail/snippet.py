"""A short plain-text snippet of what a message newly says, and a fingerprint of its body.

The snippet comes from the part `email.message.EmailMessage.get_body(("plain", "html"))` would
choose — the first text/plain part that is not an attachment, else the first text/html one,
following the first part (or the `start` part) of a multipart/related — with quoted replies,
forwarded originals and signatures cut, whitespace collapsed and the length bounded.

The MIME tree is walked in bytes, not parsed: boundaries are found with `bytes.find`, only the
small header block of each part is read, and only the chosen part is decoded (quoted-printable or
base64, then its charset), and only its first `PART_BYTES`. Attachments are skipped over, never
decoded or copied, so a 30 MB attachment costs a search for the next boundary. Callers skip
this module entirely when `store_email_snippets` is off.
"""

from __future__ import annotations

import binascii
import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from pipelines.lib.mail.headers import HEADER_LINE, blank_line, header_fields

SNIPPET_CHARS = 280
PART_BYTES = 64 << 10  # what is decoded of the chosen part at most
MAX_DEPTH = 16  # nested multiparts followed
PART_FIELDS = frozenset(
    {"content-type", "content-transfer-encoding", "content-disposition", "content-id"}
)
PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))')
TRAILING_BLANKS = frozenset(b" \t\n\r\x0b\x0c")  # what bytes.rstrip() removes
NO_PART = 2  # priority of "nothing found"; 0 is text/plain, 1 text/html

# The date and time Lotus Notes writes under (or after) the author of a quoted or forwarded
# message, just above its "To:" line: "Michael Moran\n01/22/2001 04:58 PM\nTo: ...".
NOTES_DATE = (
    r"\d{1,2}/\d{1,2}/\d{2,4} \d{1,2}:\d{2}(?::\d{2})? ?[AP]M[ \t]*"
    # then the quoted header itself: To: (a long list wraps), and cc: or Subject: below it
    r"(?=\n[ \t]*To:[^\n]*\n(?:[^\n]*\n){0,20}?[ \t]*(?:cc|Subject):)"
)
# Where the new text ends: an attribution line, a forwarded or Outlook-style original, a
# Lotus Notes forward or quoted header, a signature, a mobile footer.
CUT = re.compile(
    r"^[ \t]*(?:"
    r"On .{0,200}wrote:\s*$"
    r"|Am .{0,200}schrieb.*:\s*$"
    r"|Le .{0,200}a écrit\s*:\s*$"
    r"|-{2,}\s*Original Message\s*-{2,}"
    r"|-{2,}\s*Forwarded message\s*-{2,}"
    r"|Begin forwarded message:"
    r"|-{3,}\s*Forwarded by .*$"
    r"|[^\n]{1,80}\n[ \t]*" + NOTES_DATE + r"|[^\n]{1,80}? " + NOTES_DATE + r""
    r"|_{10,}\s*$"
    r"|From:[ \t].*$"
    r"|-- ?$"
    r"|Sent from my .*$"
    r"|Get Outlook for .*$"
    r")",
    re.MULTILINE | re.IGNORECASE,
)
# "On Mon, 3 Jan 2022 at 10:00, Jane Doe <jane@example.com>" often wraps before "wrote:".
WRAPPED_ATTRIBUTION = re.compile(r"^On [^\n]{0,200}\n[^\n]{0,200}wrote:\s*$", re.MULTILINE)
# The header of a quoted message that is being answered (see `quotes_an_earlier_message`).
REPLY_HEADER = re.compile(
    r"^[ \t]*(?:"
    r"On .{0,200}wrote:\s*$"
    r"|Am .{0,200}schrieb.*:\s*$"
    r"|Le .{0,200}a écrit\s*:\s*$"
    r"|-{2,}\s*Original Message\s*-{2,}"
    r")"
    r"|^[ \t]*To:[^\n]*\n[ \t]*cc:[^\n]*\n(?:[ \t]*\n)?(?:[ \t]*bcc:[^\n]*\n)?[ \t]*Subject:",
    re.MULTILINE | re.IGNORECASE,
)
# Lotus Notes' forward line: what follows is passed on, not answered.
NOTES_FORWARD = re.compile(r"^[ \t]*-{3,}\s*Forwarded by ", re.MULTILINE | re.IGNORECASE)
QUOTED = re.compile(r"^[ \t]*>.*$\n?", re.MULTILINE)
BLANKS = re.compile(r"\s+")


def snippet(
    data: bytes,
    limit: int = SNIPPET_CHARS,
    *,
    fields: dict[str, str] | None = None,
    body_start: int | None = None,
) -> str | None:
    """The new text of a message (headers and body bytes), at most `limit` characters.
    `fields` (the message's header values by lower-case name, as `header_fields` gives them)
    and `body_start` save reading the header block again when the caller has them."""
    text = body_text(data, fields=fields, body_start=body_start)
    return None if text is None else new_text(text, limit)


def quotes_an_earlier_message(text: str | None) -> bool:
    """Whether a body (as `body_text` gives it) quotes the header of a message it answers:
    `-----Original Message-----`, `On ... wrote:` (and its German and French forms), or the
    `To: / cc: / Subject:` block Lotus Notes writes above a quoted message. A message whose
    first such header comes after Lotus Notes' "----- Forwarded by" line forwards, and does not
    count; other forwarded messages quote these too: the caller tells them apart by subject."""
    if not text:
        return False
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = [m.start() for m in (REPLY_HEADER.search(text), WRAPPED_ATTRIBUTION.search(text)) if m]
    if not found:
        return False
    forward = NOTES_FORWARD.search(text)
    return forward is None or min(found) < forward.start()


def body_text(
    data: bytes, *, fields: dict[str, str] | None = None, body_start: int | None = None
) -> str | None:
    """The text of the part of a message a reader sees (plain text, else HTML turned to text),
    its first `PART_BYTES`; None when there is none or it cannot be read."""
    try:
        if (fields is None or body_start is None) and not HEADER_LINE.match(data):
            fields, body_start = {}, 0  # no header block: all of it is the body
        if fields is None or body_start is None:
            end = blank_line(data)
            body_start = end[1] if end else len(data)
            fields = header_fields(data[: end[0] if end else len(data)], PART_FIELDS)
        part = _best_part(data, body_start, len(data), fields, "text/plain", 0)[1]
        if part is None:
            return None
        text = part.text(data)
    except Exception:  # a snippet is a convenience; a broken body must not lose the message
        return None
    if part.subtype == "html":
        text = html_to_text(text)
    return text


@dataclass(frozen=True, slots=True)
class _Part:
    """A text part: where its content lies in the message, its subtype, charset and transfer
    encoding."""

    start: int
    end: int
    subtype: str
    charset: str
    encoding: str

    def text(self, data: bytes) -> str:
        """The first `PART_BYTES` of the part, decoded as the library's `get_content` would
        (undecodable bytes replaced; an unknown charset read as UTF-8)."""
        raw = data[self.start : min(self.end, self.start + PART_BYTES)]
        if self.end - self.start > PART_BYTES:
            raw = raw[: raw.rfind(b"\n") + 1] or raw  # whole lines only
        if self.encoding == "base64":
            raw = b"".join(raw.split())
            raw = binascii.a2b_base64(raw[: len(raw) // 4 * 4])
        elif self.encoding == "quoted-printable":
            raw = binascii.a2b_qp(raw)
        try:
            return raw.decode(self.charset, "replace")
        except LookupError:
            return raw.decode("utf-8", "replace")


def _content_type(value: str | None, default: str) -> tuple[str, dict[str, str]]:
    """(`maintype/subtype` in lower case, parameters) as the library reads them: no header is
    the default type, an invalid one is text/plain."""
    if value is None:
        return default, {}
    head, _, rest = value.partition(";")
    ctype = head.strip().lower()
    if ctype.count("/") != 1:
        ctype = "text/plain"
    params = {}
    for name, quoted, plain in PARAM.findall(";" + rest):
        name = name.lower()
        if name not in params:
            if quoted and "\\" in quoted:
                quoted = re.sub(r"\\(.)", r"\1", quoted)
            params[name] = quoted if quoted else plain.strip()
    return ctype, params


def _best_part(
    data: bytes, start: int, end: int, fields: dict[str, str], default: str, depth: int
) -> tuple[int, _Part | None]:
    """(priority, part) of the best text part in `data[start:end]`, the content of a part whose
    header values are `fields`: what `EmailMessage.get_body(("plain", "html"))` finds."""
    disposition = fields.get("content-disposition")
    if disposition is not None and disposition.partition(";")[0].strip().lower() == "attachment":
        return NO_PART, None
    ctype, params = _content_type(fields.get("content-type"), default)
    maintype, _, subtype = ctype.partition("/")
    if maintype == "text":
        if subtype not in ("plain", "html"):
            return NO_PART, None
        encoding = (fields.get("content-transfer-encoding") or "").strip().lower()
        charset = params.get("charset") or "ascii"
        return (0 if subtype == "plain" else 1), _Part(start, end, subtype, charset, encoding)
    boundary = params.get("boundary")
    if maintype != "multipart" or not boundary or depth >= MAX_DEPTH:
        return NO_PART, None
    child_default = "message/rfc822" if subtype == "digest" else "text/plain"
    wanted = params.get("start") if subtype == "related" else None
    best: tuple[int, _Part | None] = (NO_PART, None)
    for part_start, part_end in _parts(data, start, end, boundary.encode("ascii", "replace")):
        blank = blank_line(data, part_start, part_end)
        if data.startswith((b"\n", b"\r\n"), part_start):
            child_fields, body = {}, data.index(b"\n", part_start) + 1
        elif blank is None:
            child_fields, body = header_fields(data[part_start:part_end], PART_FIELDS), part_end
        else:
            child_fields = header_fields(data[part_start : blank[0]], PART_FIELDS)
            body = blank[1]
        if subtype == "related":
            # The root part: the one named by `start`, else the first.
            if wanted and child_fields.get("content-id", "").strip() != wanted.strip():
                continue
            return _best_part(data, body, part_end, child_fields, child_default, depth + 1)
        found = _best_part(data, body, part_end, child_fields, child_default, depth + 1)
        if found[0] < best[0]:
            best = found
            if best[0] == 0:
                break
    return best


def _parts(data: bytes, start: int, end: int, boundary: bytes):
    """(start, end) of each part between the `--boundary` lines of a multipart body; the line
    end before a boundary line belongs to the boundary. Stops at `--boundary--`."""
    delimiter = b"--" + boundary
    if data.startswith(delimiter, start):
        found = start
    else:
        found = data.find(b"\n" + delimiter, start, end)
        if found < 0:
            return
        found += 1
    part_start = -1
    while found >= 0:
        after = found + len(delimiter)
        closing = data.startswith(b"--", after)
        line_end = data.find(b"\n", after, end)
        rest = data[after + (2 if closing else 0) : line_end if line_end >= 0 else end]
        if rest.strip(b" \t\r") == b"":  # a real boundary line, not a longer boundary
            if part_start >= 0:
                part_end = found - 1  # the newline before the boundary line
                if part_end > part_start and data[part_end - 1] == 0x0D:
                    part_end -= 1
                yield part_start, max(part_start, part_end)
            if closing or line_end < 0:
                return
            part_start = line_end + 1
        found = data.find(b"\n" + delimiter, after, end)
        if found >= 0:
            found += 1
    if part_start >= 0:
        yield part_start, end  # no closing boundary: the part runs to the end


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


def content_hash(
    body: bytes, start: int = 0, end: int | None = None, *, quoted_from: bool | None = None
) -> str:
    """A fingerprint of the body (`body[start:end]`; `body` may be a memory map) that two
    copies of one message share: line ends, mbox `>From ` quoting and trailing blank lines do
    not count. `quoted_from=False` says the body holds no `>From ` line (the mbox reader saw
    none), so it is not searched for. The usual body (LF line ends, no `>From `) is hashed in
    place, without a copy."""
    stop = len(body) if end is None else end
    # `\r` alone is found by memchr, many times faster than `\r\n`.
    crlf = body.find(b"\r", start, stop) >= 0 and body.find(b"\r\n", start, stop) >= 0
    quoted = body.find(b"\n>From ", start, stop) >= 0 if quoted_from is None else quoted_from
    if crlf or quoted:
        normalized = body[start:stop].replace(b"\r\n", b"\n").replace(b"\n>From ", b"\nFrom ")
        return hashlib.sha256(normalized.rstrip()).hexdigest()[:32]
    while stop > start and body[stop - 1] in TRAILING_BLANKS:
        stop -= 1
    return hashlib.sha256(memoryview(body)[start:stop]).hexdigest()[:32]
