"""Where Constellation reads and writes, who the owner is, and the as-of date.

Precedence for every setting: command-line option > environment variable > configuration file >
default. The command line exports what it resolved into the environment, so the Dagster
definitions (loaded by the CLI, the daemon or the UI) all see one configuration.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INBOX = PROJECT_ROOT / "data" / "inbox"
DEFAULT_SAMPLE = PROJECT_ROOT / "data" / "sample"
DEFAULT_DB = PROJECT_ROOT / "data" / "warehouse.duckdb"
DEFAULT_SAMPLE_DB = PROJECT_ROOT / "data" / "sample.duckdb"
DEFAULT_CONFIG = PROJECT_ROOT / "constellation.toml"
# The sample's own settings (its example goals), used only when the user has no configuration.
SAMPLE_CONFIG = PROJECT_ROOT / "data" / "sample.constellation.toml"

SAMPLE_AS_OF = dt.date(2024, 12, 20)  # the day the bundled sample's story ends

ENV_INBOX = "CONSTELLATION_INBOX"
ENV_DB = "CONSTELLATION_DB"
ENV_AS_OF = "CONSTELLATION_AS_OF"
ENV_CONFIG = "CONSTELLATION_CONFIG"


class ConfigError(ValueError):
    """The configuration file or an option is invalid; the message says which and why."""


@dataclass(frozen=True)
class Owner:
    """Who "me" is. Empty fields are detected from the data (Profile.csv, Email Addresses.csv)."""

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    linkedin_url: str = ""


@dataclass(frozen=True)
class Settings:
    inbox: Path = DEFAULT_INBOX
    db_path: Path = DEFAULT_DB
    as_of: dt.date | None = None
    config_path: Path | None = None
    owner: Owner = field(default_factory=Owner)
    max_unpacked_bytes: int = 4 * 1024**3
    store_email_snippets: bool = True
    large_meeting_attendees: int = 15
    using_sample: bool = False
    raw: dict = field(default_factory=dict)

    @property
    def as_of_date(self) -> dt.date:
        """The date every metric is computed for: the configured one, else today."""
        return self.as_of or dt.date.today()

    @property
    def snapshot_path(self) -> Path:
        """The read-only copy the dashboard and ad-hoc SQL open (see README, "Snapshot")."""
        return self.db_path.with_name(self.db_path.stem + ".snapshot" + self.db_path.suffix)

    def section(self, name: str) -> dict:
        """A section of the configuration file that a later feature reads (e.g. `[goals]`)."""
        value = self.raw.get(name, {})
        return value if isinstance(value, dict) else {}

    def to_env(self) -> dict[str, str]:
        env = {ENV_INBOX: str(self.inbox), ENV_DB: str(self.db_path)}
        if self.as_of:
            env[ENV_AS_OF] = self.as_of.isoformat()
        if self.config_path:
            env[ENV_CONFIG] = str(self.config_path)
        return env


def parse_as_of(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ConfigError(f"as-of date {text!r} is not a date like 2026-03-31") from exc


def _read_config(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"configuration file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"configuration file {path} is not valid TOML: {exc}") from exc


def _as_tuple(value: object, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"[owner] {key} must be a string or a list of strings")


def load_settings(
    *,
    inbox: str | Path | None = None,
    db_path: str | Path | None = None,
    as_of: str | None = None,
    config_path: str | Path | None = None,
) -> Settings:
    """Resolve the settings from options, environment, configuration file and defaults."""
    config_text = config_path or os.environ.get(ENV_CONFIG)
    if config_text:
        resolved_config: Path | None = Path(config_text).expanduser().resolve()
    elif DEFAULT_CONFIG.exists():
        resolved_config = DEFAULT_CONFIG
    else:
        resolved_config = None
    raw = _read_config(resolved_config) if resolved_config else {}
    base = resolved_config.parent if resolved_config else Path.cwd()
    paths = raw.get("paths", {})

    def pick_path(option: str | Path | None, env: str, key: str, default: Path) -> Path:
        if option:
            return Path(option).expanduser().resolve()
        if os.environ.get(env):
            return Path(os.environ[env]).expanduser().resolve()
        if paths.get(key):
            return (base / Path(paths[key]).expanduser()).resolve()
        return default

    chosen_inbox = pick_path(inbox, ENV_INBOX, "inbox", DEFAULT_INBOX)
    chosen_db = pick_path(db_path, ENV_DB, "warehouse", DEFAULT_DB)
    # A new user's inbox is empty: run on the bundled sample, in a warehouse of its own so that
    # sample rows never mix with the user's data once they add their exports.
    using_sample = chosen_inbox == DEFAULT_INBOX and not _has_files(DEFAULT_INBOX)
    if using_sample:
        if resolved_config is None and SAMPLE_CONFIG.exists():
            resolved_config, raw = SAMPLE_CONFIG, _read_config(SAMPLE_CONFIG)
        chosen_inbox = DEFAULT_SAMPLE
        if chosen_db == DEFAULT_DB:
            chosen_db = DEFAULT_SAMPLE_DB
    as_of_text = as_of or os.environ.get(ENV_AS_OF) or raw.get("as_of")
    if using_sample and not as_of_text:
        # The sample's story ends in December 2024; measured from today every tie would look
        # dormant, so the sample is shown as of the day its story ends.
        as_of_text = SAMPLE_AS_OF.isoformat()
    owner = raw.get("owner", {})
    email = raw.get("email", {})
    calendar = raw.get("calendar", {})
    limits = raw.get("limits", {})
    return Settings(
        inbox=chosen_inbox,
        db_path=chosen_db,
        as_of=parse_as_of(str(as_of_text)) if as_of_text else None,
        config_path=resolved_config,
        owner=Owner(
            names=_as_tuple(owner.get("names"), "names"),
            emails=tuple(e.lower() for e in _as_tuple(owner.get("emails"), "emails")),
            linkedin_url=str(owner.get("linkedin_url", "")),
        ),
        max_unpacked_bytes=int(limits.get("max_unpacked_bytes", 4 * 1024**3)),
        store_email_snippets=bool(email.get("store_snippets", True)),
        large_meeting_attendees=int(calendar.get("large_meeting_attendees", 15)),
        using_sample=using_sample,
        raw=raw,
    )


def _has_files(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    return any(p.is_file() and not p.name.startswith(".") for p in folder.rglob("*"))
