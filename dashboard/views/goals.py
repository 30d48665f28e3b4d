"""Goals: for each goal you wrote down, the contacts that match it and the touches with them per
month."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard import data, ui

st.title("Goals")
snapshot = ui.snapshot_or_stop()
ui.source_caption(snapshot)
progress = data.goal_progress(snapshot)
contacts = data.goal_contacts(snapshot)
if progress is None or contacts is None:
    ui.not_built_yet("Progress on your goals", data.GOAL_PROGRESS)
    st.stop()
if progress.height == 0 and contacts.height == 0:
    st.info(
        "**No goals yet.** Knowing what you want from your network (a mentor, a co-founder, a "
        "role at a company) makes it easier to act on. Write your goals as `[[goals]]` entries "
        "in `constellation.toml` (a name, and roles, companies or keywords to match; see "
        "`constellation.example.toml`) and run a refresh: "
        "matching contacts, warm paths and suggestions will appear here.",
        icon=":material/flag:",
    )
    st.stop()

as_of = data.as_of(snapshot)
goals = sorted(set(progress["goal"].to_list()) | set(contacts["goal"].to_list()))
st.markdown(f"**{len(goals)}** goal{'' if len(goals) == 1 else 's'}, as of {as_of:%d %B %Y}.")
if progress.height:
    chart = (
        alt.Chart(progress, title="Touches per month with the contacts of each goal")
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title="Month", timeUnit="yearmonth"),
            y=alt.Y("touches:Q", title="Touches per month", axis=alt.Axis(format="d")),
            color=alt.Color("goal:N", title="Goal"),
            shape=alt.Shape("goal:N", title="Goal"),
            tooltip=[
                alt.Tooltip("goal:N", title="Goal"),
                alt.Tooltip("month:T", title="Month", timeUnit="yearmonth"),
                alt.Tooltip("touches:Q", title="Touches"),
                alt.Tooltip("matched_contacts:Q", title="Matching contacts"),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")

for goal in goals:
    mine = progress.filter(pl.col("goal") == goal).sort("month")
    people = contacts.filter(pl.col("goal") == goal)
    with st.container(border=True):
        st.subheader(goal)
        cells = st.columns(2)
        cells[0].metric("Matching contacts", f"{people.height:,}")
        last3 = mine.tail(3)["touches"].sum()
        before3 = mine.head(max(mine.height - 3, 0)).tail(3)["touches"].sum()
        cells[1].metric(
            "Touches, last 3 months",
            f"{last3:,}",
            delta=f"{last3 - before3:+,}" if mine.height > 3 else None,
            help="Touches with the matching contacts in the last three months, against the "
            "three months before.",
        )
        if people.height == 0:
            st.markdown(
                "No contact matches this goal yet: the **Introductions & warm paths** page can "
                "show who knows someone there."
            )
        else:
            st.dataframe(
                people.with_columns(
                    tier=pl.col("tier").replace_strict(ui.TIER_LABELS, default=pl.col("tier"))
                ),
                hide_index=True,
                width="stretch",
                key=f"goal_contacts_{goals.index(goal)}",
                column_order=["person_name", "matched_on", "tier", "health_score"],
                column_config={
                    "person_name": "Contact",
                    "matched_on": "Matched on",
                    "tier": "Tier",
                    "health_score": st.column_config.ProgressColumn(
                        "Health", min_value=0, max_value=100, format="%.0f"
                    ),
                },
            )
