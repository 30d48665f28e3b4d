"""Read the metadata of one message from its header block only.

What a header decodes to is defined by the standard library: each header the product keeps
decodes exactly as `email.message_from_bytes(raw, policy=email.policy.default)[name]` would (the
oracle test in tests/lib/mail checks this on every fixture message, and a differential test on
generated values checks every shortcut below). The body is never parsed here.

The library is exact but slow (its header registry builds a parse tree and a class per header),
so the common cases take shortcuts that give the same result:
- the header block is split into fields the way `email.feedparser` does (same line ends, same
  continuation and end-of-headers rules); a block with a lone CR goes to the library itself;
- an unstructured value (Subject, List-Id...) that is ASCII without an encoded word (`=?`) is
  its own decoded value;
- a Message-ID `<dot-atom@dot-atom>` is that id;
- an address list whose items are all `addr`, `<addr>`, `Name Words <addr>` or
  `"Quoted Name" <addr>` (ASCII, no encoded word, comment or group) is read by one regular
  expression;
- a Date is read by `email.utils.parsedate_to_datetime`, which is what the library's date header
  calls;
- RFC 2047 encoded words (`=?UTF-8?B?...?=`) are decoded by the library's own decoder of one
  word (`email._encoded_words.decode`) when the value is plain words and encoded words between
  blanks (an unstructured header: the blank between two encoded words is dropped, as the
  library does), or when an address item is one encoded word and a simple address (its display
  name: blank runs become one space) — and only when the word decodes without a defect.
Anything else goes to the library, cached per (header, value): senders, recipient lists and
thread subjects repeat.

Where the product stores something other than the library's value, it says so:
- addresses are lower-cased; `andy at example.com (Andy)` (pipermail's obfuscation, which the
  library reads as a local part without a domain) becomes `andy@example.com`, named `Andy`;
- raw 8-bit bytes the library keeps as surrogate escapes are decoded as UTF-8, else
  Windows-1252, so that every stored string is valid text;
- Message-IDs lose their angle brackets and surrounding blanks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email._encoded_words
import email.header
import email.policy
import email.utils
import re
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from functools import lru_cache

POLICY = email.policy.default
MAX_HEADER_BYTES = 1 << 20
_PARSER = BytesHeaderParser(policy=POLICY)
BLANK_LINE = re.compile(rb"\r?\n\r?\n")
HEADER_LINE = re.compile(rb"[!-9;-~]+:")
MSG_ID = re.compile(r"<([^<>\s]+)>")
PIPERMAIL_ADDRESS = re.compile(
    r"^\s*([^\s@()<>]+) at ([^\s@()<>]+\.[^\s@()<>]+)\s*(?:\((.*)\))?\s*$"
)
NO_REPLY = re.compile(
    r"^(?:no-?reply|do-?not-?reply|donotreply|notifications?|notify|mailer-daemon|bounces?|"
    r"postmaster|news(?:letter)?|alerts?|updates?)(?:[+.\-_].*)?$"
)
BULK_PRECEDENCE = {"bulk", "list", "junk"}
BULK_LABELS = {"category promotions", "category updates", "category forums", "spam"}
MANY_RECIPIENTS = 25
WANTED = frozenset(
    {
        "from",
        "to",
        "cc",
        "bcc",
        "date",
        "subject",
        "message-id",
        "in-reply-to",
        "references",
        "x-gm-thrid",
        "x-gmail-labels",
        "x-folder",
        "x-from",
        "x-to",
        "x-cc",
        "list-id",
        "list-unsubscribe",
        "precedence",
        "auto-submitted",
        "content-type",
        "content-transfer-encoding",
        "content-disposition",
    }
)
MIME_FIELDS = ("content-type", "content-transfer-encoding", "content-disposition")
# Exchange and Notes exports keep the names in these when From/To/Cc hold bare addresses.
X_NAME_FIELDS = {"x-from": "from", "x-to": "to", "x-cc": "cc"}
# How a header line starts, as `email.feedparser` recognises one (its `headerRE`, less `From `).
FIELD_NAME = re.compile(r"[!-9;-~]*")
MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
SIMPLE_DATE = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (" + "|".join(MONTHS) + r") ([1-9]\d{3}) "
    r"(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"
)
# A block made only of header lines, continuation lines and `From ` lines.
HEADER_BLOCK = re.compile(r"(?:(?:[!-9;-~]*:|[ \t]|From )[^\n]*(?:\n|\Z))*")
ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
DOT_ATOM = rf"{ATEXT}+(?:\.{ATEXT}+)*"
SIMPLE_ADDRESS = rf"({DOT_ATOM})@({DOT_ATOM})"
# One item of a simple address list, with the comma after it (or the end of the value).
SIMPLE_ITEM = re.compile(
    rf'[ \t]*(?:(?:"([^"\\]*)"|({ATEXT}+(?: {ATEXT}+)*))[ \t]*<{SIMPLE_ADDRESS}>'
    rf"|<{SIMPLE_ADDRESS}>|{SIMPLE_ADDRESS})[ \t]*(?:,|$)"
)
# One RFC 2047 encoded word with a well-formed B or Q payload (no language tag).
ENCODED_WORD = r"=\?[^?*\s]+\?(?:[Bb]\?[A-Za-z0-9+/]*={0,2}|[Qq]\?(?:[^=?\s]|=[0-9A-Fa-f]{2})*)\?="
ENCODED_WORD_ONLY = re.compile(ENCODED_WORD)
BLANKS = re.compile(r"([ \t]+)")
# Whitespace other than space and tab: the library's blank runs take it in, the shortcut does not.
OTHER_WHITESPACE = re.compile(r"[^\S \t]")
# An address item that is one encoded word (the display name) and a simple address.
ENCODED_MAILBOX = re.compile(rf"[ \t]*({ENCODED_WORD})[ \t]+<{SIMPLE_ADDRESS}>[ \t]*")
LIST_ITEM = re.compile(r'(?:"(?:[^"\\]|\\.)*"|<[^<>"]*>|[^",<>()\\\[\]"])+')
SIMPLE_MESSAGE_ID = re.compile(rf"[ \t]*<({DOT_ATOM}@{DOT_ATOM})>[ \t]*")


class NoHeaders(ValueError):
    """The message has no header block (binary data, a body without headers, an oversized
    header block); the message says which."""


@dataclass(slots=True)
class Headers:
    """The metadata of one message, decoded."""

    message_id: str | None = None
    date_utc: dt.datetime | None = None
    date_offset_minutes: int | None = None
    date_problem: str | None = None
    from_address: str | None = None
    from_name: str | None = None
    subject: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    recipients: list[tuple[str, str, str | None]] = field(default_factory=list)  # role, addr, name
    gmail_thread_id: str | None = None
    gmail_labels: list[str] | None = None
    x_folder: str | None = None
    list_id: str | None = None
    list_unsubscribe: bool = False
    precedence: str | None = None
    auto_submitted: str | None = None
    mime: dict[str, str] = field(default_factory=dict)  # Content-* values, for the snippet
    x_names: dict[str, str] = field(default_factory=dict)  # from/to/cc: X-From/X-To/X-cc values

    @property
    def is_bulk(self) -> bool:
        """Mail sent to a list or by a machine: not a sign of a relationship."""
        local = (self.from_address or "").partition("@")[0]
        labels = {label.lower() for label in self.gmail_labels or ()}
        return bool(
            self.list_id
            or self.list_unsubscribe
            or self.precedence in BULK_PRECEDENCE
            or (self.auto_submitted not in (None, "", "no"))
            or NO_REPLY.match(local)
            or labels & BULK_LABELS
            or len(self.recipients) > MANY_RECIPIENTS
        )


def blank_line(data: bytes, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """(start, end) of the first match of `BLANK_LINE` in `data[start:end]`, found with
    `bytes.find` (the regular expression tries every position and is several times slower)."""
    stop = len(data) if end is None else end
    lf = data.find(b"\n\n", start, stop)
    crlf = data.find(b"\n\r\n", start, lf + 3 if lf >= 0 else stop)
    if crlf >= 0 and (lf < 0 or crlf < lf):
        at, after = crlf, crlf + 3
    elif lf >= 0:
        at, after = lf, lf + 2
    else:
        return None
    if at > start and data[at - 1] == 0x0D:
        at -= 1
    return at, after


def split_message(data: bytes, start: int = 0, end: int | None = None) -> tuple[bytes, int]:
    """The header block of `data[start:end]` and the offset in `data` where the body starts
    (after the blank line)."""
    stop = len(data) if end is None else end
    found = blank_line(data, start, stop)
    if found is None:
        return data[start:stop], stop
    if found[0] == start and not _opens_with_line_end(data, start):
        return b"", start
    return data[start : found[0]], found[1]


def _opens_with_line_end(data: bytes, start: int) -> bool:
    return data[start : start + 1] == b"\n" or data[start : start + 2] == b"\r\n"


def parse_headers(data: bytes, start: int = 0, end: int | None = None) -> tuple[Headers, int]:
    """The metadata of a message (headers and body bytes, `data[start:end]`: `data` may be a
    memory map) and the offset in `data` where its body starts."""
    stop = len(data) if end is None else end
    if _opens_with_line_end(data, start) or not HEADER_LINE.match(data, start, stop):
        shown = data[start : min(stop, start + 60)].decode("utf-8", "replace")
        raise NoHeaders(f"no header block (the message starts with {shown!r})")
    block, body_start = split_message(data, start, stop)
    if len(block) > MAX_HEADER_BYTES:
        raise NoHeaders(
            f"header block of {len(block):,} bytes is larger than {MAX_HEADER_BYTES:,} bytes"
        )
    raw = header_fields(block)
    if not raw and not block.strip():
        raise NoHeaders("no header block")
    headers = Headers()
    if "from" in raw:
        senders = addresses("from", raw["from"])
        if senders:
            headers.from_address, headers.from_name = senders[0]
    for role in ("to", "cc", "bcc"):
        if role in raw:
            headers.recipients.extend((role, a, n) for a, n in addresses(role, raw[role]))
    if "subject" in raw:
        headers.subject = decoded("subject", raw["subject"])
    if "message-id" in raw:
        headers.message_id = message_id(raw["message-id"])
    headers.date_utc, headers.date_offset_minutes, headers.date_problem = date(raw.get("date"))
    if "in-reply-to" in raw:
        ids = MSG_ID.findall(_unfold(raw["in-reply-to"]))
        headers.in_reply_to = ids[-1] if ids else None
    if "references" in raw:
        headers.references = MSG_ID.findall(_unfold(raw["references"]))
    if "x-gm-thrid" in raw:
        headers.gmail_thread_id = _unfold(raw["x-gm-thrid"]).strip() or None
    if "x-gmail-labels" in raw:
        headers.gmail_labels = list(gmail_labels(raw["x-gmail-labels"]))
    if "x-folder" in raw:
        headers.x_folder = decoded("x-folder", raw["x-folder"]) or None
    if "list-id" in raw:
        value = decoded("list-id", raw["list-id"])
        ids = MSG_ID.findall(value)
        headers.list_id = (ids[-1] if ids else value.strip()) or None
    headers.list_unsubscribe = bool(raw.get("list-unsubscribe", "").strip())
    if "precedence" in raw:
        headers.precedence = _unfold(raw["precedence"]).strip().lower() or None
    if "auto-submitted" in raw:
        value = _unfold(raw["auto-submitted"]).split(";")[0].strip().lower()
        headers.auto_submitted = value or None
    headers.mime = {name: raw[name] for name in MIME_FIELDS if name in raw}
    headers.x_names = {
        role: decoded(name, raw[name]) for name, role in X_NAME_FIELDS.items() if name in raw
    }
    return headers, body_start


def header_fields(block: bytes, wanted: frozenset[str] | set[str] = WANTED) -> dict[str, str]:
    """The first value of each wanted header (lower-case name), unfolded, exactly as
    `email.feedparser` splits the block: lines end at LF or CRLF, a line starting with a blank
    continues the field before, `From ` lines are skipped, a line that is not `name:` ends the
    headers, and the value loses the blanks after the colon. A lone CR (a line end for the
    library) sends the block to the library itself."""
    text = block.decode("ascii", "surrogateescape")
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return _library_fields(block, wanted)
        text = text.replace("\r\n", "\n")
    if HEADER_BLOCK.fullmatch(text) is None:
        return _fields_up_to_the_body(text, wanted)
    # Every line is a header line, a continuation or a `From ` line: each wanted field is a line
    # starting `<name>:` (any case) and the continuation lines after it; its value loses the
    # blanks after the colon and the line breaks. The first of a name counts.
    fields: dict[str, str] = {}
    for name, value in reversed(_field_finder(frozenset(wanted)).findall("\n" + text)):
        fields[name.lower()] = value.replace("\n", "")
    return fields


@lru_cache(maxsize=8)
def _field_finder(wanted: frozenset[str]) -> re.Pattern:
    """`\n<name>:` for any of the wanted names in any case (longest first), capturing the
    name and the value: the rest of the line after the blanks, and the continuation lines."""
    names = "|".join(map(re.escape, sorted(wanted, key=len, reverse=True)))
    return re.compile(r"\n(?ai:(" + names + r")):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)")


def _fields_up_to_the_body(text: str, wanted: frozenset[str] | set[str]) -> dict[str, str]:
    """`header_fields` line by line, for a block in which a line that is not a header line
    ends the headers."""
    fields: dict[str, str] = {}
    key = None  # the wanted field being collected
    parts: list[str] = []
    for line in text.split("\n"):
        if not line:
            break
        first = line[0]
        if first == " " or first == "\t":
            if key is not None:
                parts.append(line)
            continue
        if key is not None:
            fields[key] = "".join(parts)
            key = None
        if line.startswith("From "):
            continue  # an envelope line: the library skips it
        colon = line.find(":")
        if colon < 0 or FIELD_NAME.fullmatch(line, 0, colon) is None:
            break  # not a header line: the body starts here
        name = line[:colon].lower()
        if colon and name in wanted and name not in fields:
            key = name
            parts = [line[colon + 1 :].lstrip(" \t")]
    if key is not None:
        fields[key] = "".join(parts)
    return fields


def _library_fields(block: bytes, wanted: frozenset[str] | set[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, value in _PARSER.parsebytes(block).raw_items():
        key = name.lower()
        if key in wanted and key not in fields:  # the library's msg[name] is the first one
            fields[key] = _unfold(value)
    return fields


def clean(text: str) -> str:
    """Text with the library's surrogate escapes (raw 8-bit bytes) decoded as UTF-8, else
    Windows-1252, else Latin-1."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    data = text.encode("utf-8", "surrogateescape")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def normalize_address(username: str, domain: str) -> str | None:
    """`local@domain` in lower case; a bare local part (`MAILER-DAEMON`) alone; None if empty."""
    local, domain = clean(username).strip(), clean(domain).strip()
    if not local:
        return None
    return f"{local}@{domain}".lower() if domain else local.lower()


