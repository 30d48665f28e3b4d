"""One person (`/person?id=p_...`): the suggested next step, the health score explained by its
stored components, the give/ask ledger with them, and the timeline of every touch."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard import data, ui

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

st.title(name)
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
components = pl.DataFrame(
    {
        "component": ["Recency", "Frequency", "Reciprocity", "Depth"],
        "points": [
            who["recency_points"],
            who["frequency_points"],
            who["reciprocity_points"],
            who["depth_points"],
        ],
        "out_of": [40, 25, 20, 15],
        "based_on": [
            f"last touch {days} days ago" if days is not None else "no touch yet",
            f"in touch on {who['contact_days_365d']} days of the last year",
            f"in the last year {who['outbound_365d']} touches from you, {who['inbound_365d']} "
            f"from them; two-way contact on {who['two_way_days_365d']} days",
            "average depth of the last year's touches "
            + (f"{who['channel_depth']:.1f}" if who["channel_depth"] is not None else "—")
            + " (1 = a reaction or endorsement, 2 = a message, 3 = time together)",
        ],
    }
)
right.dataframe(
    components,
    hide_index=True,
    width="stretch",
    key="person_components",
    column_config={
        "component": "Component",
        "points": st.column_config.ProgressColumn(
            "Points", min_value=0, max_value=40, format="%.1f"
        ),
        "out_of": st.column_config.NumberColumn("Out of"),
        "based_on": "Based on",
    },
)
if who["cadence_ideal_days"] is not None:
    st.markdown(
        f"Usual rhythm: a hello every **{who['cadence_ideal_days']} days** "
        f"(from {str(who['cadence_source']).replace('_', ' ')}); the next one is due "
        f"**{who['due_on']:%d %B %Y}**."
    )
st.caption(
    "The score adds the four components. Recency halves after 90 quiet days; the others look "
    "at the last year. A low score is not a verdict: it only says when you were last in touch."
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
        direction=pl.col("direction").replace_strict(
            ui.DIRECTION_LABELS, default=pl.col("direction")
        ),
        kind=pl.col("kind").fill_null("neutral"),
    )
    chart = (
        alt.Chart(shown, title="Touches over time")
        .mark_point(size=70, filled=True)
        .encode(
            x=alt.X("occurred_at:T", title="Date"),
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
            "reply_latency_hours": st.column_config.NumberColumn("Reply after (h)", format="%.1f"),
        },
    )
