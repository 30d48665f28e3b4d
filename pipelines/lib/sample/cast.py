"""The cast of the sample data set: a fictional owner, ~300 fictional contacts and their story.

Every source generator (LinkedIn, mail, contact CSVs, calendar, interaction log) renders the
same `Cast`, so the sources agree with each other: the person Maya e-mails is the person she
is connected to on LinkedIn, meets in the calendar and logs a coffee with. Nothing here is a
real person; companies use the reserved `.example` top-level domain and personal addresses
`example.com` / `example.org` / `example.net`.

API for generator authors (`build_cast(seed, scale)` returns a `Cast`):

- `cast.owner: Owner` — `first_name`, `last_name`, `full_name`, `slug`, `profile_url`,
  `personal_email`, `work_email`, `old_work_email`, `emails` (all three), `headline`,
  `industry`, `location`, `birth_date`, `positions` (list of `Job` with `started`/`finished`).
- `cast.contacts: list[Contact]` (ids 1..n; `cast.person(id)`). A `Contact` has
  `first_name`, `last_name` (either may be a lone ".", carry ", PhD", an emoji or a
  non-Latin script), `full_name`, `slug` (as it appears in the URL: may be percent-encoded or
  raw non-ASCII), `profile_url` (`https://www.linkedin.com/in/<slug>`), `personal_email`,
  `work_email` (may be None), `emails` (non-empty ones), `phone`, `birthday` (date or None;
  `birthday_year_known` False means only month/day are known, e.g. Google's `--12-09`),
  `job_before` / `job_after` (`Job`: company, domain, title, sector, seniority — company and
  title as of the first and the later LinkedIn export), `job_change` ("" | "company" |
  "title"), `tier` (one of `TIERS`), `dormant` (a formerly strong tie gone quiet), `on_linkedin`
  (a 1st-degree connection), `story: Story`, and `job_at(date)`.
- `Story`: `first_contact` (date they met), `met_via` (words), `connected_on` (LinkedIn
  connection date or None), `invited_by_owner`, `invite_note` (personal note or None),
  `cadence_days` (typical days between contacts while active), `active_until` (last date they
  were in touch), `owner_gives` (share of Maya's own messages that are gives rather than asks),
  `contact_gives` (the same for the contact's messages), `reply_rate` (chance a message gets an
  answer), `channels` (weights per channel: "linkedin", "email", "meeting", "call").
- `cast.threads: list[Thread]` — conversations, each with `id`, `channel` ("linkedin" or
  "email"), `participants` (contact ids; more than one = group/introduction), `subject`, and
  `messages: list[Message]` (`sent_at` UTC datetime, `sender` = `OWNER` (0) or a contact id,
  `text` (plain text, first line of the new body), `kind`: "ask" | "give" | "chat" | "reply",
  `specific` (asks: direct and time-bound), `draft`).  Recipients of a message are the owner
  plus the participants minus the sender (`cast.recipients(thread, message)`).
- `cast.meetings: list[Meeting]` — `id`, `start` (UTC), `minutes`, `title`, `attendees`
  (contact ids), `kind` ("meeting" | "coffee" | "call" | "lunch"), `organizer` (`OWNER` or a
  contact id), `in_calendar` (render in the .ics), `in_log` (render in the hand-kept
  interaction log), `status` ("CONFIRMED" | "CANCELLED"), `declined` (attendee ids who said
  no), `note`, `give_ask` ("give" | "ask" | "").
- `cast.exports: tuple[date, date]` — dates of the two LinkedIn exports; `cast.start`,
  `cast.end` (the story runs from start to end; `end` is the later export date and a sensible
  `--as-of` for the sample).

Everything is drawn from one `random.Random(seed)` in a fixed order, so the same seed gives the
same cast; generators get their own `random.Random` (see `pipelines.lib.sample`) so adding one
never changes another's output.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import urllib.parse
from dataclasses import dataclass, field

OWNER = 0
TIERS = ("inner", "close", "active", "wider", "acquaintance")
# Share of contacts per tier, and typical days between two contacts while the tie is active.
TIER_SHARE = {"inner": 0.03, "close": 0.09, "active": 0.2, "wider": 0.3, "acquaintance": 0.38}
TIER_CADENCE = {"inner": 12, "close": 30, "active": 60, "wider": 150, "acquaintance": 500}

START = dt.date(2022, 1, 10)
EXPORTS = (dt.date(2024, 6, 14), dt.date(2024, 12, 16))
BASE_CONTACTS = 300


@dataclass(frozen=True)
class Size:
    """How big the sample is. `Size.of(scale)` is `--scale N`: N x 300 contacts over the same
    three years. `HEAVY` (`--heavy`) is a heavy user: ten years, ~2,200 people with a story and
    ~8,600 LinkedIn connections she never talks to (`silent_connections`), so ~10,000
    connections, ~2,000 address-book entries, ~50,000 LinkedIn messages and ~5,000 calendar
    events. `scale` is what the generators receive (the mail generator's volume multiplier)."""

    contacts: int
    scale: int = 1
    start: dt.date = START
    silent_connections: int = 0
    cadence_factor: float = 1.0  # >1: fewer touches per tie (a big network is tended less often)
    unique_emails: bool = False  # give duplicated addresses (same name, same domain) a number
    # Weight multipliers per channel (linkedin, email, meeting, call): a heavy LinkedIn user
    # writes there more than she meets people.
    channel_factors: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)

    @classmethod
    def of(cls, scale: int) -> Size:
        return cls(contacts=BASE_CONTACTS * max(1, scale), scale=max(1, scale))