@lru_cache(maxsize=65536)
def addresses(name: str, value: str) -> tuple[tuple[str, str | None], ...]:
    """(address, display name) of every mailbox in an address header, groups flattened."""
    value = _unfold(value)
    if value.isascii() and "=?" not in value:
        simple = _simple_addresses(value)
        if simple is not None:
            return simple
    pipermail = PIPERMAIL_ADDRESS.match(value)
    if pipermail:
        local, domain, comment = pipermail.groups()
        return ((f"{local}@{domain}".lower(), clean(comment).strip() or None if comment else None),)
    if "," in value:  # each item on its own, so that a person met in many lists is cached
        items = _list_items(value)
        if items is not None:
            found = [_item_addresses(name, item) for item in items]
            if all(clean_parse for _, clean_parse in found):
                return tuple(mailbox for item, _ in found for mailbox in item)
    return _item_addresses(name, value)[0]


def _item_addresses(name: str, item: str) -> tuple[tuple[tuple[str, str | None], ...], bool]:
    """`_library_addresses` of one item of a list, with the simple forms and an encoded-word
    display name read directly."""
    if "=?" not in item:
        simple = _simple_addresses(item) if item.isascii() else None
        if simple is not None:
            return simple, True
        return _library_addresses(name, item)
    encoded = ENCODED_MAILBOX.fullmatch(item)
    if encoded is not None:
        text = _decoded_word(encoded.group(1))
        if text is not None and text.isprintable():
            local, domain = encoded.group(2, 3)  # blank runs in the name read as one space
            return ((f"{local}@{domain}".lower(), " ".join(text.split()) or None),), True
    return _library_addresses(name, item)


