"""The sample owner's Gmail Takeout mailbox: `Takeout/Mail/All mail Including Spam and Trash.mbox`.

Rendered from the cast: every e-mail thread of `cast.threads` (Maya and one contact, or Maya
introducing two contacts to each other), in Takeout's flavour: `From <id>@xxx <date> +0000 <year>`
separators, `X-GM-THRID` and `X-Gmail-Labels` first, the sender's local time in `Date`,
RFC 2047 names, replies with `In-Reply-To`/`References` and the quoted earlier message,
signatures. Around the story, the mail a real mailbox holds and Constellation must filter out:
newsletters (List-Id, List-Unsubscribe, Precedence: bulk), no-reply notifications, posts to a
mailing list by her contacts, promotions, spam, bounces, out-of-office replies
(Auto-Submitted), unsent drafts and her own announcements to a big group.

Size: the cast's threads grow with `--scale` (more contacts); the background mail is
`BACKGROUND_PER_YEAR` messages per year of the story per unit of `scale`. At scale 1 (the bundled
sample) bodies are compact, to keep the file under 2 MB; at scale 2 and above they have realistic
sizes (HTML newsletters, a few paragraphs, ~3 % of messages with a base64 attachment), so a large
scale writes gigabytes. The file is written message by message in date order: only the cast and
one message are in memory, never the mailbox.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.header
import email.utils
import heapq
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from pipelines.lib.sample.cast import OWNER, Cast, Contact, Message, Thread

MBOX = "Takeout/Mail/All mail Including Spam and Trash.mbox"
LOCAL = ZoneInfo("Europe/Stockholm")
ABROAD = (ZoneInfo("Europe/London"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo"))
# Background messages per year of the story and unit of scale, by kind (see _background).
BACKGROUND_PER_YEAR = 106


@dataclass(frozen=True)
class Bodies:
    """How long bodies are: compact for the bundled sample, realistic for a scaled one."""

    filler_paragraphs: int  # extra paragraphs of small talk in personal mail (0 to this)
    newsletter_items: int  # stories in a newsletter
    alternative_rate: float  # share of personal mail sent as text + HTML
    attachment_rate: float  # share of personal mail with an attachment
    attachment_kb: tuple[int, int]  # attachment size range before base64
    transport_headers: bool  # Delivered-To, Received, DKIM-Signature on incoming mail


COMPACT = Bodies(0, 2, 0.08, 0.01, (1, 3), False)
REALISTIC = Bodies(3, 8, 0.7, 0.03, (20, 600), True)

FILLER = (
    "We finally moved the nightly jobs to the new orchestrator, which was less painful than I "
    "feared.",
    "The team offsite is in March this year, somewhere near the coast.",
    "Things are busy here, two launches in the same month as usual.",
    "I have been reading a lot about data contracts lately and it changed how I review schemas.",
    "The kids started school again, so mornings are chaos.",
    "Our dashboards are finally fast enough that people actually use them.",
)
NEWSLETTERS = (
    ("Data Engineering Weekly", "dataweekly.example", 7),
    ("The Pipeline Digest", "pipelinedigest.example", 30),
)
HEADLINES = (
    "Why your pipeline tests lie to you",
    "A practical guide to incremental models",
    "Five ways to make on-call less painful",
    "What we learned running DuckDB in production",
    "Schema evolution without tears",
    "The case for boring data stacks",
    "Streaming versus batch, again",
)
NOTIFIERS = (
    ("Oakline Bank", "no-reply@oaklinebank.example", "Your statement for {month} is ready", 12),
    ("Connectly", "notifications-noreply@connectly.example", "{name} commented on your post", 10),
    ("Travelbee", "updates@travelbee.example", "Your booking is confirmed", 6),
)
SPAM = ("You have WON a prize!!!", "Urgent: verify your account", "Cheap meds, no prescription")


def generate(out: Path, cast: Cast, rng: random.Random, scale: int) -> list[Path]:
    path = out / MBOX
    path.parent.mkdir(parents=True, exist_ok=True)
    write_mailbox(path, cast, rng, scale, COMPACT if scale <= 1 else REALISTIC)
    return [path]


def write_mailbox(path: Path, cast: Cast, rng: random.Random, scale: int, bodies: Bodies) -> int:
    """Write the mailbox to `path`, streaming; return the number of messages."""
    story = _Story(cast, random.Random(rng.random()), bodies)
    background = _Background(cast, random.Random(rng.random()), bodies, max(1, scale))
    count = 0
    with path.open("wb", buffering=1 << 20) as handle:
        for _, _, data in heapq.merge(story.messages(), background.messages()):
            handle.write(data)
            count += 1
    return count


# --- rendering one message ---------------------------------------------------------------------


def _address(name: str | None, address: str) -> str:
    return email.utils.formataddr((name, address), charset="utf-8") if name else address


def _subject(text: str) -> str:
    return text if text.isascii() else email.header.Header(text, "utf-8").encode()


def _first(contact: Contact) -> str:
    return contact.first_name if contact.first_name not in ("", ".") else contact.last_name


def _gmail_id(at: dt.datetime, salt: str) -> int:
    return (int(at.timestamp() * 1000) << 20) | (zlib.crc32(salt.encode()) & 0xFFFFF)


def _render(
    *,
    at: dt.datetime,
    thread: int,
    labels: str,
    headers: list[tuple[str, str]],
    body: bytes,
    content_type: str,
    zone: ZoneInfo = LOCAL,
    extra: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """One Takeout message: separator, Gmail headers, the given headers, the body."""
    sep = at.strftime("%a %b %d %H:%M:%S +0000 %Y")
    lines = [
        f"From {_gmail_id(at, str(thread) + labels)}@xxx {sep}",
        f"X-GM-THRID: {thread}",
        f"X-Gmail-Labels: {labels}",
        *(f"{k}: {v}" for k, v in extra),
        "MIME-Version: 1.0",
        f"Date: {email.utils.format_datetime(at.astimezone(zone))}",
        *(f"{k}: {v}" for k, v in headers),
        content_type,
    ]
    text = "\n".join(lines).encode() + b"\n\n" + body
    # mboxrd: a body line starting with "From " is quoted, so it is not taken for a separator.
    text = text.replace(b"\nFrom ", b"\n>From ")
    return text + (b"\n" if text.endswith(b"\n") else b"\n\n")


PLAIN = 'Content-Type: text/plain; charset="UTF-8"\nContent-Transfer-Encoding: 8bit'


def _with_parts(
    rng: random.Random, text: str, bodies: Bodies, *, html: bool, attach: bool
) -> tuple[str, bytes]:
    """(Content-Type header lines, body) of a personal message: plain, or plain + HTML, with an
    optional attachment."""
    if not html and not attach:
        return PLAIN, text.encode()
    parts = [(PLAIN, text.encode())]
    if html:
        paragraphs = "".join(f"<div>{p or '<br>'}</div>" for p in text.split("\n"))
        alt = f"{rng.getrandbits(64):016x}"
        inner = _multipart(
            alt,
            [
                (PLAIN, text.encode()),
                (
                    'Content-Type: text/html; charset="UTF-8"\nContent-Transfer-Encoding: 8bit',
                    f'<div dir="ltr">{paragraphs}</div>'.encode(),
                ),
            ],
        )
        parts = [(f'Content-Type: multipart/alternative; boundary="{alt}"', inner)]
    if attach:
        low, high = bodies.attachment_kb
        size = rng.randint(low, high) * 1024
        name = rng.choice(("slides.pdf", "notes.pdf", "cv.pdf", "draft.pdf", "photo.jpg"))
        data = base64.encodebytes(b"%PDF-1.4\n" + rng.randbytes(size))
        parts.append(
            (
                f'Content-Type: application/octet-stream; name="{name}"\n'
                f'Content-Disposition: attachment; filename="{name}"\n'
                "Content-Transfer-Encoding: base64",
                data.rstrip(b"\n"),
            )
        )
        mixed = f"{rng.getrandbits(64):016x}"
        return f'Content-Type: multipart/mixed; boundary="{mixed}"', _multipart(mixed, parts)
    header, body = parts[0]
    return header, body


def _multipart(boundary: str, parts: list[tuple[str, bytes]]) -> bytes:
    chunks = [f"--{boundary}\n{header}\n\n".encode() + body + b"\n" for header, body in parts]
    return b"".join(chunks) + f"--{boundary}--\n".encode()


# --- the story ---------------------------------------------------------------------------------


@dataclass
class _ThreadState:
    gmail_id: int
    owner_address: str
    addresses: dict[int, str]
    message_ids: list[str]


class _Story:
    """The cast's e-mail threads, plus out-of-office answers and unsent drafts among them."""

    def __init__(self, cast: Cast, rng: random.Random, bodies: Bodies) -> None:
        self.cast, self.rng, self.bodies = cast, rng, bodies
        self.threads = [t for t in cast.threads if t.channel == "email"]
        self.state: dict[int, _ThreadState] = {}
        self.pending: dict[int, int] = {}  # messages of each thread still to write

    def messages(self) -> Iterator[tuple[dt.datetime, int, bytes]]:
        plan: list[tuple[dt.datetime, int, int, str]] = []
        for ti, thread in enumerate(self.threads):
            for mi, message in enumerate(thread.messages):
                plan.append((message.sent_at, ti, mi, "message"))
                if message.sender == OWNER and self.rng.random() < 0.008:
                    plan.append((message.sent_at + dt.timedelta(seconds=40), ti, mi, "away"))
            last = thread.messages[-1]
            if last.sender != OWNER and self.rng.random() < 0.004:
                plan.append(
                    (last.sent_at + dt.timedelta(hours=20), ti, len(thread.messages), "draft")
                )
        plan.sort()
        for _, ti, _, _ in plan:
            self.pending[ti] = self.pending.get(ti, 0) + 1
        for number, (at, ti, mi, what) in enumerate(plan):
            yield at, number, self._render(self.threads[ti], ti, mi, what)

    def _thread_state(self, thread: Thread, ti: int) -> _ThreadState:
        if ti not in self.state:
            first = thread.messages[0].sent_at
            addresses = {}
            work_thread = False
            for pid in thread.participants:
                person = self.cast.person(pid)
                chosen = person.personal_email or person.work_email
                if person.work_email and (not person.personal_email or self.rng.random() < 0.35):
                    chosen, work_thread = person.work_email, True
                addresses[pid] = chosen
            owner = self.cast.owner
            own = owner.personal_email
            if work_thread and self.rng.random() < 0.5:
                own = (
                    owner.work_email
                    if first.date() >= dt.date(2022, 4, 1)
                    else owner.old_work_email
                )
            self.state[ti] = _ThreadState(_gmail_id(first, thread.id), own, addresses, [])
        return self.state[ti]

    def _who(self, pid: int, state: _ThreadState) -> str:
        if pid == OWNER:
            return _address(self.cast.owner.full_name, state.owner_address)
        person = self.cast.person(pid)
        address = state.addresses[pid]
        if pid % 17 == 0:  # some people's mail carries no name
            return address
        if pid % 10 == 0 and person.last_name not in ("", "."):  # Outlook's "Last, First"
            return _address(f"{person.last_name}, {person.first_name}", address)
        return _address(person.full_name, address)

    def _render(self, thread: Thread, ti: int, mi: int, what: str) -> bytes:
        state = self._thread_state(thread, ti)
        self.pending[ti] -= 1
        if self.pending[ti] == 0:  # the thread is done: keep only open threads in memory
            del self.state[ti], self.pending[ti]
        rng = self.rng
        if what == "draft":
            return self._draft(thread, state)
        message = thread.messages[mi]
        if what == "away":
            return self._away(thread, state, message)
        recipients = self.cast.recipients(thread, message)
        to = [self._who(p, state) for p in recipients]
        headers = [
            ("Message-ID", self._message_id(message.sender, state)),
            ("Subject", _subject(("Re: " if mi else "") + thread.subject)),
            ("From", self._who(message.sender, state)),
        ]
        if message.sender != OWNER and len(to) > 1:  # reply-all: Maya in To, the other in Cc
            owner_to = self._who(OWNER, state)
            headers += [("To", owner_to), ("Cc", ", ".join(t for t in to if t != owner_to))]
        else:
            headers.append(("To", ", ".join(to)))
        if state.message_ids:
            headers += [
                ("In-Reply-To", state.message_ids[-1]),
                ("References", " ".join(state.message_ids[-5:])),
            ]
        state.message_ids.append(headers[0][1])
        text = self._body(thread, mi, message, recipients)
        content_type, body = _with_parts(
            rng,
            text,
            self.bodies,
            html=rng.random() < self.bodies.alternative_rate,
            attach=rng.random() < self.bodies.attachment_rate,
        )
        if message.sender == OWNER:
            labels = "Sent" if rng.random() < 0.8 else "Important,Sent"
            extra: tuple[tuple[str, str], ...] = ()
        else:
            recent = message.sent_at.date() >= self.cast.end - dt.timedelta(days=45)
            labels = ("Inbox" if recent else "Archived") + ",Opened,Category Personal"
            if rng.random() < 0.2:
                labels = "Important," + labels
            extra = self._transport(message.sent_at, state.addresses.get(message.sender, ""))
        zone = (
            LOCAL if message.sender == OWNER or message.sender % 6 else ABROAD[message.sender % 3]
        )
        return _render(
            at=message.sent_at,
            thread=state.gmail_id,
            labels=labels,
            headers=headers,
            body=body,
            content_type=content_type,
            zone=zone,
            extra=extra,
        )

    def _message_id(self, sender: int, state: _ThreadState) -> str:
        token = f"{self.rng.getrandbits(80):020x}"
        if sender == OWNER:
            return f"<CA{token}@mail.gmail.com>"
        domain = state.addresses[sender].rpartition("@")[2]
        return f"<{token}@{domain}>"

    def _transport(self, at: dt.datetime, sender: str) -> tuple[tuple[str, str], ...]:
        if not self.bodies.transport_headers:
            return ()
        domain = sender.rpartition("@")[2] or "example.net"
        stamp = email.utils.format_datetime(at)
        return (
            ("Delivered-To", self.cast.owner.personal_email),
            (
                "Received",
                f"from mail.{domain} (mail.{domain} [192.0.2.{at.second + 1}])\n"
                f"        by mx.google.com with ESMTPS id {self.rng.getrandbits(48):x};\n"
                f"        {stamp}",
            ),
            (
                "DKIM-Signature",
                f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=s1;\n"
                f"        h=from:to:subject:date:message-id; bh="
                f"{base64.b64encode(self.rng.randbytes(32)).decode()};\n"
                f"        b={base64.b64encode(self.rng.randbytes(96)).decode()}",
            ),
        )

    def _body(self, thread: Thread, mi: int, message: Message, recipients: tuple[int, ...]) -> str:
        cast, rng = self.cast, self.rng
        if message.sender == OWNER:
            names = [_first(cast.person(p)) for p in recipients]
            greeting = f"Hi {' and '.join(names)},"
            sign = f"Best,\nMaya\n\n-- \n{cast.owner.full_name}\n{_owner_title(cast, message)}"
        else:
            greeting = rng.choice(("Hi Maya,", "Hey Maya,", "Maya,", "Hello Maya,"))
            sign = rng.choice(("Best,", "Cheers,", "Thanks,", "All the best,"))
            sign += "\n" + _first(cast.person(message.sender))
        filler = [rng.choice(FILLER) for _ in range(rng.randint(0, self.bodies.filler_paragraphs))]
        text = "\n\n".join([greeting, message.text, *filler, sign])
        if mi:
            previous = thread.messages[mi - 1]
            when = email.utils.format_datetime(previous.sent_at.astimezone(LOCAL))
            quoted = "\n".join("> " + line for line in previous.text.splitlines())
            text += f"\n\nOn {when}, {cast.name_of(previous.sender)} wrote:\n{quoted}"
        return text + "\n"

    def _away(self, thread: Thread, state: _ThreadState, message: Message) -> bytes:
        pid = thread.participants[0]
        person = self.cast.person(pid)
        headers = [
            ("Message-ID", self._message_id(pid, state)),
            ("Subject", _subject("Automatic reply: " + thread.subject)),
            ("From", self._who(pid, state)),
            ("To", self._who(OWNER, state)),
            ("Auto-Submitted", "auto-replied"),
        ]
        text = (
            f"Thank you for your message. I am out of the office until "
            f"{(message.sent_at + dt.timedelta(days=7)):%d %B} with limited access to e-mail.\n\n"
            f"{person.full_name}\n"
        )
        return _render(
            at=message.sent_at + dt.timedelta(seconds=40),
            thread=state.gmail_id,
            labels="Inbox,Opened,Category Personal",
            headers=headers,
            body=text.encode(),
            content_type=PLAIN,
        )

    def _draft(self, thread: Thread, state: _ThreadState) -> bytes:
        pid = thread.participants[0]
        at = thread.messages[-1].sent_at + dt.timedelta(hours=20)
        headers = [
            ("Message-ID", self._message_id(OWNER, state)),
            ("Subject", _subject("Re: " + thread.subject)),
            ("From", self._who(OWNER, state)),
            ("To", self._who(pid, state)),
        ]
        text = f"Hi {_first(self.cast.person(pid))},\n\nSorry for the slow reply, I wanted to\n"
        return _render(
            at=at,
            thread=state.gmail_id,
            labels="Drafts",
            headers=headers,
            body=text.encode(),
            content_type=PLAIN,
        )