# The heavy user of docs/benchmarks.md (`constellation sample --heavy`); counts tuned on seed 7.
HEAVY = Size(
    contacts=2_200,
    scale=450,  # the mail generator: ~106 background messages a year per unit, ~480,000
    start=dt.date(2015, 1, 12),
    silent_connections=8_000,
    cadence_factor=1.2,
    unique_emails=True,
    channel_factors=(2.6, 1.0, 0.75, 0.75),
)


@dataclass(frozen=True)
class Job:
    company: str
    domain: str
    sector: str
    function: str
    title: str
    seniority: str
    started: dt.date | None = None
    finished: dt.date | None = None


@dataclass(frozen=True)
class Owner:
    first_name: str
    last_name: str
    slug: str
    personal_email: str
    work_email: str
    old_work_email: str
    headline: str
    industry: str
    location: str
    birth_date: dt.date
    positions: tuple[Job, ...]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def profile_url(self) -> str:
        return f"https://www.linkedin.com/in/{self.slug}"

    @property
    def emails(self) -> tuple[str, ...]:
        return (self.personal_email, self.work_email, self.old_work_email)


@dataclass
class Story:
    first_contact: dt.date
    met_via: str
    connected_on: dt.date | None
    invited_by_owner: bool
    invite_note: str | None
    cadence_days: int
    active_until: dt.date
    owner_gives: float
    contact_gives: float
    reply_rate: float
    channels: dict[str, float]


@dataclass
class Contact:
    id: int
    first_name: str
    last_name: str
    slug: str
    personal_email: str | None
    work_email: str | None
    phone: str | None
    birthday: dt.date | None
    birthday_year_known: bool
    job_before: Job
    job_after: Job
    job_change: str
    tier: str
    dormant: bool
    on_linkedin: bool
    story: Story

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p).strip()

    @property
    def profile_url(self) -> str:
        return f"https://www.linkedin.com/in/{self.slug}"

    @property
    def emails(self) -> tuple[str, ...]:
        return tuple(e for e in (self.personal_email, self.work_email) if e)

    def job_at(self, day: dt.date) -> Job:
        """The job as LinkedIn shows it on `day`: the new one only after the first export."""
        return self.job_after if day > EXPORTS[0] and self.job_change else self.job_before


@dataclass
class Message:
    sent_at: dt.datetime
    sender: int
    text: str
    kind: str
    specific: bool = False
    draft: bool = False


@dataclass
class Thread:
    id: str
    channel: str
    participants: tuple[int, ...]
    subject: str
    messages: list[Message] = field(default_factory=list)


@dataclass
class Meeting:
    id: str
    start: dt.datetime
    minutes: int
    title: str
    attendees: tuple[int, ...]
    kind: str
    organizer: int
    in_calendar: bool
    in_log: bool
    status: str = "CONFIRMED"
    declined: tuple[int, ...] = ()
    note: str = ""
    give_ask: str = ""


@dataclass
class Cast:
    seed: int
    scale: int
    owner: Owner
    contacts: list[Contact]
    threads: list[Thread]
    meetings: list[Meeting]
    exports: tuple[dt.date, dt.date] = EXPORTS
    start: dt.date = START

    @property
    def end(self) -> dt.date:
        return self.exports[1]

    def person(self, contact_id: int) -> Contact:
        return self.contacts[contact_id - 1]

    def recipients(self, thread: Thread, message: Message) -> tuple[int, ...]:
        everyone = (OWNER, *thread.participants)
        return tuple(p for p in everyone if p != message.sender)

    def name_of(self, person_id: int) -> str:
        return self.owner.full_name if person_id == OWNER else self.person(person_id).full_name


# --- pools -------------------------------------------------------------------------------------