@lru_cache(maxsize=65536)
def _library_addresses(name: str, value: str) -> tuple[tuple[tuple[str, str | None], ...], bool]:
    """The library's reading of an address header, and whether it read it without a defect
    (only then does an item read alone read as it does in its list). Nothing when its parser
    gives up, as it does on some broken headers."""
    try:
        header = POLICY.header_fetch_parse(name, value)
        found = header.addresses
    except Exception:
        return (), False
    result = []
    for address in found:
        normalized = normalize_address(address.username, address.domain)
        if normalized:
            result.append((normalized, clean(address.display_name).strip() or None))
    return tuple(result), not header.defects


def _list_items(value: str) -> list[str] | None:
    """The items of an address list split at its top-level commas, when the library reads each
    item on its own: no comment, escape or domain literal, every quoted string closed and every
    `=?` part of a well-formed encoded word inside its item. None otherwise (the list is read
    whole)."""
    items = []
    pos, end = 0, len(value)
    while True:
        match = LIST_ITEM.match(value, pos)
        if match is None:
            return None
        item = match.group().strip()
        if not item or ("=?" in item and "=?" in ENCODED_WORD_ONLY.sub("", item)):
            return None  # empty, or an encoded word that may go on past the comma
        items.append(item)
        pos = match.end()
        if pos == end:
            return items
        if value[pos] != ",":
            return None
        pos += 1


