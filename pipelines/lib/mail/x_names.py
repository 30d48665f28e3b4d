"""People's names from the `X-From`, `X-To` and `X-cc` headers of Exchange and Lotus Notes
exports (the Enron corpus, PST conversions).

Such archives often write bare addresses in `From`/`To` (`From: rick.buy@enron.com`) and keep
the name only in the X- header, in the forms the exporting tool wrote:
- Exchange: `Buy, Rick </O=ENRON/OU=NA/CN=RECIPIENTS/CN=RBUY>` (Last, First and a directory path);
- Notes: `Rick Buy`, or `Rick Buy@ENRON`, lists joined by `, `;
- Internet mail relayed through Notes: `"Buy, Rick" <rick.buy@enron.com> @ ENRON`, which
  Exchange quotes again: `'"Jeff Smith" <jsmith@austintx.com>@ENRON' <IMCEANOTES-...>`.
A name is turned into "First Last" reading order and stripped of the directory path, the
`@ENRON` domain, `(E-mail)` and `[DEPT]` notes. A value that is only an address names no one.
"""

from __future__ import annotations

import re
from functools import lru_cache

# `<...>` (an address or directory path) and what Notes appends after it (` @ ENRON`).
ANGLE_PART = re.compile(r"\s*<[^<>]*>(?:\s*@\s*[A-Za-z0-9.-]+)?\s*$")
NOTES_DOMAIN = re.compile(r"@[A-Za-z0-9.-]*$")
NOTES = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])")  # (E-mail), [PVTC]
# One item of an X-To list: a name (quoted, or words) then `<...>` with an optional
# ` @ DOMAIN`, ending at a comma or the end; or a name or address without `<` up to a comma.
# In an Exchange list (directory paths `</O=...>`) a name holds the comma of "Last, First".
ANGLE_ITEM = re.compile(r'\s*((?:"[^"]*"|[^",<>])*<[^<>]*>(?:\s*@\s*[A-Za-z0-9.-]+)?)\s*(?:,|$)')
EXCHANGE_ITEM = re.compile(r'\s*((?:"[^"]*"|[^"<>])*<[^<>]*>)\s*(?:,|$)')
PLAIN_ITEM = re.compile(r'\s*((?:"[^"]*"|[^",<>])+?)\s*(?:,|$)')
EXCHANGE_PATH = re.compile(r"</O=", re.I)
ADDRESS_LIKE = re.compile(r"^[^\s@]+@[^\s@]+$")


@lru_cache(maxsize=65536)
def person_name(value: str | None) -> str | None:
    """The name in one X-From value (or one item of an X-To/X-cc list) in reading order:
    `Buy, Rick </O=ENRON/...>` -> `Rick Buy`; None when it holds only an address or nothing."""
    text = ANGLE_PART.sub("", (value or "").strip())
    text = text.strip().strip('"').strip()
    if len(text) > 1 and text[0] == text[-1] == "'":
        # Exchange quoting a Notes address: '"Jeff Smith" <jsmith@austintx.com>@ENRON' <IMCEA...>
        return person_name(text[1:-1])
    if ADDRESS_LIKE.match(text):
        return None
    text = NOTES_DOMAIN.sub("", text)
    text = NOTES.sub("", text).strip().strip('"').strip()
    if not text or "@" in text or "/" in text:
        return None  # an address in another form, or a directory path without a name
    if text.count(",") == 1:
        last, first = (part.strip() for part in text.split(","))
        text = f"{first} {last}".strip()
    text = " ".join(text.split())
    if text.isupper() and len(text) > 3:
        text = text.title()  # "ALLEN, PHILLIP K" reads as a name, not a shout
    return text if any(ch.isalpha() for ch in text) else None


@lru_cache(maxsize=65536)
def name_list(value: str | None) -> tuple[str | None, ...]:
    """The names of an X-To or X-cc value, one per recipient in order (None for an item that
    is only an address). Items with `<...>` end after it, so that `Last, First <...>` is one
    item; without `<`, items end at each comma (Notes writes `First Last, First Last`)."""
    text = (value or "").strip()
    if not text:
        return ()
    items: list[str] = []
    pos = 0
    forms = (EXCHANGE_ITEM,) if EXCHANGE_PATH.search(text) else (ANGLE_ITEM, PLAIN_ITEM)
    while pos < len(text):
        match = next(filter(None, (form.match(text, pos) for form in forms)), None)
        if match is None or match.end() == pos:
            return ()  # a form not understood: better no names than names paired wrongly
        items.append(match.group(1))
        pos = match.end()
    return tuple(person_name(item) for item in items)


def paired_names(
    recipients: list[tuple[str, str, str | None]], x_lists: dict[str, str]
) -> list[str | None]:
    """For each (role, address, name) recipient, the name its role's X- header gives it, paired
    by position, and only when that header lists exactly as many people as the role has
    (otherwise which name belongs to which address is a guess, and none is given)."""
    by_role: dict[str, list[int]] = {}
    for index, (role, _, _) in enumerate(recipients):
        by_role.setdefault(role, []).append(index)
    names: list[str | None] = [None] * len(recipients)
    for role, indexes in by_role.items():
        found = name_list(x_lists.get(role))
        if len(found) == len(indexes):
            for index, name in zip(indexes, found, strict=True):
                names[index] = name
    return names
