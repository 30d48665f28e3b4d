"""This week's recommended actions: from candidates (pipelines/sql/marts/recommended_actions.sql)
to a short, varied, kind list. Plain Python, no Dagster: the caps, the weekly pick's rotation,
the no-nagging rule, the user's feedback, and the words (reason and opening line).

docs/actions.md explains every rule for users; the numbers here are its defaults.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

import polars as pl

from pipelines.lib.opening_lines import past_fact, past_line
from pipelines.settings import ConfigError, Settings

# The order types are taken in each round; it is also the tie-break of priority.
TYPE_ORDER = (
    "reply_owed",
    "congratulate",
    "follow_up_new",
    "weekly_pick",
    "check_in_due",
    "goal",
    "give_first",
    "introduce",
    "reconnect_dormant",
)
DEFAULT_PER_TYPE = {
    "reply_owed": 3,
    "congratulate": 3,
    "follow_up_new": 3,
    "check_in_due": 3,
    "goal": 2,
    "give_first": 2,
    "introduce": 2,
    "reconnect_dormant": 2,
}
# Two messages of yours in a row without an answer: nothing more is suggested for that person.
CHASE_LIMIT = 2

ACTION_COLUMNS = {
    "action_id": pl.String,
    "action_type": pl.String,
    "person_id": pl.String,
    "person_name": pl.String,
    "other_person_id": pl.String,
    "other_person_name": pl.String,
    "goal": pl.String,
    "reason": pl.String,
    "priority": pl.Int32,
    "due_on": pl.Date,
    "opening_line": pl.String,
    "status": pl.String,
    "snoozed_until": pl.Date,
}


@dataclass(frozen=True)
class ActionSettings:
    """The `[actions]` section of the configuration."""

    max_open: int = 12
    weekly_picks: int = 2
    pick_pool: int = 12
    per_type: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PER_TYPE))


@dataclass(frozen=True)
class Goal:
    """One `[[goals]]` block: a contact matches when any role, company or keyword matches."""

    name: str
    roles: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


def _positive_int(section: dict, key: str, default: int, low: int, high: int) -> int:
    value = section.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"[actions] {key} must be a whole number from {low} to {high}")
    return value


def action_settings(settings: Settings) -> ActionSettings:
    section = settings.section("actions")
    per_type = dict(DEFAULT_PER_TYPE)
    configured = section.get("per_type", {})
    if not isinstance(configured, dict):
        raise ConfigError("[actions] per_type must be a table like { reply_owed = 3 }")
    for key in configured:
        if key not in DEFAULT_PER_TYPE:
            raise ConfigError(
                f"[actions] per_type: unknown action type {key!r} "
                f"(known: {', '.join(DEFAULT_PER_TYPE)}; the weekly pick has `weekly_picks`)"
            )
        per_type[key] = _positive_int(configured, key, 0, 0, 20)
    return ActionSettings(
        max_open=_positive_int(section, "max_open", 12, 1, 50),
        weekly_picks=_positive_int(section, "weekly_picks", 2, 0, 3),
        pick_pool=_positive_int(section, "pick_pool", 12, 1, 100),
        per_type=per_type,
    )


def _terms(block: dict, key: str, name: str) -> tuple[str, ...]:
    value = block.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"goal {name!r}: {key} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def configured_goals(settings: Settings) -> list[Goal]:
    """The `[[goals]]` of the configuration, checked."""
    blocks = settings.raw.get("goals", [])
    if isinstance(blocks, dict):  # a single [goals] table
        blocks = [blocks]
    if not isinstance(blocks, list):
        raise ConfigError("goals must be written as [[goals]] blocks")
    goals, names = [], set()
    for block in blocks:
        name = str(block.get("name", "")).strip() if isinstance(block, dict) else ""
        if not name:
            raise ConfigError("every [[goals]] block needs a name")
        if name in names:
            raise ConfigError(f"two goals are named {name!r}")
        names.add(name)
        goal = Goal(
            name,
            _terms(block, "roles", name),
            _terms(block, "companies", name),
            _terms(block, "keywords", name),
        )
        if not (goal.roles or goal.companies or goal.keywords):
            raise ConfigError(f"goal {name!r} needs at least one of roles, companies, keywords")
        goals.append(goal)
    return goals


def goals_frame(goals: list[Goal]) -> pl.DataFrame:
    """marts.goals: one row per goal with its lists."""
    return pl.DataFrame(
        {
            "goal": [g.name for g in goals],
            "roles": [list(g.roles) for g in goals],
            "companies": [list(g.companies) for g in goals],
            "keywords": [list(g.keywords) for g in goals],
        },
        schema={
            "goal": pl.String,
            "roles": pl.List(pl.String),
            "companies": pl.List(pl.String),
            "keywords": pl.List(pl.String),
        },
    )


def goal_terms(goals: pl.DataFrame) -> pl.DataFrame:
    """(goal, term_kind, term) rows, the input of goal_contacts.sql."""
    parts = [
        goals.select("goal", pl.lit(kind).alias("term_kind"), pl.col(column).alias("term"))
        .explode("term")
        .drop_nulls("term")
        for kind, column in (("role", "roles"), ("company", "companies"), ("keyword", "keywords"))
    ]
    return pl.concat(parts)


def action_id(
    action_type: str, person_id: str, other_person_id: str | None, goal: str | None, subject: str
) -> str:
    """Stable across rebuilds: the same action on the same subject keeps its id."""
    key = "\x1f".join([action_type, person_id, other_person_id or "", goal or "", subject])
    return "a_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def week_index(as_of: dt.date) -> int:
    """Weeks since Monday 2024-01-01: the weekly pick's rotation counter."""
    monday = as_of - dt.timedelta(days=as_of.weekday())
    return (monday - dt.date(2024, 1, 1)).days // 7