FIRST_NAMES = (  # noqa: SIM905 - a word list reads better as text
    "Aisha Alejandro Amara Anders Ana Arjun Astrid Beatriz Benedikt Bo Camille Carlos Chen "
    "Chiara Dana Daniel Dara Elif Elena Emeka Emil Esther Fatima Felix Freya Gabriel Hana "
    "Hannah Hiroshi Ines Ivan Jamal Jana Javier Jonas Julia Kai Kamala Karin Kenji Lars Leila "
    "Lena Liam Lucia Malik Marco Mariam Mateo Mei Mikael Nadia Naomi Nils Noor Olga Omar "
    "Oskar Paola Priya Rafael Ravi Rosa Ruth Samir Sanna Sebastian Sofia Sven Tariq Thea "
    "Tomas Uma Valentina Vera Wei Xavier Yara Yusuf Zainab Zoe Ingrid Tobias Linnea Kofi"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Abara Andersson Baptiste Bergstrom Brennan Castillo Chowdhury Dahl Delacroix Ekwueme "
    "Engel Farouk Fischer Gallo Haddad Halvorsen Ibarra Ivanova Jansen Kagame Karimi Kowalski "
    "Lambert Lindgren Lopes Mahlangu Marchetti Moreau Nakamura Nasser Nieminen Novak Okafor "
    "Oliveira Petrov Quist Rahman Rossi Saarinen Sandoval Sato Schmid Sorensen Tanaka Torres "
    "Ulloa Varga Vasquez Weber Whitfield Yilmaz Zielinski Holm Achterberg Mensah Pereira"
).split()
# Names as people really type them into LinkedIn, each used once.
ODD_NAMES = (
    ("Parisa", "Rezvani, PhD"),
    ("Tom", "."),
    ("Jo", "Whitcombe, MBA, PMP"),
    ("Sunny 🌞", "Okonkwo"),
    ("Lukas", "Brandt 🚀"),
    ("李", "娜"),
    ("Αλεξάνδρα", "Παπαδοπούλου"),
    ("Дмитрий", "Орлов"),
    ("سارا", "احمدی"),
    ("Zoë", "Bakker-Ruiz"),
    ("José", "Núñez"),
    ("Dr. Helen", "Achebe"),
    ("Björn", "Ødegård"),
    ("민준", "김"),
    ("", "Sasha"),
)

COMPANIES = (
    ("Copperleaf Software", "copperleaf.example", "Software"),
    ("Oakline Bank", "oaklinebank.example", "Financial services"),
    ("Brightwater Health", "brightwater.example", "Healthcare"),
    ("Kestrel Robotics", "kestrel-robotics.example", "Manufacturing"),
    ("Fennel & Finch Design", "fennelfinch.example", "Design"),
    ("Tidewater Logistics", "tidewater.example", "Logistics"),
    ("Quillmark Publishing", "quillmark.example", "Media"),
    ("Halcyon Energy", "halcyon-energy.example", "Energy"),
    ("Lumen Ridge Capital", "lumenridge.example", "Financial services"),
    ("Verdant Foods", "verdantfoods.example", "Consumer goods"),
    ("Stonebridge University", "stonebridge.example", "Education"),
    ("Aster Biotech", "asterbio.example", "Biotech"),
    ("Polaris Civic Lab", "polarislab.example", "Non-profit"),
    ("Juniper Games", "junipergames.example", "Software"),
    ("Silverpine Insurance", "silverpine.example", "Financial services"),
    ("Cobalt Cloud", "cobaltcloud.example", "Software"),
    ("Marigold Media", "marigold.example", "Media"),
    ("Granite Legal LLP", "granitelegal.example", "Legal"),
    ("Birchway Consulting", "birchway.example", "Consulting"),
    ("Redwood Retail Group", "redwoodretail.example", "Retail"),
    ("Orchid Therapeutics", "orchidtx.example", "Biotech"),
    ("Ironbark Construction", "ironbark.example", "Construction"),
    ("City of Ashford", "ashford.example", "Government"),
    ("Nimbus Analytics", "nimbus-analytics.example", "Software"),
    ("Sable Street Ventures", "sablestreet.example", "Venture capital"),
    ("Hollow Oak Studio", "hollowoak.example", "Design"),
    ("Meridian Rail", "meridianrail.example", "Logistics"),
    ("Wrenfield Hospital", "wrenfield.example", "Healthcare"),
)
FUNCTIONS = {
    "Software": ("Software Engineer", "Data Engineer", "Product Manager", "Data Scientist"),
    "Financial services": ("Risk Analyst", "Data Engineer", "Product Owner", "Quant Analyst"),
    "Healthcare": ("Nurse Practitioner", "Health Data Analyst", "Clinical Informatician"),
    "Manufacturing": ("Robotics Engineer", "Operations Manager", "Quality Engineer"),
    "Design": ("UX Designer", "Product Designer", "Design Researcher"),
    "Logistics": ("Supply Chain Analyst", "Operations Manager", "Data Analyst"),
    "Media": ("Editor", "Audience Analyst", "Journalist"),
    "Energy": ("Grid Analyst", "Data Scientist", "Project Engineer"),
    "Consumer goods": ("Brand Manager", "Demand Planner", "Data Analyst"),
    "Education": ("Lecturer", "Research Fellow", "Professor of Statistics"),
    "Biotech": ("Research Scientist", "Bioinformatician", "Lab Manager"),
    "Non-profit": ("Program Manager", "Policy Analyst", "Community Organizer"),
    "Legal": ("Associate", "Legal Engineer", "Paralegal"),
    "Consulting": ("Consultant", "Analytics Consultant", "Engagement Manager"),
    "Retail": ("Merchandising Analyst", "Store Operations Lead", "Data Analyst"),
    "Construction": ("Site Engineer", "Project Manager", "BIM Coordinator"),
    "Government": ("Policy Advisor", "Data Officer", "Planner"),
    "Venture capital": ("Associate", "Principal", "Investor"),
}
# Seniority ladder; a promotion moves one step up.
SENIORITY = (
    ("intern", "{f} Intern"),
    ("junior", "Junior {f}"),
    ("mid", "{f}"),
    ("senior", "Senior {f}"),
    ("lead", "Lead {f}"),
    ("manager", "Head of {area}"),
    ("director", "Director, {area}"),
    ("executive", "VP {area}"),
    ("founder", "Founder & CEO"),
)
SENIORITY_WEIGHTS = (2, 8, 25, 25, 12, 10, 8, 5, 5)
AREAS = {
    "Engineer": "Engineering",
    "Analyst": "Analytics",
    "Scientist": "Data Science",
    "Designer": "Design",
    "Researcher": "Research",
    "Editor": "Editorial",
    "Journalist": "Editorial",
    "Informatician": "Clinical Informatics",
    "Bioinformatician": "Bioinformatics",
    "Practitioner": "Nursing",
}
MET_VIA = (
    "a former colleague at {company}",
    "met at the Data Day conference",
    "studied together at Stonebridge University",
    "met at a local meetup",
    "introduced by a friend",
    "a recruiter who reached out",
    "a client project",
    "met on a panel",
    "a neighbour",
    "mentoring programme",
)
INVITE_NOTES = (
    "Great meeting you at the meetup yesterday — would love to stay in touch!",
    "Hi {first}, I enjoyed your talk on data contracts. Let's connect.",
    "Hi {first}! {friend} suggested we talk about the analytics role at {company}.",
    "Hello {first}, we met at the Data Day coffee break — connecting as promised.",
)