def _simple_addresses(value: str) -> tuple[tuple[str, str | None], ...] | None:
    """The mailboxes of an ASCII list of simple items, as the library reads them; None when an
    item is anything else (comment, group, encoded word, odd quoting, empty item)."""
    result = []
    pos, end = 0, len(value)
    while pos < end:
        match = SIMPLE_ITEM.match(value, pos)
        if match is None:
            return None
        quoted, phrase, local1, domain1, local2, domain2, local3, domain3 = match.groups()
        if local1 is not None:
            name = (quoted if quoted is not None else phrase).strip()
            result.append((f"{local1}@{domain1}".lower(), name or None))
        elif local2 is not None:
            result.append((f"{local2}@{domain2}".lower(), None))
        else:
            result.append((f"{local3}@{domain3}".lower(), None))
        pos = match.end()
        if pos == end and value[pos - 1] == ",":
            return None  # a trailing empty item
    return tuple(result)


@lru_cache(maxsize=65536)
def decoded(name: str, value: str) -> str:
    """An unstructured header (Subject...) as the library decodes it."""
    if value.isascii():
        if "=?" not in value:
            return _unfold(value)
        words = _decoded_words(_unfold(value))
        if words is not None:
            return words
    try:
        return clean(str(POLICY.header_fetch_parse(name, value)))
    except Exception:
        return clean(_unfold(value)).strip()


