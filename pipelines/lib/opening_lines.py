"""Opening lines that claim no more than the data shows. Plain Python, no Dagster.

A line that says "it was good to meet you" to someone you never met costs trust. The history
of a person (the `history` fact of recommended_actions.sql: the last time together, the last
call, whether you have written to each other both ways, when you connected) decides what a
line may refer to: a meeting, a call, messages you exchanged, a LinkedIn connection, or
nothing at all. docs/actions.md lists the lines.
"""

from __future__ import annotations

import datetime as dt

WROTE = {"linkedin_message": "on LinkedIn", "email": "by e-mail"}


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(str(text)[:10]) if text else None


def _month(day: dt.date) -> str:
    return f"{day:%B %Y}"


def strongest_past(history: dict | None) -> tuple[str, dt.date | None, str | None]:
    """What you and they did together, the strongest kind the data shows, as (kind, day,
    channel): time together ('met') or a 'call', whichever was last; else a two-way written
    exchange ('wrote'); else a LinkedIn 'connection'; else ('none', None, None)."""
    history = history or {}
    met, called = _day(history.get("met_on")), _day(history.get("called_on"))
    if met and (not called or met >= called):
        return "met", met, history.get("met_channel")
    if called:
        return "call", called, "call"
    if history.get("two_way"):
        return "wrote", _day(history.get("wrote_on")), history.get("wrote_channel")
    if history.get("connected_on"):
        return "connection", _day(history["connected_on"]), "connection"
    return "none", None, None


def _together(channel: str | None) -> str:
    """'we met' for a meeting, 'our coffee' for a logged coffee, lunch, event..."""
    if not channel or channel == "meeting":
        return "we met"
    return f"our {channel.replace('_', ' ')}"


def past_fact(history: dict | None) -> str:
    """The known past in a reason: "you met on Thu 3 Oct 2024"."""
    kind, day, channel = strongest_past(history)
    when = f"{day:%a} {day.day} {day:%b %Y}" if day else ""
    if kind == "met" and channel in (None, "meeting"):
        return f"you met on {when}"
    if kind == "met":
        return f"your {channel.replace('_', ' ')} on {when}"
    if kind == "call":
        return f"your last call was on {when}"
    if kind == "wrote":
        return f"you have written to each other {WROTE.get(channel, '')}, last on {when}".replace(
            "  ", " "
        ).replace(" ,", ",")
    if kind == "connection":
        return f"connected on LinkedIn on {when}; you have not written to each other yet"
    return "you have not been in touch yet"


def past_line(first: str, history: dict | None, company: str | None = None) -> str:
    """A first line for someone you have not been in touch with for a while, referring only to
    what the data shows of your past."""
    kind, day, channel = strongest_past(history)
    catch_up = "— how have you been?"
    if kind == "met":
        return (
            f"Hi {first}, it's been a while since {_together(channel)} in {_month(day)} {catch_up}"
        )
    if kind == "call":
        return f"Hi {first}, it's been a while since our call in {_month(day)} {catch_up}"
    if kind == "wrote":
        how = WROTE.get(channel, "")
        when = f" in {_month(day)}" if day else ""
        return f"Hi {first}, it's been a while since we last wrote {how}{when} {catch_up}".replace(
            "  ", " "
        )
    where = f" at {company}" if company else ""
    first_call = (
        f"I'd love to hear about your work{where}; would you be up for a short call in the next "
        "few weeks?"
    )
    if kind == "connection":
        return f"Hi {first}, we're connected on LinkedIn but haven't spoken yet — {first_call}"
    return f"Hi {first}, we haven't spoken yet — {first_call}"
