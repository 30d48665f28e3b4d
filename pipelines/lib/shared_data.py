"""Where the real development data lives: the `shared/datasets/` folder beside the project
(`../shared/` from the repository root, as developers and CI have it; a user does not).

Evaluations and benchmarks read it at run time and never copy it into the project. Everything
here returns None (or an empty list) when the folder is absent, so callers can say so and go
on with what they have.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

ENV_SHARED = "CONSTELLATION_SHARED"
ROOT = Path(__file__).resolve().parents[2]

# The four development mailboxes (enron-mailboxes/README.md) and each owner's own sending
# addresses, as a user would write them into `[owner] emails`.
ENRON_OWNERS: dict[str, list[str]] = {
    "allen-p": ["phillip.allen@enron.com", "k..allen@enron.com"],
    "delainey-d": ["david.delainey@enron.com", "w..delainey@enron.com"],
    "fossum-d": ["drew.fossum@enron.com"],
    "keavey-p": ["peter.keavey@enron.com", "f..keavey@enron.com"],
}
# The date the mailbox measurements are taken as of (after the last real mail in every one).
ENRON_AS_OF = "2002-02-01"


def datasets_dir() -> Path | None:
    """`shared/datasets/` ($CONSTELLATION_SHARED, else `../shared` beside the repository), or
    None when it is not there."""
    shared = Path(os.environ.get(ENV_SHARED) or ROOT.parent / "shared")
    folder = shared / "datasets"
    return folder if folder.is_dir() else None


def dataset(name: str) -> Path | None:
    """One dataset folder (`enron-intent`, `enron-mailboxes`, `linkedin-export-2026-03`)."""
    folder = datasets_dir()
    if folder is None or not (folder / name).is_dir():
        return None
    return folder / name


def enron_mailbox_archive(user: str) -> Path | None:
    """The `<user>.tar.gz` of one development mailbox, or None."""
    folder = dataset("enron-mailboxes")
    archive = folder / f"{user}.tar.gz" if folder else None
    return archive if archive and archive.is_file() else None


def unpack_enron_mailbox(user: str, inbox: Path) -> Path | None:
    """Unpack one development mailbox to `<inbox>/maildir/<user>/` as the mailbox README says
    (unless it is there already); the maildir's path, or None when the archive is absent."""
    archive = enron_mailbox_archive(user)
    if archive is None:
        return None
    target = inbox / "maildir"
    if not (target / user).is_dir():
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
    return target / user


def enron_owner_config(user: str) -> str:
    """The configuration file text that names the mailbox's owner."""
    emails = ", ".join(f'"{address}"' for address in ENRON_OWNERS[user])
    return f"[owner]\nemails = [{emails}]\n"
