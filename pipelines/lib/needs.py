"""What a contact asked for, in words another contact can answer: "introduce me to someone at
Silverpine Insurance" (a company), "any tips for getting into design?" (a field), "we are looking
for a data engineer" (a role). Plain Python, no Dagster.

The introductions mart pairs such a need with a contact whose current employer, job title or
field answers it. Only concrete needs count: "if you know anyone hiring" names nothing another
person's job could answer, so it is no need here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import polars as pl

NEED_COLUMNS = {
    "person_id": pl.String,
    "asked_on": pl.Date,
    "need_kind": pl.String,  # company | field | role
    "need": pl.String,  # the thing asked for, as they wrote it: "Silverpine Insurance", "design"
    "asked_for": pl.String,  # how a reason names it: "advice on getting into design"
    "said": pl.String,  # the sentence it was found in
}

# A company: capitalised words (with &, - and . inside), as written.
_COMPANY = r"(?P<company>[A-Z][\w&.'-]*(?:\s+(?:&\s+)?[A-Z][\w&.'-]*)*)"
# A field or role: up to four words ("data engineering", "product design").
_WORDS = r"(?P<words>(?i:[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,3}))"
_STOP = re.compile(
    r"\s+(?:by|before|this|next|who|that|to|for|in|at|on|with|and|or|if|so|as|soon|asap|"
    r"sometime|someday|please|thanks)\b.*$"
)
_INTRODUCTION = "an introduction to someone at {}"
_GETTING_INTO = "advice on getting into {}"
# (kind, pattern, how a reason names what was asked for)
_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "company",
        re.compile(
            r"\b(?:introduc\w*|intro|connect|put)\s+(?:me|us)\s+(?:in touch\s+)?(?:to|with)\s+"
            r"(?:someone|somebody|anyone|anybody|people|a contact)\b[^.?!]{0,40}?\bat\s+" + _COMPANY
        ),
        _INTRODUCTION,
    ),
    (
        "company",
        re.compile(
            r"\b(?:know|knows)\s+(?:anyone|anybody|someone|somebody)\s+(?:who works\s+|working\s+)?"
            r"at\s+" + _COMPANY
        ),
        _INTRODUCTION,
    ),
    ("company", re.compile(r"\breferral\s+(?:to|at|for)\s+" + _COMPANY), "a referral to {}"),
    (
        "field",
        re.compile(
            r"(?i:\b(?:tips|advice|help|pointers|guidance)\s+(?:for|on|about)\s+"
            r"(?:getting|breaking|moving|going)\s+into\s+)" + _WORDS
        ),
        _GETTING_INTO,
    ),
    (
        "field",
        re.compile(r"(?i:\b(?:getting|breaking|moving)\s+into\s+)" + _WORDS),
        _GETTING_INTO,
    ),
    ("field", re.compile(r"(?i:\badvice\s+(?:on|about)\s+)" + _WORDS), "advice on {}"),
    (
        "role",
        re.compile(
            r"(?i:\b(?:looking for|searching for|hiring|need|recommend)\s+(?:a|an)\s+"
            r"(?:good\s+|great\s+|new\s+)?)" + _WORDS
        ),
        "a {}",
    ),
)
# Words that end a field or role without being part of it ("design sometime", "lawyer asap").
_NOT_A_NEED = {"job", "role", "position", "way", "bit", "chat", "call", "coffee", "quick", "few"}

# What a field is called in job titles and company names, beyond its own word.
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "healthcare": ("health", "hospital", "clinical", "medical"),
    "legal": ("lawyer", "counsel", "attorney", "law"),
    "media": ("journalist", "editor", "editorial", "publishing"),
    "logistics": ("supply chain", "freight", "shipping"),
    "non-profit": ("nonprofit", "foundation", "charity"),
    "software": ("software engineer", "developer"),
    "venture": ("investor", "ventures", "capital"),
    "finance": ("bank", "financial", "investment"),
    "design": ("designer",),
}


@dataclass(frozen=True)
class Need:
    kind: str
    need: str
    said: str
    asked_for: str = ""


_TAG_RE = re.compile(r"<[^>]+>")
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")


def plain_text(text: str) -> str:
    """Message text without HTML (LinkedIn InMail bodies are HTML)."""
    return " ".join(html.unescape(_TAG_RE.sub(" ", text)).split())


def _trim(words: str) -> str:
    words = _STOP.sub("", words.lower()).strip(" -")
    kept = []
    for word in words.split():
        if word in _NOT_A_NEED:
            break
        kept.append(word)
    return " ".join(kept)


def needs_in(text: str | None) -> list[Need]:
    """The concrete needs a message states, at most one per thing asked for."""
    found: dict[tuple[str, str], Need] = {}
    for sentence in _SENTENCE_RE.split(plain_text(text or "")):
        for kind, pattern, template in _PATTERNS:
            for match in pattern.finditer(sentence):
                company = kind == "company"
                need = match["company"].rstrip(".") if company else _trim(match["words"])
                if need:
                    found.setdefault(
                        (kind, need.lower()),
                        Need(kind, need, sentence.strip(), template.format(need)),
                    )
    return list(found.values())


def terms_answering(need: Need) -> tuple[str, ...]:
    """The lower-case words a job title or employer contains when it answers the need."""
    key = need.need.lower()
    if need.kind == "company":
        return (key,)
    return (key, *FIELD_WORDS.get(key, ()))


def contact_needs(messages: pl.DataFrame) -> pl.DataFrame:
    """marts.contact_needs from (person_id, asked_on, text): one row per person and need, the
    latest time they asked for it, with the terms that answer it."""
    rows = []
    for person_id, asked_on, text in messages.select("person_id", "asked_on", "text").iter_rows():
        for need in needs_in(text):
            rows.append(
                {
                    "person_id": person_id,
                    "asked_on": asked_on,
                    "need_kind": need.kind,
                    "need": need.need,
                    "asked_for": need.asked_for,
                    "said": need.said[:160],
                    "answered_by": list(terms_answering(need)),
                }
            )
    schema = {**NEED_COLUMNS, "answered_by": pl.List(pl.String)}
    frame = pl.DataFrame(rows, schema=schema)
    return (
        frame.with_columns(pl.col("need").str.to_lowercase().alias("need_key"))
        .sort("asked_on", descending=True)
        .unique(["person_id", "need_kind", "need_key"], keep="first", maintain_order=True)
        .drop("need_key")
        .sort("person_id", "asked_on", "need")
    )