ASKS_SPECIFIC = (
    "Could you take five minutes to look at my portfolio by Friday?",
    "Would you have 20 minutes for a call before Thursday? I'd value your view on the {company} role.",
    "Could you introduce me to someone on the data team at {company} by next week?",
    "Could you review my talk abstract by Wednesday? It is two paragraphs.",
    "Could you be a reference for me? They will call on Monday.",
)
ASKS_VAGUE = (
    "Let me know if you hear of anything interesting.",
    "Would be great to pick your brain sometime.",
    "If you know anyone hiring, keep me in mind!",
    "Any tips for getting into {sector}?",
)
GIVES = (
    "Loved your post on pipeline testing — sharing it with my team.",
    "Saw this piece on data quality and thought of you: https://blog.example.org/notes/{n}",
    "Here are the slides from my talk, feel free to reuse anything.",
    "I put your name forward for the {sector} panel in spring, hope that's OK.",
    "Happy to review your CV this week if useful — just send it over.",
    "Sharing the job post I mentioned: https://jobs.example.net/{n}",
)
CHATS = (
    "Great seeing you last week!",
    "How are things at {company}?",
    "Quick check-in — how did the launch go?",
    "Hope the move went well!",
    "Happy new year! Any plans for the spring?",
)
# Answers, by what they answer; later turns in a thread are short acknowledgements.
REPLIES = {
    "ask": (
        "Sure, happy to — sending it over tonight.",
        "Yes, of course. Thursday at 10 works for me.",
        "Done! Let me know if you need anything else.",
        "Sorry, swamped this month — could we try in a few weeks?",
    ),
    "give": (
        "Thanks so much, really appreciate it!",
        "Thank you — that's very kind.",
        "Oh, this is really useful, thanks for thinking of me.",
    ),
    "chat": (
        "All good here, busy but fun. You?",
        "Ha, yes! Let's do it.",
        "Sorry for the slow reply, it's been a hectic week.",
        "Great to hear from you! Coffee in a couple of weeks?",
    ),
    "reply": ("Perfect, thanks!", "Sounds good.", "👍", "Talk soon!"),
}
GROUPS = (
    ("Meetup planning", "Who's in for the meetup planning call on Tuesday?"),
    ("Data Day speakers", "Hi all, the speaker dinner is at 7, see you there!"),
    ("Stonebridge reunion", "Ten years already! Shall we meet up in May?"),
    ("Book club", "Next book: anyone up for a data-visualisation classic?"),
)
SUBJECTS = {
    "ask": ("Quick favour?", "A question about {company}", "Portfolio feedback", "Reference"),
    "give": ("Thought of you", "Congrats!", "Slides", "Intro", "Job post"),
    "chat": ("Catching up", "Coffee soon?", "Hello again", "Re: last week"),
}


