"""Reciprocity: gives versus asks, yours and theirs, overall, over time and per person; how
specific your asks are and how often your invitations carry a note."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard import data, ui

st.title("Reciprocity")
snapshot = ui.snapshot_or_stop()
ui.source_caption(snapshot)
overall = data.reciprocity_overall(snapshot) if data.has_table(snapshot, data.RECIPROCITY) else None
if overall is None:
    ui.not_built_yet("The give/ask ledger", data.RECIPROCITY)
    st.stop()

st.markdown(
    "A **give** is help you offer (an introduction, a resource, congratulations, thanks for "
    "something); an **ask** is a request. Both are part of a good relationship; giving first "
    "makes asking easier."
)
cells = st.columns(6)
SINCE = "All your history up to the as-of date"
cells[0].metric(
    "You gave",
    f"{overall['gives']:,}",
    help=f"{SINCE}: help you offered, resources you shared, introductions, congratulations, "
    "thanks for something, endorsements and recommendations you gave.",
)
cells[1].metric("You asked", f"{overall['asks']:,}", help=f"{SINCE}: the requests you made.")
cells[2].metric(
    "They gave you", f"{overall['gives_received']:,}", help=f"{SINCE}: what others gave you."
)
cells[3].metric(
    "They asked you", f"{overall['asks_received']:,}", help=f"{SINCE}: what others asked of you."
)


def share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


cells[4].metric(
    "Specific, time-bound asks",
    share(overall["specific_ask_share"]),
    help='Asks that say exactly what and by when ("five minutes on my portfolio by Friday") '
    "get a yes more often.",
)
cells[5].metric(
    "Invitations with a note",
    share(overall["personal_invite_share"]),
    help=f"{overall['invitations_with_note']:,} of the {overall['invitations_sent']:,} "
    "LinkedIn invitations you sent carried a personal note.",
)

monthly = data.reciprocity_monthly(snapshot)
if monthly.height:
    long = monthly.unpivot(index="month", variable_name="measure", value_name="count").with_columns(
        who=pl.when(pl.col("measure").str.ends_with("_received"))
        .then(pl.lit("them → you"))
        .otherwise(pl.lit("you → them")),
        what=pl.col("measure").str.replace("_received", "").str.strip_suffix("s"),
    )
    chart = (
        alt.Chart(long, title="Gives and asks per month, last two years")
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title="Month", timeUnit="yearmonth"),
            y=alt.Y("count:Q", title="Gives or asks per month", axis=alt.Axis(format="d")),
            color=alt.Color("what:N", title="Give or ask", sort=["give", "ask"]),
            strokeDash=alt.StrokeDash("who:N", title="Direction"),
            shape=alt.Shape("who:N", title="Direction"),
            tooltip=[
                alt.Tooltip("month:T", title="Month", timeUnit="yearmonth"),
                alt.Tooltip("who:N", title="Direction"),
                alt.Tooltip("what:N", title="Give or ask"),
                alt.Tooltip("count:Q", title="Count"),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")

columns = {
    "name": "Name",
    "gives": st.column_config.NumberColumn("You gave"),
    "asks": st.column_config.NumberColumn("You asked"),
    "gives_received": st.column_config.NumberColumn("They gave"),
    "asks_received": st.column_config.NumberColumn("They asked"),
}
order = ["name", "gives", "asks", "gives_received", "asks_received"]
left, right = st.columns(2)
with left:
    st.subheader("People who have helped you")
    st.caption("They gave you more than you gave them: a chance to return the favour.")
    st.dataframe(
        data.reciprocity_people(snapshot, "gave_you"),
        hide_index=True,
        width="stretch",
        key="reciprocity_gave_you",
        column_order=order,
        column_config=columns,
    )
with right:
    st.subheader("People you have helped most")
    st.caption("Your gives to them, most first.")
    st.dataframe(
        data.reciprocity_people(snapshot, "you_gave"),
        hide_index=True,
        width="stretch",
        key="reciprocity_you_gave",
        column_order=order,
        column_config=columns,
    )

st.subheader("Asks that could be sharper")
vague = data.vague_asks(snapshot)
if vague.height == 0:
    st.markdown("Every ask you made said what and by when. Great asks.")
else:
    st.caption(
        "Your most recent asks that did not say both exactly what and by when. Next time, try "
        "adding one concrete thing and a date."
    )
    st.dataframe(
        vague.with_columns(
            channel=pl.col("channel").replace_strict(ui.CHANNEL_LABELS, default=pl.col("channel"))
        ),
        hide_index=True,
        width="stretch",
        key="reciprocity_vague",
        column_order=["occurred_at", "name", "channel", "is_specific", "is_time_bound"],
        column_config={
            "occurred_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD"),
            "name": "To",
            "channel": "Channel",
            "is_specific": st.column_config.CheckboxColumn("Says exactly what"),
            "is_time_bound": st.column_config.CheckboxColumn("Says by when"),
        },
    )

with st.expander("Everyone, most exchanges first"):
    st.dataframe(
        data.reciprocity_people(snapshot, "all", limit=500),
        hide_index=True,
        width="stretch",
        key="reciprocity_all",
        column_order=order,
        column_config=columns,
    )