def choose_actions(
    candidates: pl.DataFrame,
    feedback: pl.DataFrame,
    goal_people: dict[str, str],
    config: ActionSettings,
    as_of: dt.date,
) -> pl.DataFrame:
    """The week's list: candidates with feedback applied, capped, rotated and worded.

    `goal_people` maps a person to the goal they are relevant to (weekly pick bonus and tag).
    Rows the user marked done, dismissed or snoozed (until after the as-of date) keep that
    status and leave their place to the next candidate.
    """
    latest = {
        r["action_id"]: r for r in feedback.iter_rows(named=True)
    }  # current_feedback(): one row per action
    rows = []
    for c in candidates.iter_rows(named=True):
        if c["unanswered_messages"] >= CHASE_LIMIT:
            continue  # no nagging: they have not answered your last messages
        facts = json.loads(c["facts"])
        is_goal_action = c["action_type"] == "goal"
        aid = action_id(
            c["action_type"],
            c["person_id"],
            c["other_person_id"],
            c["goal"] if is_goal_action else None,
            c["subject"],
        )
        status, until = "open", None
        if aid in latest:
            event = latest[aid]
            if event["status"] in ("done", "dismissed"):
                status = event["status"]
            elif event["status"] == "snoozed" and event["snoozed_until"] > as_of:
                status, until = "snoozed", event["snoozed_until"]
        value = c["value"]
        goal = c["goal"] if is_goal_action else goal_people.get(c["person_id"])
        if c["action_type"] == "weekly_pick" and c["person_id"] in goal_people:
            value += 25
        rows.append(
            {
                **c,
                "facts": facts,
                "action_id": aid,
                "status": status,
                "snoozed_until": until,
                "value": value,
                "goal": goal,
            }
        )

    chosen: list[dict] = []
    kept_aside = [r for r in rows if r["status"] != "open"]
    used_people: set[str] = set()

    def people_of(row: dict) -> set[str]:
        return {row["person_id"], row["other_person_id"]} - {None}

    # All types but the weekly pick, round by round: the best of each type, then the second...
    queues = {
        t: sorted(
            (r for r in rows if r["action_type"] == t and r["status"] == "open"),
            key=lambda r: (-r["value"], r["person_id"], r["subject"]),
        )
        for t in TYPE_ORDER
        if t != "weekly_pick"
    }
    if "goal" in queues:
        queues["goal"] = _one_per_goal(queues["goal"])
    taken = dict.fromkeys(queues, 0)
    budget = max(config.max_open - config.weekly_picks, 0)
    progress = True
    while progress and len(chosen) < budget:
        progress = False
        for t, queue in queues.items():
            if len(chosen) >= budget or taken[t] >= config.per_type.get(t, 0):
                continue
            while queue:
                row = queue.pop(0)
                if people_of(row) & used_people:
                    continue
                chosen.append(row)
                used_people |= people_of(row)
                taken[t] += 1
                progress = True
                break

    picks = _weekly_picks(rows, used_people, config, as_of)
    done_picks = [r for r in kept_aside if r["action_type"] == "weekly_pick"]
    picks = picks[: max(config.weekly_picks - sum(r["status"] == "done" for r in done_picks), 0)]
    chosen += picks

    ordered = sorted(chosen, key=lambda r: (TYPE_ORDER.index(r["action_type"]), -r["value"]))
    # priority: round-robin over types, so the top of the list is varied
    rank_in_type: dict[str, int] = {}
    for r in ordered:
        rank_in_type[r["action_type"]] = rank_in_type.get(r["action_type"], 0) + 1
        r["round"] = rank_in_type[r["action_type"]]
    ordered.sort(key=lambda r: (r["round"], TYPE_ORDER.index(r["action_type"])))
    aside = sorted(kept_aside, key=lambda r: (TYPE_ORDER.index(r["action_type"]), r["action_id"]))
    out = []
    for priority, r in enumerate(ordered + aside, start=1):
        reason, opening = describe(r)
        out.append(
            {
                "action_id": r["action_id"],
                "action_type": r["action_type"],
                "person_id": r["person_id"],
                "person_name": r["person_name"],
                "other_person_id": r["other_person_id"],
                "other_person_name": r["other_person_name"],
                "goal": r["goal"],
                "reason": reason,
                "priority": priority,
                "due_on": r["due_on"],
                "opening_line": opening,
                "status": r["status"],
                "snoozed_until": r["snoozed_until"],
            }
        )
    return pl.DataFrame(out, schema=ACTION_COLUMNS)