# --- building ----------------------------------------------------------------------------------


def build_cast(seed: int = 7, scale: int | Size = 1) -> Cast:
    """The owner, contacts and their shared story; the same seed and size give the same cast.
    `scale` is a multiplier (`Size.of(scale)`) or a whole `Size` such as `HEAVY`."""
    size = scale if isinstance(scale, Size) else Size.of(scale)
    rng = random.Random(seed)
    owner = _owner()
    n = size.contacts
    contacts = [_contact(rng, i + 1, size) for i in range(n)]
    if size.unique_emails:
        _unique_emails(contacts)
    threads: list[Thread] = []
    meetings: list[Meeting] = []
    for contact in contacts:
        _story_events(rng, contact, threads, meetings, size.start)
    _introductions(rng, contacts, threads, size.start)
    _group_chats(rng, contacts, threads)
    _congratulations(rng, contacts, threads)
    contacts += [_silent_connection(rng, n + i + 1, size) for i in range(size.silent_connections)]
    threads.sort(key=lambda t: (t.messages[0].sent_at, t.id))
    meetings.sort(key=lambda m: (m.start, m.id))
    return Cast(seed, size.scale, owner, contacts, threads, meetings, start=size.start)


def _owner() -> Owner:
    return Owner(
        first_name="Maya",
        last_name="Lindqvist",
        slug="maya-lindqvist-4b7c21",
        personal_email="maya.lindqvist@example.com",
        work_email="maya.lindqvist@copperleaf.example",
        old_work_email="m.lindqvist@oaklinebank.example",
        headline="Staff Data Engineer at Copperleaf Software | data quality, pipelines, mentoring",
        industry="Software Development",
        location="Gothenburg, Västra Götaland County, Sweden",
        birth_date=dt.date(1989, 3, 21),
        positions=(
            Job(
                "Copperleaf Software",
                "copperleaf.example",
                "Software",
                "Data Engineer",
                "Staff Data Engineer",
                "senior",
                dt.date(2024, 9, 1),
            ),
            Job(
                "Copperleaf Software",
                "copperleaf.example",
                "Software",
                "Data Engineer",
                "Senior Data Engineer",
                "senior",
                dt.date(2022, 4, 1),
                dt.date(2024, 8, 31),
            ),
            Job(
                "Oakline Bank",
                "oaklinebank.example",
                "Financial services",
                "Data Engineer",
                "Data Engineer",
                "mid",
                dt.date(2018, 6, 1),
                dt.date(2022, 3, 31),
            ),
        ),
    )


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _slug(rng: random.Random, first: str, last: str) -> str:
    """A profile slug as LinkedIn makes them: ASCII words plus a hex suffix, or the name as
    typed (non-Latin names come percent-encoded in exports, some raw)."""
    suffix = f"{rng.randrange(16**6):06x}"
    words = [w for w in _ascii(f"{first} {last}").replace(",", " ").split() if w.isalnum()]
    if words and rng.random() < 0.85:
        return "-".join([*words[:2], suffix])
    raw = "-".join(p for p in f"{first} {last}".replace(",", "").split() if p.isalpha())
    raw = raw or f"member-{suffix}"
    if rng.random() < 0.7:
        return urllib.parse.quote(f"{raw}-{suffix[:4]}".lower(), safe="-")
    return f"{raw}-{suffix[:4]}".lower()


def _job(rng: random.Random, company: tuple[str, str, str] | None = None) -> Job:
    name, domain, sector = company or rng.choice(COMPANIES)
    function = rng.choice(FUNCTIONS[sector])
    level, pattern = rng.choices(SENIORITY, SENIORITY_WEIGHTS)[0]
    return Job(name, domain, sector, function, _title(pattern, function, sector), level)


def _title(pattern: str, function: str, sector: str) -> str:
    """`Senior Data Engineer`, or for managers the area they lead (`Head of Engineering`)."""
    last = function.split()[-1]
    area = AREAS.get(last, sector.title())
    return pattern.format(f=function, area=area)


def _moved(rng: random.Random, job: Job) -> Job:
    """A new employer: mostly the same line of work at the same level or one up."""
    others = [c for c in COMPANIES if c[0] != job.company]
    same_work = [c for c in others if job.function in FUNCTIONS[c[2]]]
    if not same_work or rng.random() < 0.2:  # a career change
        return _job(rng, rng.choice(others))
    name, domain, sector = rng.choice(same_work)
    moved = Job(name, domain, sector, job.function, job.title, job.seniority)
    return _promoted(moved) if rng.random() < 0.4 else moved


def _promoted(job: Job) -> Job:
    """The same job one step up the ladder (a founder stays a founder)."""
    levels = [level for level, _ in SENIORITY]
    level, pattern = SENIORITY[min(levels.index(job.seniority) + 1, len(levels) - 2)]
    title = _title(pattern, job.function, job.sector)
    return Job(job.company, job.domain, job.sector, job.function, title, level)


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange(max(1, (last - first).days)))


