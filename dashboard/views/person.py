"""One person (`/person?id=p_...`): the suggested next step, the health score explained by its
stored components, the give/ask ledger with them, the timeline of every touch, and your settings
for them (their own cadence, tags, forget this person), kept in the user state."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard import data, ui


def cadence_source(source: str | None, tier: str | None) -> str:
    """Where a cadence in force comes from, in words (`marts.relationship_health.cadence_source`)."""
    if source == "user_state":
        return "set by you on this page"
    if source == "person":
        return "your constellation.toml, `[cadence.people]`"
    if source and source.startswith("tag:"):
        return f"the tag “{source.removeprefix('tag:')}”, `[cadence.tags]` in constellation.toml"
    return f"the default for their tier, {ui.label(ui.TIER_LABELS, tier).lower()}"


def save_cadence(person_id: str) -> None:
    ideal = st.session_state.get(f"cadence_ideal_{person_id}")
    most = st.session_state.get(f"cadence_max_{person_id}")
    if ideal is None or most is None:
        st.session_state["cadence_problem"] = "Enter both gaps, in days, to set a rhythm."
        return
    if ideal > most:
        st.session_state["cadence_problem"] = (
            f"The longest gap ({ui.days(most)}) cannot be shorter than the usual one "
            f"({ui.days(ideal)})."
        )
        return
    st.session_state.pop("cadence_problem", None)
    data.set_cadence(person_id, int(ideal), int(most))


def add_tag(person_id: str) -> None:
    key = f"tag_new_{person_id}"
    if st.session_state.get(key, "").strip():
        data.tag_person(person_id, st.session_state[key])
    st.session_state[key] = ""


snapshot = ui.snapshot_or_stop()
if not data.has_metrics(snapshot):
    st.title("Person")
    ui.not_built_yet("A page per person", data.HEALTH)
    st.stop()

wanted = st.query_params.get("id")
names = data.person_names(snapshot, include=wanted)
ids = names["person_id"].to_list()
by_id = dict(names.iter_rows())
picked = st.selectbox(
    "Person",
    ids,
    index=ids.index(wanted) if wanted in by_id else None,
    format_func=lambda person_id: by_id[person_id],
    placeholder="Type a name (the 1,000 strongest ties; the People page finds everyone)",
    key="person_pick",
)
if picked is None:
    st.title("Person")
    if wanted:
        st.warning(
            "Nobody with this id is in the published data (they may have been forgotten or "
            "merged with someone). Pick a person above.",
            icon=":material/person_search:",
        )
    else:
        st.markdown("Pick someone above, or open a name on the **People** page.")
    st.stop()
st.query_params["id"] = picked
who = data.person(snapshot, picked)
name = who["display_name"]

if picked in data.forgotten_ids():
    st.title(name)
    when = data.forgotten().filter(pl.col("person_id") == picked)["recorded_at"].max()
    st.warning(
        f"**You asked to forget {name}** ({when.astimezone():%d %B %Y %H:%M}). The next refresh "
        "removes every row about them from the warehouse, and later loads keep them out. Until "
        "then they are left out of the People list and of This week's suggestions.",
        icon=":material/person_remove:",
    )
    st.button(
        f"Undo: keep {name}",
        key=f"unforget_{picked}",
        icon=":material/undo:",
        on_click=data.unforget_person,
        args=(picked,),
        help="They come back at the next refresh (the files that held them are read again).",
    )
    st.stop()

st.title(name)
if who["name_source"] in ui.GUESSED_NAME_NOTES:
    st.caption(ui.GUESSED_NAME_NOTES[who["name_source"]], help="core.people.name_source")
facts = [
    who["company"] or "company unknown",
    ui.label(ui.TIER_LABELS, who["tier"]),
    ui.label(ui.STATUS_LABELS, who["status"] or "no_rhythm"),
    f"trend {ui.label(ui.TREND_LABELS, who['trend'])}",
]
if who["tags"]:
    facts.append("tags: " + ", ".join(who["tags"]))
st.markdown(" · ".join(facts))
ui.source_caption(snapshot)

st.header("Suggested next step")
next_steps = data.person_actions(snapshot, picked)
if next_steps is None:
    ui.not_built_yet("Suggested next steps", data.ACTIONS)
elif next_steps.height == 0:
    st.markdown(f"Nothing suggested for {name} this week. The **This week** page lists what is.")
else:
    for step in next_steps.iter_rows(named=True):
        with st.container(border=True):
            st.markdown(
                f"**{ui.label(ui.ACTION_LABELS, step['action_type'])}** · due "
                f"{step['due_on']:%a %d %b}\n\n{step['reason']}"
            )
            if step["opening_line"]:
                st.markdown(f"> {step['opening_line']}")

st.header("Relationship health")
score, before = who["health_score"], who["health_score_90d_ago"]
left, right = st.columns([1, 3])
left.metric(
    "Health score",
    f"{score:.0f} / 100",
    delta=None if before is None else f"{score - before:+.0f} in 90 days",
    delta_color="normal",
)
days = who["days_since_last_interaction"]
# The score's parts: its points shared out over the kinds of contact day (each day counts under
# the strongest kind of touch on it); they add up to the score.
parts = pl.DataFrame(
    {
        "part": [
            "Time together",
            "Replies",
            "Written to you",
            "Written by you",
            "Connections, invitations, endorsements",
        ],
        "points": [
            who["together_points"],
            who["reply_points"],
            who["from_them_points"],
            who["from_you_points"],
            who["connection_points"],
        ],
        "based_on": [
            "days with a meeting, a call, a coffee or an event",
            "days with a message that answers the other side",
            "days with a message from them (not a reply)",
            "days with a message from you (not a reply)",
            "days with only a click: connecting, an invitation, an endorsement",
        ],
    }
)
right.dataframe(
    parts,
    hide_index=True,
    width="stretch",
    key="person_components",
    column_config={
        "part": "Part",
        "points": st.column_config.ProgressColumn(
            "Points", min_value=0, max_value=100, format="%.1f"
        ),
        "based_on": "Based on",
    },
)
weighted = who["weighted_contact_days"] or 0
st.markdown(
    f"**{weighted:.1f}** weighted contact days in the last two years"
    + (f", the last {ui.days(days)} ago" if days is not None else "")
    + f". Tie strength **{who['tie_strength']:.0f}** / 60 over the last year "
    f"({ui.count(who['episodes_365d'] or 0, 'conversation')}, "
    f"{ui.count(who['two_way_episodes_365d'] or 0, 'two-way conversation')}) ranks the tiers."
)
if who["cadence_ideal_days"] is not None:
    st.markdown(
        f"Usual rhythm: a hello every **{ui.days(who['cadence_ideal_days'])}**, at most "
        f"{who['cadence_max_days']} (from {cadence_source(who['cadence_source'], who['tier'])}); "
        f"the next one is due **{who['due_on']:%d %B %Y}**."
    )
st.caption(
    "The score counts the days you were in touch over the last two years: a day counts 1 today, "
    "½ after 180 days, ¼ after a year, and a day of clicks only (connecting, an endorsement) a "
    "quarter of that; 28 weighted days (about a day a week for half a year) give 100, and the "
    "first days count most. It foresees who you will still be talking to better than the last "
    "touch or a count of touches alone (docs/metrics.md). A low score is not a verdict: it only "
    "says how much and how lately you were in touch."
)

st.header("Gives and asks")
if who["gives"] is None:
    st.markdown("No gives or asks with them yet.")
else:
    cells = st.columns(4)
    cells[0].metric("You gave", who["gives"])
    cells[1].metric("You asked", who["asks"])
    cells[2].metric("They gave", who["gives_received"])
    cells[3].metric("They asked", who["asks_received"])
    if who["gives_received"] > who["gives"]:
        st.markdown(
            f"{name} has helped you more often than the other way round: a nice chance "
            "to offer something back."
        )

st.header("Timeline")
touches, total = data.timeline(snapshot, picked)
if total == 0:
    st.markdown("No touches recorded up to the as-of date.")
else:
    more = f" (the newest {touches.height:,} shown)" if total > touches.height else ""
    st.markdown(f"**{total:,}** touches{more}.")
    shown = touches.with_columns(
        channel=pl.col("channel").replace_strict(ui.CHANNEL_LABELS, default=pl.col("channel")),
        direction=pl.when(pl.col("channel") == "connection")
        .then(
            pl.col("direction").replace_strict(
                ui.CONNECTION_DIRECTION_LABELS, default=pl.col("direction")
            )
        )
        .otherwise(
            pl.col("direction").replace_strict(ui.DIRECTION_LABELS, default=pl.col("direction"))
        ),
        kind=pl.col("kind").fill_null("neutral"),
        # empty cells read "None" otherwise
        subkind=pl.col("subkind").fill_null(""),
        reply_latency_hours=pl.col("reply_latency_hours").round(1).cast(pl.String).fill_null(""),
    )
    chart = (
        alt.Chart(shown, title="Touches over time")
        .mark_point(size=70, filled=True)
        .encode(
            x=alt.X(
                "occurred_at:T",
                title="Date",
                axis=ui.date_axis(shown["occurred_at"].min(), shown["occurred_at"].max()),
            ),
            y=alt.Y("channel:N", title="Channel"),
            shape=alt.Shape("direction:N", title="Direction"),
            color=alt.Color("kind:N", title="Give / ask", sort=["give", "ask", "neutral"]),
            tooltip=[
                alt.Tooltip("occurred_at:T", title="When", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("channel:N", title="Channel"),
                alt.Tooltip("direction:N", title="Direction"),
                alt.Tooltip("kind:N", title="Give / ask"),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="person_timeline",
        column_config={
            "occurred_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
            "channel": "Channel",
            "direction": "Direction",
            "kind": "Give / ask",
            "subkind": "What kind",
            "is_reply": st.column_config.CheckboxColumn("Reply"),
            "reply_latency_hours": st.column_config.TextColumn("Reply after (h)"),
        },
    )

st.header("Your settings")
st.caption(
    "What you set here is kept in your user-state files next to the warehouse, not in the "
    "warehouse itself, so it survives every rebuild. Tags show at once; a rhythm (and a "
    "`[cadence.tags]` rule for a tag) takes effect at the next refresh, which recomputes status, "
    "due dates and suggestions."
)
rhythm, labels = st.columns(2)
with rhythm:
    st.subheader("How often to be in touch")
    mine = data.own_cadence(picked)
    if who["cadence_ideal_days"] is not None:
        st.markdown(
            f"In force now: every **{ui.days(who['cadence_ideal_days'])}**, at most "
            f"**{who['cadence_max_days']}** — from "
            f"{cadence_source(who['cadence_source'], who['tier'])}."
        )
    else:
        st.markdown(
            "In force now: no rhythm expected (acquaintances and dormant ties have none unless "
            "you set one)."
        )
    snapshot_own = who["cadence_source"] == "user_state"
    if mine is not None and not (
        snapshot_own
        and (mine["ideal_days"], mine["max_days"])
        == (who["cadence_ideal_days"], who["cadence_max_days"])
    ):
        st.info(
            f"Your rhythm for {name} — every **{ui.days(mine['ideal_days'])}**, at most "
            f"**{mine['max_days']}** — applies at the next refresh.",
            icon=":material/schedule:",
        )
    elif mine is None and snapshot_own:
        st.info(
            "You removed your own rhythm; the configured one applies again at the next refresh.",
            icon=":material/schedule:",
        )
    # the boxes start at the rhythm in force; with none they start empty, so a rhythm nobody set
    # never looks like one
    start = mine or {"ideal_days": who["cadence_ideal_days"], "max_days": who["cadence_max_days"]}
    ideal_column, max_column = st.columns(2)
    ideal_column.number_input(
        "Usual gap (days)",
        min_value=1,
        max_value=3650,
        value=None if start["ideal_days"] is None else int(start["ideal_days"]),
        step=1,
        placeholder="for example 90",
        key=f"cadence_ideal_{picked}",
        help="How many days between hellos feels right.",
    )
    max_column.number_input(
        "Longest gap (days)",
        min_value=1,
        max_value=3650,
        value=None if start["max_days"] is None else int(start["max_days"]),
        step=1,
        placeholder="for example 180",
        key=f"cadence_max_{picked}",
        help="After this long the tie shows as 'it has been a while'.",
    )
    if problem := st.session_state.pop("cadence_problem", None):
        st.error(problem, icon=":material/error:")
    save, clear = st.columns(2)
    save.button(
        "Save rhythm",
        key=f"cadence_save_{picked}",
        icon=":material/save:",
        on_click=save_cadence,
        args=(picked,),
    )
    if mine is not None:
        clear.button(
            "Use the default again",
            key=f"cadence_clear_{picked}",
            icon=":material/restart_alt:",
            on_click=data.set_cadence,
            args=(picked, None, None),
        )

with labels:
    st.subheader("Tags")
    edits = data.tag_edits().filter(pl.col("person_id") == picked)
    added = {t.lower() for t in edits.filter(pl.col("action") == "tag")["tag"]}
    removed = edits.filter(pl.col("action") == "untag")["tag"].to_list()
    if who["tags"]:
        st.markdown(
            "In force now: "
            + ", ".join(
                f"**{tag}**" + (" (yours)" if tag.lower() in added else " (address book)")
                for tag in who["tags"]
            )
        )
        for tag in who["tags"]:
            st.button(
                f"Remove “{tag}”",
                key=f"untag_{picked}_{tag}",
                icon=":material/close:",
                on_click=data.untag_person,
                args=(picked, tag),
            )
    else:
        st.markdown("No tags yet.")
    st.text_input(
        "Add a tag",
        key=f"tag_new_{picked}",
        placeholder="e.g. mentor, climate, college",
        help="Tags work like address-book labels: filter by them on the People page, and give a "
        "tag its own rhythm with `[cadence.tags]` in constellation.toml.",
    )
    st.button(
        "Add tag", key=f"tag_add_{picked}", icon=":material/add:", on_click=add_tag, args=(picked,)
    )
    if removed:
        st.caption(
            "Removed by you (an address-book label is only hidden here; your address book is "
            "not changed): " + ", ".join(removed)
        )
        for tag in removed:
            st.button(
                f"Add “{tag}” back",
                key=f"retag_{picked}_{tag}",
                icon=":material/undo:",
                on_click=data.tag_person,
                args=(picked, tag),
            )

with st.expander(f"Forget {name}", icon=":material/person_remove:"):
    st.markdown(
        f"Forgetting removes **{name}** from Constellation: at the next refresh every row about "
        "them — connections, messages they sent or that were sent to them alone, address-book "
        "entries, meetings, logged interactions — is taken out of every table (the files in "
        "your inbox are not touched), and later loads keep them out. Group messages and "
        "meetings stay for the others, without them. Their e-mail addresses, LinkedIn profile "
        "and name are kept in your user-state file so that they can be recognised.\n\n"
        "Until the next refresh they are hidden from the People list and from This week. "
        "**You can undo it** (here or under *Forgotten people* on the People page); they "
        "come back at the refresh after that."
    )
    sure = st.checkbox(
        f"I understand: forget {name} at the next refresh", key=f"forget_sure_{picked}"
    )
    st.button(
        f"Forget {name}",
        key=f"forget_{picked}",
        type="primary",
        icon=":material/person_remove:",
        disabled=not sure,
        on_click=lambda: data.forget_person(snapshot, picked),
    )