def _decoded_words(value: str) -> str | None:
    """An unstructured ASCII value of plain words and encoded words between blanks, as the
    library decodes it (the blank between two encoded words is dropped); None for anything else
    (an encoded word inside a word, one that does not decode cleanly, whitespace other than
    blanks)."""
    if OTHER_WHITESPACE.search(value):
        return None
    parts = BLANKS.split(value)  # word, blank, word, ..., word (words may be empty at the ends)
    words: list[str | None] = []  # the decoded text of an encoded word, None for a plain word
    for word in parts[::2]:
        if ENCODED_WORD_ONLY.fullmatch(word):
            text = _decoded_word(word)
            if text is None:
                return None
            words.append(text)
        elif "=?" in word:
            return None
        else:
            words.append(None)
    result = [parts[0] if words[0] is None else words[0]]
    for i in range(1, len(words)):
        if words[i - 1] is None or words[i] is None:
            result.append(parts[2 * i - 1])
        result.append(parts[2 * i] if words[i] is None else words[i])
    return "".join(result)


def _decoded_word(word: str) -> str | None:
    """One encoded word decoded by the library's own decoder, or None when it notes a defect
    (bad padding, undecodable bytes, unknown charset) or keeps raw bytes (`unknown-8bit`): the
    library then reads the header."""
    try:
        text, _, _, defects = email._encoded_words.decode(word)
        text.encode("utf-8")  # raw bytes kept as surrogates fail here
    except Exception:
        return None
    return None if defects else text