def _contact(rng: random.Random, cid: int, size: Size) -> Contact:
    odd = (
        ODD_NAMES[(cid - 1) // 20]
        if (cid - 1) % 20 == 3 and (cid - 1) // 20 < len(ODD_NAMES)
        else None
    )
    first, last = odd or (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
    slug = _slug(rng, first, last)
    tier = rng.choices(TIERS, [TIER_SHARE[t] for t in TIERS])[0]
    job_before = _job(rng)
    change = rng.random()
    if change < 0.08:
        job_after = _moved(rng, job_before)
        job_change = "company"
    elif change < 0.12 and job_before.seniority not in ("founder", "executive"):
        job_after = _promoted(job_before)
        job_change = "title" if job_after.title != job_before.title else ""
    else:
        job_after, job_change = job_before, ""
    local = ".".join(_ascii(p) for p in (first, last) if _ascii(p).isalpha()) or f"user{cid}"
    personal = (
        f"{local}{rng.randrange(10, 99) if rng.random() < 0.3 else ''}@"
        f"{rng.choice(('example.com', 'example.org', 'example.net'))}"
        if rng.random() < 0.55
        else None
    )
    work = f"{local}@{job_before.domain}" if rng.random() < 0.5 else None
    has_birthday = rng.random() < 0.35
    birthday = (
        dt.date(rng.randrange(1960, 2001), rng.randrange(1, 13), rng.randrange(1, 29))
        if has_birthday
        else None
    )
    year_known = has_birthday and rng.random() < 0.6
    phone = f"+46 7{rng.randrange(10**7, 10**8)}" if rng.random() < 0.4 else None
    dormant = tier in ("inner", "close") and rng.random() < 0.3
    start = size.start
    first_contact = _day_between(rng, start - dt.timedelta(days=200), EXPORTS[1])
    if tier in ("inner", "close"):  # strong ties mostly go back a while
        first_contact = _day_between(rng, start - dt.timedelta(days=300), dt.date(2023, 6, 1))
    on_linkedin = rng.random() < 0.92
    connected_on = None
    if on_linkedin:
        lag = rng.choice((0, 1, 1, 2, 3, 6, 14, 40, 200))
        connected_on = min(EXPORTS[1] - dt.timedelta(days=1), first_contact + dt.timedelta(lag))
        connected_on = max(connected_on, start - dt.timedelta(days=300))
    invited_by_owner = rng.random() < 0.5
    invite_note = None
    if rng.random() < 0.35:
        invite_note = rng.choice(INVITE_NOTES).format(
            first=first or last, friend=rng.choice(FIRST_NAMES), company=job_before.company
        )
    cadence = max(3, int(TIER_CADENCE[tier] * size.cadence_factor * rng.uniform(0.6, 1.5)))
    active_until = EXPORTS[1]
    if dormant:
        active_until = EXPORTS[1] - dt.timedelta(days=rng.randrange(240, 540))
    elif tier in ("wider", "acquaintance"):
        active_until = min(EXPORTS[1], first_contact + dt.timedelta(days=rng.randrange(30, 700)))
    style = rng.random()  # who gives and who asks in this relationship
    owner_gives, contact_gives = (
        (0.8, 0.3)
        if style < 0.4
        else (0.3, 0.7)
        if style < 0.6
        else (0.2, 0.2)
        if style < 0.75
        else (0.5, 0.5)
    )
    linkedin, email, meeting, call = size.channel_factors
    channels = {
        "linkedin": (3.0 if on_linkedin else 0.0) * linkedin,
        "email": (3.0 if personal or work else 0.0) * email,
        "meeting": (1.5 if tier in ("inner", "close", "active") else 0.3) * meeting,
        "call": (1.0 if tier in ("inner", "close") else 0.2) * call,
    }
    story = Story(
        first_contact=first_contact,
        met_via=rng.choice(MET_VIA).format(company=rng.choice(COMPANIES)[0]),
        connected_on=connected_on,
        invited_by_owner=invited_by_owner,
        invite_note=invite_note,
        cadence_days=cadence,
        active_until=active_until,
        owner_gives=owner_gives,
        contact_gives=contact_gives,
        reply_rate=rng.uniform(0.55, 0.98),
        channels=channels,
    )
    return Contact(
        id=cid,
        first_name=first,
        last_name=last,
        slug=slug,
        personal_email=personal,
        work_email=work,
        phone=phone,
        birthday=birthday,
        birthday_year_known=year_known,
        job_before=job_before,
        job_after=job_after,
        job_change=job_change,
        tier=tier,
        dormant=dormant,
        on_linkedin=on_linkedin,
        story=story,
    )


def _when(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment on `day` in working-ish hours (UTC), to the second."""
    seconds = rng.randrange(6 * 3600, 20 * 3600)
    return dt.datetime.combine(day, dt.time(), dt.UTC) + dt.timedelta(seconds=seconds)


def _text(
    rng: random.Random, kind: str, about: Contact, answering: str = "chat"
) -> tuple[str, bool]:
    fill = {
        "company": about.job_before.company,
        "sector": about.job_before.sector.lower(),
        "n": rng.randrange(100, 999),
    }
    if kind == "ask":
        specific = rng.random() < 0.55
        return rng.choice(ASKS_SPECIFIC if specific else ASKS_VAGUE).format(**fill), specific
    pool = {"give": GIVES, "chat": CHATS, "reply": REPLIES[answering]}[kind]
    return rng.choice(pool).format(**fill), False


def _opening_kind(rng: random.Random, gives: float) -> str:
    roll = rng.random()
    return "chat" if roll < 0.35 else "give" if rng.random() < gives else "ask"


def _story_events(
    rng: random.Random,
    contact: Contact,
    threads: list[Thread],
    meetings: list[Meeting],
    start: dt.date,
) -> None:
    story = contact.story
    channels = [c for c, w in story.channels.items() if w > 0]
    weights = [story.channels[c] for c in channels]
    day = story.first_contact + dt.timedelta(days=rng.randrange(0, 3))
    last = min(story.active_until, EXPORTS[1])
    count = 0
    while day <= last:
        if day >= start:
            channel = rng.choices(channels, weights)[0]
            if channel == "linkedin" and (story.connected_on is None or day < story.connected_on):
                channel = "email" if contact.emails else "meeting"  # not connected yet
            if channel in ("linkedin", "email"):
                threads.append(_thread(rng, contact, channel, day, f"{contact.id}-{count}"))
            else:
                meetings.append(_meeting(rng, contact, channel, day, f"{contact.id}-{count}"))
            count += 1
        gap = rng.expovariate(1 / story.cadence_days)
        day += dt.timedelta(days=max(1, int(gap)))


def _thread(rng: random.Random, contact: Contact, channel: str, day: dt.date, tid: str) -> Thread:
    story = contact.story
    owner_starts = rng.random() < 0.55
    sender = OWNER if owner_starts else contact.id
    kind = _opening_kind(rng, story.owner_gives if owner_starts else story.contact_gives)
    text, specific = _text(rng, kind, contact)
    subject = rng.choice(SUBJECTS[kind]).format(company=contact.job_before.company)
    at = _when(rng, day)
    messages = [Message(at, sender, text, kind, specific)]
    while rng.random() < story.reply_rate and len(messages) < 6:
        at += dt.timedelta(minutes=int(rng.expovariate(1 / 900)) + 2)
        if at.date() > EXPORTS[1]:
            break
        sender = contact.id if messages[-1].sender == OWNER else OWNER
        reply, _ = _text(rng, "reply", contact, messages[-1].kind)
        messages.append(Message(at, sender, reply, "reply"))
        if rng.random() < 0.5:
            break
    return Thread(f"{channel[0]}{tid}", channel, (contact.id,), subject, messages)


def _meeting(rng: random.Random, contact: Contact, channel: str, day: dt.date, mid: str) -> Meeting:
    kind = "call" if channel == "call" else rng.choice(("meeting", "coffee", "coffee", "lunch"))
    start = dt.datetime.combine(day, dt.time(rng.randrange(7, 17), rng.choice((0, 30))), dt.UTC)
    give_ask = rng.choice(("give", "ask", "", ""))
    titles = {
        "call": "Call with {first}",
        "meeting": "{first} / Maya: catch-up",
        "coffee": "Coffee with {first}",
        "lunch": "Lunch with {first}",
    }
    first = contact.first_name or contact.last_name
    in_calendar = kind != "call" or rng.random() < 0.5
    return Meeting(
        id=f"m{mid}",
        start=start,
        minutes=rng.choice((30, 30, 45, 60)),
        title=titles[kind].format(first=first),
        attendees=(contact.id,),
        kind=kind,
        organizer=OWNER if rng.random() < 0.6 else contact.id,
        in_calendar=in_calendar,
        in_log=not in_calendar or rng.random() < 0.3,
        status="CANCELLED" if rng.random() < 0.04 else "CONFIRMED",
        note={"give": "gave feedback on their plan", "ask": "asked about openings"}.get(
            give_ask, ""
        ),
        give_ask=give_ask,
    )


def _introductions(
    rng: random.Random, contacts: list[Contact], threads: list[Thread], start: dt.date
) -> None:
    """Maya introduces two of her contacts to each other: a give, in a three-way thread."""
    candidates = [c for c in contacts if c.tier in ("inner", "close", "active") and c.emails]
    for i in range(max(2, len(contacts) // 15)):
        a, b = rng.sample(candidates, 2)
        day = _day_between(rng, start, EXPORTS[1] - dt.timedelta(days=3))
        at = _when(rng, day)
        both = a.on_linkedin and b.on_linkedin and rng.random() < 0.4
        channel = "linkedin" if both else "email"
        text = (
            f"{a.first_name or a.last_name}, meet {b.first_name or b.last_name} — "
            f"you are both working on {a.job_before.sector.lower()} data; I think you'd enjoy "
            "comparing notes."
        )
        messages = [Message(at, OWNER, text, "give")]
        for who in rng.sample([a, b], 2):
            if rng.random() < 0.8:
                at += dt.timedelta(minutes=rng.randrange(20, 2000))
                messages.append(
                    Message(at, who.id, "Thanks Maya! Lovely to meet you — coffee soon?", "reply")
                )
        subject = f"Intro: {a.first_name or a.last_name} <> {b.first_name or b.last_name}"
        threads.append(Thread(f"i{i}", channel, (a.id, b.id), subject, messages))


def _group_chats(rng: random.Random, contacts: list[Contact], threads: list[Thread]) -> None:
    """A few LinkedIn group conversations (meetup organisers, a reunion)."""
    on_li = [c for c in contacts if c.on_linkedin and c.tier != "acquaintance"]
    for i in range(max(2, len(contacts) // 50)):
        group = rng.sample(on_li, rng.randrange(2, 5))
        day = _day_between(rng, dt.date(2023, 7, 1), EXPORTS[1] - dt.timedelta(days=5))
        at = _when(rng, day)
        opener = rng.choice(group)
        title, opening = GROUPS[i % len(GROUPS)]
        messages = [Message(at, opener.id, opening, "chat")]
        for who in [OWNER, *[g.id for g in group if g is not opener]]:
            at += dt.timedelta(minutes=rng.randrange(5, 600))
            messages.append(Message(at, who, rng.choice(REPLIES["chat"]), "reply"))
        threads.append(Thread(f"g{i}", "linkedin", tuple(g.id for g in group), title, messages))


def _congratulations(rng: random.Random, contacts: list[Contact], threads: list[Thread]) -> None:
    """Maya notices job changes after the first export and congratulates some of them."""
    for c in contacts:
        if not c.job_change or not c.on_linkedin or rng.random() < 0.4:
            continue
        day = _day_between(
            rng, EXPORTS[0] + dt.timedelta(days=10), EXPORTS[1] - dt.timedelta(days=2)
        )
        at = _when(rng, day)
        what = "new role at " + c.job_after.company if c.job_change == "company" else "promotion"
        messages = [Message(at, OWNER, f"Congratulations on the {what}! Well deserved.", "give")]
        if rng.random() < c.story.reply_rate:
            messages.append(
                Message(
                    at + dt.timedelta(hours=rng.randrange(1, 30)), c.id, "Thank you Maya!", "reply"
                )
            )
        threads.append(Thread(f"c{c.id}", "linkedin", (c.id,), "Congrats!", messages))


def _unique_emails(contacts: list[Contact]) -> None:
    """Two people with the same name at the same domain get different addresses: the later one
    carries its contact id (`ana.berg.1234@example.com`), as a real mail provider would force."""
    seen: set[str] = set()
    for c in contacts:
        for attr in ("personal_email", "work_email"):
            address = getattr(c, attr)
            if address is None:
                continue
            if address in seen:
                local, domain = address.split("@")
                address = f"{local}.{c.id}@{domain}"
                setattr(c, attr, address)
            seen.add(address)


def _silent_connection(rng: random.Random, cid: int, size: Size) -> Contact:
    """A LinkedIn connection she never talks to: accepted after a talk or a recruiter's note,
    in Connections.csv (and Invitations.csv in its last year) and nowhere else."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    job = _job(rng)
    connected_on = _day_between(rng, size.start - dt.timedelta(days=300), EXPORTS[1])
    note = None
    if rng.random() < 0.2:
        note = rng.choice(INVITE_NOTES).format(
            first=first, friend=rng.choice(FIRST_NAMES), company=job.company
        )
    story = Story(
        first_contact=connected_on,
        met_via="a connection request",
        connected_on=connected_on,
        invited_by_owner=rng.random() < 0.3,
        invite_note=note,
        cadence_days=10_000,
        active_until=connected_on,
        owner_gives=0.5,
        contact_gives=0.5,
        reply_rate=0.0,
        channels={"linkedin": 0.0, "email": 0.0, "meeting": 0.0, "call": 0.0},
    )
    return Contact(
        id=cid,
        first_name=first,
        last_name=last,
        slug=_slug(rng, first, last),
        personal_email=None,
        work_email=None,
        phone=None,
        birthday=None,
        birthday_year_known=False,
        job_before=job,
        job_after=job,
        job_change="",
        tier="acquaintance",
        dormant=False,
        on_linkedin=True,
        story=story,
    )
