"""Identity resolution: which rows from which sources are the same real person.

Rules, strongest first (each link records the rule as its evidence):
1. `same LinkedIn profile` — the profile slug is the stable person key.
2. `same email address` — case-insensitive, Gmail dots and `+tags` removed, googlemail = gmail.
3. `same name and company` — the normalised full name and the normalised company agree, or the
   name agrees and an email's domain is the company's name (amara@northwindlabs.com ↔ Northwind
   Labs).
4. `address book` — an address-book row (a contact the user keeps) whose name matches exactly one
   LinkedIn connection, and that name is unique in the address book too.
5. `your interaction log` — a log line that names someone without an address or profile means
   the one person elsewhere with that name; when nobody else (or more than one person) has that
   name, the log lines with it are one person of their own.
Weak rules (3-5) never join two different LinkedIn profiles, and a name and company shared by two
LinkedIn profiles joins nothing: namesakes at one company stay apart.
A common name alone never merges two people. The configuration can force a merge (two
identifiers are one person) or a split (an identifier is kept out of name-based merges).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

STRONG_KINDS = ("linkedin_slug", "email")
COMPANY_NOISE = re.compile(
    r"\b(inc|llc|ltd|gmbh|ag|sa|plc|corp|corporation|co|company|group|the)\b\.?", re.IGNORECASE
)
MIN_DOMAIN_PREFIX = 4  # shorter domain labels (`ibm`, `hp`) must name the company whole
FREE_MAIL = {
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "proton.me",
    "protonmail.com",
    "aol.com",
    "gmx.de",
    "web.de",
    "live.com",
    "me.com",
    "yandex.ru",
    "googlemail.com",
    "yahoo.co.uk",
    "hotmail.co.uk",
    "mail.com",
    "fastmail.com",
    "hey.com",
    "zoho.com",
    "tutanota.com",
    "t-online.de",
    "orange.fr",
    "free.fr",
    "qq.com",
    "163.com",
    "naver.com",
    # reserved for examples (RFC 2606): nobody's employer
    "example.com",
    "example.net",
    "example.org",
}


@dataclass(frozen=True)
class Observation:
    """One sighting of a person in one source row."""

    source: str  # e.g. linkedin_connections, email_messages, contacts, calendar_attendees
    ref: str  # where: table and record, for the evidence trail
    name: str | None = None
    emails: tuple[str, ...] = ()
    linkedin_slug: str | None = None
    company: str | None = None
    is_address_book: bool = False
    is_own_log: bool = False


@dataclass(frozen=True)
class Identifier:
    person_id: str
    kind: str  # linkedin_slug | email | name
    value: str
    evidence: str
    sources: tuple[str, ...]


@dataclass
class Resolution:
    person_of: list[str]  # person id per observation, same order as the input
    identifiers: list[Identifier] = field(default_factory=list)


def normalize_email(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    local, _, domain = address.strip().strip("<>").lower().rpartition("@")
    if not local or not domain:
        return None
    if domain == "googlemail.com":
        domain = "gmail.com"
    if domain == "gmail.com":
        local = local.split("+", 1)[0].replace(".", "")
    return f"{local}@{domain}"


def normalize_name(name: str | None) -> str | None:
    """Case, accents, credentials after a comma and punctuation removed: 'Sina Rezaee, PhD' and
    'sina rezaee' agree. Returns None for names too short to identify anyone."""
    if not name:
        return None
    text = name.split(",")[0]
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", " ", text.casefold())
    words = text.split()
    return " ".join(words) if len(words) >= 2 else None


def normalize_company(company: str | None) -> str | None:
    if not company:
        return None
    text = COMPANY_NOISE.sub(" ", company.casefold())
    text = re.sub(r"[^\w]", "", text)
    return text or None


def email_company(address: str) -> str | None:
    """The organisation an address belongs to (`northwindlabs` for a@northwindlabs.com)."""
    domain = address.rpartition("@")[2]
    if domain in FREE_MAIL:
        return None
    parts = domain.split(".")
    return parts[-2] if len(parts) >= 2 else None


class _UnionFind:
    """Clusters of observations, each knowing its LinkedIn profiles: two clusters with different
    profiles are two people, so a weak rule (a name) may not join them."""

    def __init__(self, slugs: Sequence[str | None]) -> None:
        self.parent = list(range(len(slugs)))
        self.slugs = [{s} if s else set() for s in slugs]

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def conflict(self, a: int, b: int) -> bool:
        sa, sb = self.slugs[self.find(a)], self.slugs[self.find(b)]
        return bool(sa and sb and sa.isdisjoint(sb))

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            root, child = min(ra, rb), max(ra, rb)
            self.parent[child] = root
            self.slugs[root] |= self.slugs[child]


def resolve(
    observations: Sequence[Observation],
    *,
    force_merge: Iterable[tuple[str, str]] = (),
    force_split: Iterable[str] = (),
) -> Resolution:
    """Group observations into people. `force_merge` pairs and `force_split` entries are
    identifiers written `email:x@y.com`, `linkedin:slug` or `name:Full Name`."""
    uf = _UnionFind([(o.linkedin_slug or "").lower() or None for o in observations])
    evidence: dict[int, str] = {}
    split = {_parse_identifier(text) for text in force_split}
    emails = [tuple(e for e in map(normalize_email, o.emails) if e) for o in observations]
    names = [normalize_name(o.name) for o in observations]

    def keys_of(i: int) -> set[tuple[str, str]]:
        keys = {("email", e) for e in emails[i]}
        if observations[i].linkedin_slug:
            keys.add(("linkedin_slug", observations[i].linkedin_slug.lower()))
        if names[i]:
            keys.add(("name", names[i]))
        return keys

    def link(groups: dict, rule: str, *, strong: bool = False) -> None:
        """Join each group's members; a weak rule never joins two different LinkedIn profiles."""
        for members in groups.values():
            first = members[0]
            for other in members[1:]:
                if uf.find(first) == uf.find(other) or (not strong and uf.conflict(first, other)):
                    continue
                uf.union(first, other)
                evidence.setdefault(other, rule)

    by_slug: dict[str, list[int]] = defaultdict(list)
    by_email: dict[str, list[int]] = defaultdict(list)
    for i, o in enumerate(observations):
        if o.linkedin_slug:
            by_slug[o.linkedin_slug.lower()].append(i)
        for e in emails[i]:
            by_email[e].append(i)
    link(by_slug, "same LinkedIn profile", strong=True)
    link(by_email, "same email address", strong=True)

    weak = [i for i in range(len(observations)) if not (keys_of(i) & split)]
    by_name_company: dict[tuple[str, str], list[int]] = defaultdict(list)
    company_of_domain = _companies_by_prefix(o.company for o in observations)
    for i in weak:
        if not names[i]:
            continue
        companies = {normalize_company(observations[i].company)}
        for e in emails[i]:
            domain = email_company(e)
            companies |= company_of_domain.get(domain, {domain})
        # sorted: the order of the groups decides which rule links a row first (its evidence),
        # and a set of strings comes out in another order in every process
        for company in sorted(companies - {None}):
            by_name_company[(names[i], company)].append(i)
    # Namesakes at one company: when the group holds two LinkedIn profiles, the name and company
    # cannot tell which of them an address belongs to, so the group joins nobody.
    link(
        {
            key: members
            for key, members in by_name_company.items()
            if len({uf.find(i) for i in members if uf.slugs[uf.find(i)]}) <= 1
        },
        "same name and company",
    )

    linkedin_by_name: dict[str, set[int]] = defaultdict(set)
    book_by_name: dict[str, list[int]] = defaultdict(list)
    for i in weak:
        if not names[i]:
            continue
        if observations[i].is_address_book:
            book_by_name[names[i]].append(i)
        elif observations[i].linkedin_slug:
            linkedin_by_name[names[i]].add(uf.find(i))
    for name, rows in book_by_name.items():
        people = linkedin_by_name.get(name, set())
        if len(rows) == 1 and len(people) == 1:
            link({name: [next(iter(people)), rows[0]]}, "address book")

    # Log lines that name someone without an address or profile: the one person elsewhere with
    # that name, else (nobody, or several namesakes) one person of their own.
    log_by_name: dict[str, list[int]] = defaultdict(list)
    people_by_name: dict[str, set[int]] = defaultdict(set)
    for i in weak:
        if not names[i]:
            continue
        if observations[i].is_own_log and keys_of(i) == {("name", names[i])}:
            log_by_name[names[i]].append(i)
        else:
            people_by_name[names[i]].add(uf.find(i))
    for name, rows in log_by_name.items():
        people = people_by_name.get(name, set())
        target = [next(iter(people))] if len(people) == 1 else []
        link({name: [*target, *rows]}, "your interaction log")

    index: dict[tuple[str, str], int] = {}
    for i in range(len(observations)):
        for key in keys_of(i):
            index.setdefault(key, i)
    for a, b in force_merge:
        ia, ib = index.get(_parse_identifier(a)), index.get(_parse_identifier(b))
        if ia is not None and ib is not None and uf.find(ia) != uf.find(ib):
            uf.union(ia, ib)
            evidence.setdefault(ib, "configured merge")

    return _person_ids(observations, uf, evidence, emails, keys_of)