def _owner_title(cast: Cast, message: Message) -> str:
    day = message.sent_at.date()
    for job in cast.owner.positions:
        if (job.started is None or job.started <= day) and (
            job.finished is None or day <= job.finished
        ):
            return f"{job.title} | {job.company}"
    return cast.owner.positions[-1].title


# --- the background ----------------------------------------------------------------------------


class _Background:
    """Machine and bulk mail, in date order: per year and unit of scale about 64 newsletter
    issues, 28 notifications, 6 mailing-list posts, 4 promotions, 2 spam, 1 bounce and 1
    announcement Maya sends to a big group (`BACKGROUND_PER_YEAR` in all)."""

    def __init__(self, cast: Cast, rng: random.Random, bodies: Bodies, scale: int) -> None:
        self.cast, self.rng, self.bodies, self.scale = cast, rng, bodies, scale
        self.people = [c for c in cast.contacts if c.emails and c.story.channels.get("email")]

    def messages(self) -> Iterator[tuple[dt.datetime, int, bytes]]:
        rng, scale = self.rng, self.scale
        # (per year, renderer): rates add up to BACKGROUND_PER_YEAR per unit of scale
        kinds = [
            *(
                (365 / every, self._newsletter, (name, domain))
                for name, domain, every in NEWSLETTERS
            ),
            *((per_year, self._notification, notifier) for *notifier, per_year in NOTIFIERS),
            (6, self._list_post, None),
            (4, self._promotion, None),
            (2, self._spam, None),
            (1, self._bounce, None),
            (1, self._announcement, None),
        ]
        day = self.cast.start
        number = 0
        while day <= self.cast.end:
            todays = []
            for per_year, render, arg in kinds:
                expected = per_year * scale / 365
                count = int(expected) + (rng.random() < expected - int(expected))
                for _ in range(count):
                    at = dt.datetime.combine(day, dt.time(), dt.UTC) + dt.timedelta(
                        seconds=rng.randrange(86400)
                    )
                    todays.append((at, render, arg))
            todays.sort(key=lambda item: item[0])
            for at, render, arg in todays:
                number += 1
                yield at, 10**12 + number, render(at, number, arg)
            day += dt.timedelta(days=1)

    def _to(self) -> str:
        return _address(self.cast.owner.full_name, self.cast.owner.personal_email)

    def _simple(self, at, number, labels, headers, text: str, html: str | None = None) -> bytes:
        thread = _gmail_id(at, f"bg{number}")
        if html is None:
            return _render(
                at=at,
                thread=thread,
                labels=labels,
                headers=headers,
                body=text.encode(),
                content_type=PLAIN,
                zone=dt.UTC,
            )
        boundary = f"{self.rng.getrandbits(64):016x}"
        body = _multipart(
            boundary,
            [
                (PLAIN, text.encode()),
                (
                    'Content-Type: text/html; charset="UTF-8"\nContent-Transfer-Encoding: 8bit',
                    html.encode(),
                ),
            ],
        )
        return _render(
            at=at,
            thread=thread,
            labels=labels,
            headers=headers,
            body=body,
            content_type=f'Content-Type: multipart/alternative; boundary="{boundary}"',
            zone=dt.UTC,
        )

    def _newsletter(self, at, number, arg) -> bytes:
        name, domain = arg
        items = self.rng.sample(HEADLINES, min(len(HEADLINES), self.bodies.newsletter_items))
        issue = f"Issue #{number % 997}: {items[0]}"
        text = "\n\n".join(
            f"* {h}\n  https://{domain}/p/{self.rng.getrandbits(32):x}" for h in items
        )
        html = (
            "<html><head><style>body{font-family:sans-serif}td{padding:8px}</style></head><body>"
            + "".join(
                f"<table><tr><td><h2>{h}</h2><p>{' '.join(FILLER[:3])}</p>"
                f'<a href="https://{domain}/p/{i}">Read more</a></td></tr></table>'
                for i, h in enumerate(items)
            )
            + "</body></html>"
        )
        headers = [
            ("Message-ID", f"<{self.rng.getrandbits(64):x}.{number}@{domain}>"),
            ("Subject", issue),
            ("From", _address(name, f"newsletter@{domain}")),
            ("To", self._to()),
            ("List-Id", f"{name} <weekly.{domain}>"),
            ("List-Unsubscribe", f"<mailto:leave@{domain}>, <https://{domain}/unsubscribe>"),
            ("Precedence", "bulk"),
        ]
        labels = "Category Updates," + ("Opened" if self.rng.random() < 0.4 else "Unread")
        return self._simple(at, number, labels, headers, text, html)

    def _notification(self, at, number, arg) -> bytes:
        name, address, subject = arg
        someone = self.rng.choice(self.people)
        headers = [
            ("Message-ID", f"<{self.rng.getrandbits(64):x}@{address.rpartition('@')[2]}>"),
            ("Subject", _subject(subject.format(month=f"{at:%B %Y}", name=someone.full_name))),
            ("From", _address(name, address)),
            ("To", self.cast.owner.personal_email),
        ]
        text = f"{subject.format(month=f'{at:%B %Y}', name=someone.full_name)}.\n\nThis is an automated message, please do not reply.\n"
        return self._simple(at, number, "Inbox,Category Updates,Opened", headers, text)

    def _list_post(self, at, number, arg) -> bytes:
        poster = self.rng.choice(self.people)
        headers = [
            ("Message-ID", f"<{self.rng.getrandbits(64):x}@{poster.emails[0].rpartition('@')[2]}>"),
            ("Subject", "[analytics-guild] " + self.rng.choice(HEADLINES)),
            ("From", _address(poster.full_name, poster.emails[0])),
            ("To", "analytics-guild@lists.example.org"),
            ("List-Id", "Analytics guild <analytics-guild.lists.example.org>"),
            ("List-Unsubscribe", "<mailto:analytics-guild+unsubscribe@lists.example.org>"),
            ("Precedence", "list"),
        ]
        text = f"Hi all,\n\n{self.rng.choice(FILLER)}\n\n{_first(poster)}\n"
        return self._simple(at, number, "Category Forums,Opened", headers, text)

    def _promotion(self, at, number, arg) -> bytes:
        headers = [
            ("Message-ID", f"<{self.rng.getrandbits(64):x}@datadayconf.example>"),
            ("Subject", "Early-bird tickets for Data Day end Friday"),
            ("From", _address("Data Day", "tickets@datadayconf.example")),
            ("To", self.cast.owner.personal_email),
        ]
        text = "Save 30% on Data Day tickets until Friday.\n"
        html = "<html><body><h1>Data Day</h1><p>Save 30% until Friday.</p></body></html>"
        return self._simple(at, number, "Category Promotions,Unread", headers, text, html)

    def _spam(self, at, number, arg) -> bytes:
        headers = [
            ("Message-ID", f"<{self.rng.getrandbits(64):x}@lucky.example>"),
            ("Subject", self.rng.choice(SPAM)),
            ("From", _address("Winner Notice", "claims@lucky.example")),
            ("To", self.cast.owner.personal_email),
        ]
        return self._simple(at, number, "Spam,Unread", headers, "Click here to claim.\n")

    def _bounce(self, at, number, arg) -> bytes:
        headers = [
            ("Message-ID", f"<{self.rng.getrandbits(64):x}@mx.google.com>"),
            ("Subject", "Delivery Status Notification (Failure)"),
            ("From", _address("Mail Delivery Subsystem", "mailer-daemon@googlemail.com")),
            ("To", self.cast.owner.personal_email),
            ("Auto-Submitted", "auto-replied"),
        ]
        text = "Address not found: your message wasn't delivered because the address couldn't be found.\n"
        return self._simple(at, number, "Inbox,Opened", headers, text)

    def _announcement(self, at, number, arg) -> bytes:
        group = self.rng.sample(self.people, min(len(self.people), self.rng.randint(18, 30)))
        headers = [
            ("Message-ID", f"<CA{self.rng.getrandbits(80):020x}@mail.gmail.com>"),
            ("Subject", "Data guild meetup: save the date"),
            ("From", self._to()),
            ("To", ", ".join(_address(p.full_name, p.emails[0]) for p in group)),
        ]
        text = (
            "Hi all,\n\nThe next data guild meetup is on the first Thursday of next month, "
            "same place as always. Bring a friend!\n\nMaya\n"
        )
        return self._simple(at, number, "Sent", headers, text)