def _one_per_goal(queue: list[dict]) -> list[dict]:
    """Each goal's best action: a direct contact with some tie (health 20+), else the best
    introduction path, else the best direct contact."""
    best: dict[str, dict] = {}
    for row in queue:
        goal, facts = row["goal"], row["facts"]
        current = best.get(goal)
        rank = (
            0
            if facts["path"] == "direct" and row["value"] >= 20
            else (1 if facts["path"] == "introduction" else 2)
        )
        if current is None or rank < current[0]:
            best[goal] = (rank, row)
    return sorted((row for _, row in best.values()), key=lambda r: (-r["value"], r["goal"]))


def _weekly_picks(
    rows: list[dict], used_people: set[str], config: ActionSettings, as_of: dt.date
) -> list[dict]:
    """Rotate through the most valuable contacts: week w starts at position w * picks of the
    pool (the `pick_pool` best by value), so each gets a turn and a week is reproducible."""
    pool = sorted(
        (r for r in rows if r["action_type"] == "weekly_pick" and r["status"] == "open"),
        key=lambda r: (-r["value"], r["person_id"]),
    )[: config.pick_pool]
    if not pool or config.weekly_picks == 0:
        return []
    start = week_index(as_of) * config.weekly_picks
    picks = []
    for step in range(len(pool)):
        row = pool[(start + step) % len(pool)]
        if row["person_id"] in used_people:
            continue
        picks.append(row)
        used_people.add(row["person_id"])
        if len(picks) == config.weekly_picks:
            break
    return picks


# --- the words ------------------------------------------------------------------------------

CHANNEL = {"linkedin_message": "on LinkedIn", "email": "by e-mail"}


def first_name(name: str | None) -> str:
    words = [w.strip(",.") for w in (name or "").split()]
    words = [w for w in words if w]
    return words[0] if words else "there"


def _date(text: str | None) -> str:
    if not text:
        return ""
    day = dt.date.fromisoformat(str(text)[:10])
    return f"{day:%a} {day.day} {day:%b %Y}"


def _job(facts: dict) -> str:
    title, company = facts.get("title"), facts.get("company")
    if title and company:
        return f"{title} at {company}"
    return title or company or ""


def _days(n: int | float | None) -> str:
    if n is None:
        return "some time"
    n = int(n)
    return "1 day" if n == 1 else f"{n} days"


def _ago(n: int | float | None) -> str:
    """ "today", "yesterday", "9 days ago"."""
    if n is None:
        return "some time ago"
    n = int(n)
    return "today" if n == 0 else "yesterday" if n == 1 else f"{n} days ago"


def _every(n: int | float) -> str:
    """ "every day", "every 9 days" (a rhythm or a cadence in whole days)."""
    n = round(n)
    return "every day" if n == 1 else f"every {n} days"