def message_id(value: str) -> str | None:
    """A Message-ID as the library decodes it, without its angle brackets."""
    simple = SIMPLE_MESSAGE_ID.fullmatch(value)
    if simple is not None and "=?" not in value:
        return simple.group(1)
    try:
        text = clean(str(POLICY.header_fetch_parse("message-id", value)))
    except Exception:
        text = clean(_unfold(value))
    return normalize_message_id(text)


def normalize_message_id(text: str) -> str | None:
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    return text or None


def date(value: str | None) -> tuple[dt.datetime | None, int | None, str | None]:
    """(UTC time, the sender's offset in minutes, a problem) for a Date header. An invalid or
    missing date gives no time and says why; `-0000` (zone unknown) is taken as UTC."""
    if value is None:
        return None, None, "missing"
    try:  # what the library's DateHeader does with the unfolded value
        parsed = parse_date(_unfold(value)) if value else None
    except Exception:
        parsed = None
    if parsed is None:
        shown = clean(_unfold(value)).strip()[:80]
        return None, None, f"invalid: {shown}"
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC), None, "no time zone (-0000), taken as UTC"
    offset = parsed.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else None
    return parsed.astimezone(dt.UTC), minutes, None


def parse_date(value: str) -> dt.datetime:
    """`email.utils.parsedate_to_datetime`, read directly when the value has the usual form
    `[Mon, ]3 Jan 2022 10:00:00 +0100` (`-0000`, zone unknown, gives a naive time)."""
    simple = SIMPLE_DATE.fullmatch(value)
    if simple is not None:
        day, month, year, hour, minute, second, sign, zone_hours, zone_minutes = simple.groups()
        offset = int(zone_hours) * 3600 + int(zone_minutes) * 60
        with contextlib.suppress(ValueError):  # out of range: the library says why
            return dt.datetime(
                int(year),
                MONTHS[month],
                int(day),
                int(hour),
                int(minute),
                int(second),
                tzinfo=None
                if offset == 0 and sign == "-"
                else _zone(-offset if sign == "-" else offset),
            )
    return email.utils.parsedate_to_datetime(value)


@lru_cache(maxsize=256)
def _zone(seconds: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(seconds=seconds))


@lru_cache(maxsize=4096)
def gmail_labels(value: str) -> tuple[str, ...]:
    """`X-Gmail-Labels`: comma-separated, a label with a comma double-quoted, non-ASCII labels
    RFC 2047-encoded, long lists folded."""
    text = _unfold(value)
    labels, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            labels.append("".join(current))
            current = []
        else:
            current.append(char)
    labels.append("".join(current))
    result = []
    for label in labels:
        label = label.strip()
        if "=?" in label:
            with contextlib.suppress(Exception):  # a broken encoded word stays as written
                label = str(email.header.make_header(email.header.decode_header(label)))
        label = clean(label)
        if label:
            result.append(label)
    return tuple(result)


def _unfold(value: str) -> str:
    return value.replace("\r", "").replace("\n", "")
