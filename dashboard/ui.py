"""Small pieces every page shares: empty states, URL-backed filters, labels and the line saying
what is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import altair as alt
import streamlit as st

from dashboard import data


def snapshot_or_stop() -> data.Snapshot:
    """The published snapshot; without one, explain how to get one and end the page here."""
    snapshot = data.current_snapshot()
    if snapshot is None:
        empty_state()
        st.stop()
    return snapshot


def empty_state() -> None:
    settings = data.settings()
    st.info(
        "**No data yet — let's add some.**\n\n"
        "1. Put your exports in the inbox folder "
        f"`{settings.inbox}`: the LinkedIn data export (.zip or its folder), contact CSVs, "
        "calendar `.ics` files, mailbox files.\n"
        "2. Run `make run` (or `constellation refresh`) in the project folder.\n"
        "3. Come back here and reload the page.\n\n"
        "With an empty `data/inbox/`, `make run` loads the bundled sample data so you can look "
        "around first. Everything stays on this machine.",
        icon=":material/inbox:",
    )
    st.caption(f"Looking for the published snapshot at `{settings.snapshot_path}`.")


def url_multiselect(
    container,
    label: str,
    options: list[str],
    *,
    param: str,
    key: str,
    format_func: Callable[[str], str] = str,
    help: str | None = None,
) -> list[str]:
    """A multiselect whose choice lives in the URL (`?param=a&param=b`), so a filtered view can
    be bookmarked or shared; choices that no longer exist in the data are dropped."""
    from_url = [value for value in st.query_params.get_all(param) if value in options]
    chosen = container.multiselect(
        label, options, default=from_url, key=key, format_func=format_func, help=help
    )
    if chosen:
        st.query_params[param] = chosen
    elif param in st.query_params:
        del st.query_params[param]
    return chosen


def source_caption(snapshot: data.Snapshot) -> None:
    """Which data the page shows and how fresh it is."""
    settings = data.settings()
    if settings.using_sample:
        st.info(
            "You are looking at the bundled **sample data**. Add your own exports to "
            "`data/inbox/` and run `make run` to see your network.",
            icon=":material/science:",
        )
    published = snapshot.published_at.astimezone().strftime("%Y-%m-%d %H:%M")
    st.caption(f"Data published {published} · `{snapshot.path.name}`")


def url_text_input(container, label: str, *, param: str, key: str, placeholder: str = "") -> str:
    """A text box whose value lives in the URL (`?param=text`), like `url_multiselect`."""
    text = container.text_input(
        label, value=st.query_params.get(param, ""), key=key, placeholder=placeholder
    )
    if text.strip():
        st.query_params[param] = text.strip()
    elif param in st.query_params:
        del st.query_params[param]
    return text.strip()


def not_built_yet(what: str, table: str) -> None:
    """The friendly state of a page whose table the last refresh did not build."""
    st.info(
        f"**{what} will appear here after the next refresh.** The published data has no "
        f"`{table}` table yet: run `make run` (or `constellation refresh`) with your exports in "
        f"`{data.settings().inbox}` to build it.",
        icon=":material/hourglass_empty:",
    )


PERSON_PAGE = "views/person.py"

TIER_LABELS = {
    "inner": "Inner circle",
    "close": "Close",
    "active": "Active",
    "wider": "Wider circle",
    "acquaintance": "Acquaintance",
    "dormant": "Dormant (worth reviving)",
}
STATUS_LABELS = {
    "on_track": "On track",
    "due": "Due for a hello",
    "overdue": "It has been a while",
    "no_rhythm": "No rhythm expected",
}
# Said under a person's name when it is a guess (core.people.name_source).
GUESSED_NAME_NOTES = {
    "x_header": "Name read from an Exchange/Notes export's X-From/X-To/X-cc header "
    "(“Buy, Rick” read as “Rick Buy”): no message, address book or profile gives it.",
    "address": "No message, address book or profile gives a name: the address stands in.",
}
TREND_LABELS = {"rising": "↑ rising", "steady": "→ steady", "cooling": "↓ cooling"}
CHANNEL_LABELS = {
    "linkedin_message": "LinkedIn message",
    "email": "E-mail",
    "meeting": "Meeting",
    "call": "Call",
    "coffee": "Coffee",
    "logged": "Logged",
    "connection": "Connected",
    "invitation": "Invitation",
    "endorsement": "Endorsement",
    "recommendation": "Recommendation",
}
DIRECTION_LABELS = {"outbound": "you → them", "inbound": "them → you", "mutual": "both"}
# A connection is mutual once made; its direction only says who sent the invitation.
CONNECTION_DIRECTION_LABELS = {
    "outbound": "you invited them",
    "inbound": "they invited you",
    "mutual": "connected",
}
KIND_LABELS = {"give": "give", "ask": "ask", "neutral": "—"}
# What each kind of input file is, in the user's words (`quality.file_loads.kind` holds the code).
INPUT_KIND_LABELS = {
    "linkedin_connections": "LinkedIn connections",
    "linkedin_messages": "LinkedIn messages",
    "linkedin_invitations": "LinkedIn invitations",
    "linkedin_endorsements_received": "LinkedIn endorsements received",
    "linkedin_endorsements_given": "LinkedIn endorsements given",
    "linkedin_recommendations_received": "LinkedIn recommendations received",
    "linkedin_recommendations_given": "LinkedIn recommendations given",
    "linkedin_profile": "LinkedIn profile",
    "linkedin_email_addresses": "LinkedIn e-mail addresses",
    "linkedin_positions": "LinkedIn positions",
    "linkedin_events": "LinkedIn events",
    "linkedin_company_follows": "LinkedIn company follows",
    "linkedin_contacts": "LinkedIn address book",
    "email_messages": "E-mail",
    "contacts": "Address book",
    "calendar_events": "Calendar",
    "calendar_attendees": "Calendar attendees",
    "interaction_log": "Interaction log",
}


def count(n: int | float, noun: str, plural: str | None = None) -> str:
    """A worded count: "1 day", "3 days", "1 conversation". The one place the dashboard words a
    count, so a single day is never "1 days"."""
    n = int(n)
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def days(n: int | float) -> str:
    return count(n, "day")


def date_axis(first: dt.datetime, last: dt.datetime) -> alt.Axis:
    """A time axis labelled in one format chosen by the span shown ("2023", "Mar 2025" or
    "08 Mar"), instead of Vega's mix of years, months, days and hours on one axis."""
    span = (last - first).days
    if span > 3 * 365:
        fmt, interval, step = "%Y", "year", 1
    elif span > 90:
        fmt, interval, step = "%b %Y", "month", 1 if span <= 400 else 3
    else:
        fmt, interval, step = "%d %b", "week", 1
    # a tick per year, month(s) or week, so one label never repeats on neighbouring ticks
    return alt.Axis(format=fmt, tickCount={"interval": interval, "step": step}, labelOverlap=True)


def label(mapping: dict[str, str], value: str | None) -> str:
    """The user-facing words for a code, the code itself when there are none."""
    if value is None:
        return "—"
    return mapping.get(value, value.replace("_", " "))


def person_link(person_id: str, name: str) -> None:
    """A link to a person's page (`/person?id=...`)."""
    st.page_link(PERSON_PAGE, label=name, query_params={"id": person_id}, icon=":material/person:")


ACTION_LABELS = {
    "reply_owed": "Reply",
    "follow_up_new": "Follow up",
    "check_in_due": "Check in",
    "weekly_pick": "This week's pick",
    "congratulate": "Congratulate",
    "give_first": "Offer something",
    "reconnect_dormant": "Reconnect",
    "introduce": "Introduce",
    "goal": "Goal",
}