def _companies_by_prefix(companies: Iterable[str | None]) -> dict[str, set[str]]:
    """The company an email domain names, when the domain is how the company's name begins:
    `copperleaf` (a@copperleaf.example) is `Copperleaf Software`. A domain that begins two known
    companies' names stays just the domain."""
    found: dict[str, set[str]] = defaultdict(set)
    for company in {normalize_company(c) for c in companies} - {None}:
        for end in range(MIN_DOMAIN_PREFIX, len(company) + 1):
            found[company[:end]].add(company)
    return {prefix: names for prefix, names in found.items() if len(names) == 1}


def _parse_identifier(text: str) -> tuple[str, str]:
    kind, _, value = text.partition(":")
    kind = {"linkedin": "linkedin_slug", "slug": "linkedin_slug"}.get(kind.strip(), kind.strip())
    if kind == "email":
        return ("email", normalize_email(value) or value.strip().lower())
    if kind == "name":
        return ("name", normalize_name(value) or value.strip().casefold())
    return (kind, value.strip().lower())


def _person_ids(observations, uf, evidence, emails, keys_of) -> Resolution:
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(observations)):
        clusters[uf.find(i)].append(i)
    person_of = [""] * len(observations)
    identifiers: list[Identifier] = []
    for members in clusters.values():
        keys = set().union(*(keys_of(i) for i in members))
        person_id = _stable_id(keys, members, observations)
        seen: dict[tuple[str, str], tuple[str, set[str]]] = {}
        for i in members:
            person_of[i] = person_id
            rule = evidence.get(i, "first sighting")
            for key in keys_of(i):
                first_rule, sources = seen.setdefault(key, (rule, set()))
                sources.add(observations[i].source)
        identifiers.extend(
            Identifier(person_id, kind, value, rule, tuple(sorted(sources)))
            for (kind, value), (rule, sources) in sorted(seen.items())
        )
    return Resolution(person_of, identifiers)


def _stable_id(keys: set[tuple[str, str]], members: list[int], observations) -> str:
    """The same person keeps the same id across rebuilds: derived from their strongest key, or
    from their first source row when they have none (two namesakes must not share an id)."""
    for kind in STRONG_KINDS:
        values = sorted(v for k, v in keys if k == kind)
        if values:
            basis = f"{kind}:{values[0]}"
            break
    else:
        basis = "row:" + min(observations[i].ref for i in members)
    return "p_" + hashlib.sha1(basis.encode()).hexdigest()[:12]
