"""Who "me" is: the configuration wins; what it leaves empty is detected from the data.

- names: `Profile.csv` (the newest export);
- email addresses: `Email Addresses.csv`, plus the address the owner's Sent mail comes from;
- LinkedIn profile: the profile URL on the messages sent under the owner's name.
Each identifier says where it came from, and the refresh reports it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pipelines.lib.identity import normalize_email, normalize_name
from pipelines.lib.linkedin.common import profile_slug
from pipelines.settings import Owner


@dataclass(frozen=True)
class OwnerIdentifier:
    kind: str  # name | email | linkedin_slug
    value: str
    source: str  # configuration | Profile.csv | Email Addresses.csv | messages.csv | Sent mail


def detect_owner(
    configured: Owner,
    *,
    profile_names: Iterable[str] = (),
    account_emails: Iterable[str] = (),
    sent_mail_senders: Iterable[str] = (),
    message_senders: Iterable[tuple[str | None, str | None]] = (),
) -> list[OwnerIdentifier]:
    found: list[OwnerIdentifier] = []
    names = [OwnerIdentifier("name", n, "configuration") for n in configured.names]
    if not names:
        names = [
            OwnerIdentifier("name", n, "Profile.csv") for n in dict.fromkeys(profile_names) if n
        ]
    found += names

    emails = [OwnerIdentifier("email", e, "configuration") for e in configured.emails]
    if not emails:
        emails = [
            OwnerIdentifier("email", e.lower(), "Email Addresses.csv")
            for e in dict.fromkeys(account_emails)
            if e and "@" in e
        ]
        sent = Counter(a.lower() for a in sent_mail_senders if a and "@" in a)
        known = {normalize_email(i.value) for i in emails}
        if sent:
            address, _ = sent.most_common(1)[0]
            if normalize_email(address) not in known:
                emails.append(OwnerIdentifier("email", address, "Sent mail"))
    found += emails

    slug = profile_slug(configured.linkedin_url) if configured.linkedin_url else None
    if slug:
        found.append(OwnerIdentifier("linkedin_slug", slug, "configuration"))
    else:
        own_names = {normalize_name(i.value) for i in names} - {None}
        slugs = Counter(
            s.lower() for name, s in message_senders if s and normalize_name(name) in own_names
        )
        if slugs:
            found.append(
                OwnerIdentifier("linkedin_slug", slugs.most_common(1)[0][0], "messages.csv")
            )
    return found