def describe(row: dict) -> tuple[str, str]:
    """One sentence with the numbers behind the suggestion, and a first line to send."""
    f, name, first = row["facts"], row["person_name"], first_name(row["person_name"])
    kind = row["action_type"]
    job = _job(f)
    with_job = f"{name} ({job})" if job else name
    if kind == "reply_owed":
        said = f.get("said")
        channel = CHANNEL.get(f.get("channel"), "")
        asked = f": “{said.strip()}”" if said else ""
        reason = f"{name} wrote to you {channel} {_ago(f['days'])} and is waiting for your answer{asked}."
        opening = f"Hi {first}, thank you for your patience — here is my answer: …"
    elif kind == "follow_up_new" and f["what"] == "meeting":
        reason = (
            f"You met {with_job} for the first time on {_date(f['on'])}, {_ago(f['days'])}, "
            "and have not followed up yet; a note within two days helps a new contact stick."
        )
        opening = f"Hi {first}, thank you for your time on {_date(f['on'])[:3]} — I enjoyed our conversation about …"
    elif kind == "follow_up_new":
        reason = (
            f"You connected with {with_job} {_ago(f['days'])} and have not written yet; "
            "a note within two days helps a new contact stick."
        )
        where = f" at {f['company']}" if f.get("company") else ""
        opening = (
            f"Hi {first}, glad we're connected — I'd love to hear what you're working on{where}."
        )
    elif kind == "check_in_due":
        # typical_gap is the median gap between conversations, known once there are 4 of them
        gap = f.get("typical_gap")
        usual = f"usually talk {_every(gap)}" if gap else f"talk {_every(f['cadence'])}"
        reason = (
            f"It has been {_days(f['days'])} since you were last in touch with {name}, "
            f"one of your {f['tier']} ties; you {usual}."
        )
        opening = f"Hi {first}, you came to mind today — how are things with you?"
    elif kind == "congratulate" and f["occasion"] == "birthday":
        when = "today" if f["in_days"] == 0 else f"in {_days(f['in_days'])}"
        reason = (
            f"{name}'s birthday is on {_date(f['on'])} ({when}), according to your address book."
        )
        opening = f"Happy birthday, {first}! I hope you have a wonderful day."
    elif kind == "congratulate" and f["occasion"] == "new_job":
        reason = (
            f"{name} moved from {f['before_title']} at {f['before_company']} to {f['title']} at "
            f"{f['company']} (your LinkedIn exports of {f['before_on']} and {f['on']})."
        )
        opening = f"Congratulations on the new role at {f['company']}, {first}! How are the first weeks going?"
    elif kind == "congratulate":
        reason = (
            f"{name} is now {f['title']} at {f['company']} (was {f['before_title']} in your "
            f"LinkedIn export of {f['before_on']})."
        )
        opening = f"Congratulations on becoming {f['title']}, {first} — well deserved!"
    elif kind == "give_first":
        reason = (
            f"In the past year your messages to {name} held {f['asks']} asks and "
            f"{f['gives'] or 'no'} offer{'' if f['gives'] == 1 else 's'}; sharing something useful before the next ask keeps "
            "it two-way."
        )
        opening = f"Hi {first}, I came across something that made me think of you: …"
    elif kind == "reconnect_dormant":
        reason = (
            f"You and {name} had {f['peak_episodes']} conversations in your last active "
            f"year together; the last touch was {_ago(f['days'])} ({f['last_on']})."
        )
        opening = past_line(first, f.get("history"), f.get("company"))
    elif kind == "weekly_pick":
        if f.get("novel"):
            why = f"a new contact since {f['first_on']}"
        else:
            why = (
                f"you were in touch on {_days(f['peak_contact_days'])} in the year up to your "
                "last touch"
            )
        opening = past_line(first, f.get("history"), f.get("company"))
        goal = f"; relevant to your goal “{row['goal']}”" if row.get("goal") else ""
        reason = (
            f"This week's pick: {with_job} — {why} ({past_fact(f.get('history'))}), and it has "
            f"been {_days(f['days'])}{goal}."
        )
    elif kind == "introduce":
        reason = f["why"]
        other = first_name(row["other_person_name"])
        opening = (
            f"Hi {first}, I think you and {row['other_person_name']} would have a lot to talk "
            f"about — would you be open to an introduction to {other}?"
        )
    elif kind == "goal" and f["path"] == "introduction":
        reason = f"{f['why'].rstrip('.')} — a way towards your goal “{f['goal']}”."
        opening = (
            f"Hi {first}, I'm working towards a goal — {f['goal'].lower()} — would you feel "
            f"comfortable introducing me to {row['other_person_name']}?"
        )
    else:  # goal, direct
        last = (
            f"you were last in touch {_ago(f['days'])}"
            if f.get("days") is not None
            else "you have not been in touch yet"
        )
        reason = f"{with_job} fits your goal “{f['goal']}” ({f['matched_on']}); {last}."
        opening = (
            f"Hi {first}, I'm working towards a goal — {f['goal'].lower()} — and would value "
            "your view; could we find 20 minutes in the next two weeks?"
        )
    if (
        row.get("unanswered_ask")
        and row.get("unanswered_messages") == 1
        and kind not in ("reply_owed", "congratulate", "introduce")
    ):
        reason = (
            reason.rstrip(".")
            + "; your last question to them is still unanswered, so make this the one friendly follow-up."
        )
    return reason.replace("  ", " "), opening
