"""Overview: where the network stands — headline figures against the previous four weeks, weekly
trends, the tiers, and what changed this week."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard import data, ui

st.title("Overview")
snapshot = ui.snapshot_or_stop()


def connections_help() -> str:
    """What the Connections figure counts, and the connections LinkedIn left out of it."""
    hidden = data.hidden_connections(snapshot)
    left_out = (
        f" Not counted: {hidden:,} connections of your export with neither a name nor a "
        "profile (LinkedIn leaves out members who chose not to be exported)."
    )
    return "People you are connected with on LinkedIn, counted once across exports." + (
        left_out if hidden else ""
    )


ui.source_caption(snapshot)

if not data.has_metrics(snapshot):
    counts = data.headline(snapshot)
    first, second, third, fourth = st.columns(4)
    first.metric(
        "Connections",
        f"{counts.connections:,}",
        help=connections_help(),
    )
    second.metric("Messages", f"{counts.messages:,}", help="Message rows loaded from all sources.")
    third.metric("Files loaded", f"{counts.files_loaded:,}")
    fourth.metric("Rows set aside", f"{counts.rows_quarantined:,}")
    ui.not_built_yet("Relationship health, trends and this week's changes", data.HEALTH)
    per_year = data.connections_per_year(snapshot)
    if per_year.height:
        st.altair_chart(
            alt.Chart(per_year, title="New connections per year")
            .mark_bar()
            .encode(
                x=alt.X("year:O", title="Year connected", axis=alt.Axis(labelAngle=0)),
                y=alt.Y(
                    "connections:Q",
                    title="New connections (people)",
                    axis=alt.Axis(tickMinStep=1, format="d"),
                ),
                tooltip=[
                    alt.Tooltip("year:O", title="Year"),
                    alt.Tooltip("connections:Q", title="Connections"),
                ],
            ),
            width="stretch",
        )
    st.stop()

as_of = data.as_of(snapshot)
period = data.PERIOD_DAYS
st.markdown(
    f"As of **{as_of:%A %d %B %Y}**. Changes compare the last {period} days with the "
    f"{period} days before."
)
figures = data.period_figures(snapshot)


def show(column, label: str, change: data.Change, fmt: str, help: str, colour: str) -> None:
    """One headline figure with its change; `colour` says whether up is good ('normal'), bad
    ('inverse') or neither ('off'). The arrow and sign carry the direction, not the colour."""
    value = "—" if change.now is None else fmt.format(change.now)
    delta = None if change.delta is None else fmt.format(change.delta)
    if delta is not None and change.delta >= 0:
        delta = "+" + delta
    column.metric(label, value, delta=delta, delta_color=colour, help=help)


cells = st.columns(7)
cells[0].metric(
    "Connections",
    f"{data.connections(snapshot):,}",
    help=connections_help(),
)
show(
    cells[1],
    "In touch",
    figures["in_touch"],
    "{:,.0f}",
    "People you were in touch with in the last 365 days: at least one conversation (a message "
    "or e-mail either way, a meeting, a call). Connecting on LinkedIn, an invitation or an "
    "endorsement alone does not count. The change compares with the same count "
    f"{period} days earlier.",
    "normal",
)
show(
    cells[2],
    "Touches",
    figures["touches"],
    "{:,.0f}",
    f"Every touch both ways in the last {period} days: messages, e-mails, meetings and calls, "
    "and also clicks (connecting on LinkedIn, invitations, endorsements), which are touches but "
    f"not being in touch: {figures['clicks'].now or 0:,.0f} of them were clicks.",
    "normal",
)
show(
    cells[3],
    "Gives",
    figures["gives"],
    "{:,.0f}",
    f"Help you offered in the last {period} days: introductions, resources, "
    "congratulations, thanks for something.",
    "normal",
)
show(
    cells[4],
    "Asks",
    figures["asks"],
    "{:,.0f}",
    f"Requests you made in the last {period} days. Asking is fine; the Reciprocity page "
    "shows the balance.",
    "off",
)
rate = figures["follow_up_rate"]
show(
    cells[5],
    "Quick follow-ups",
    rate,
    "{:.0%}",
    f"Share of the last {period} days' new connections and meetings that you followed up "
    "within two days (meetings come from a calendar export or your interaction log)."
    + (
        f" Nothing to follow up in the last {period} days, so no figure (—)."
        if rate.now is None
        else ""
    ),
    "normal",
)
show(
    cells[6],
    "Reply time",
    figures["reply_hours"],
    "{:,.1f} h",
    "How long you took to answer a message, median in hours over the last "
    f"{period} days. Lower is quicker."
    + (
        f" No reply of yours in the last {period} days, so no figure (—)."
        if figures["reply_hours"].now is None
        else ""
    ),
    "inverse",
)

st.header("Weekly trends")
ranges = {"13 weeks": 13, "26 weeks": 26, "1 year": 52, "All": None}
shown = st.radio("Show", list(ranges), index=2, horizontal=True, key="overview_weeks")
weekly = data.weekly_trends(snapshot, ranges[shown])


# Every weekly chart spans the same weeks, whether or not its first or last weeks have a value.
first, last = weekly["week_start"].min(), weekly["week_start"].max()
weeks_shown = alt.X(
    "week_start:T",
    title="Week starting",
    axis=ui.date_axis(first, last),
    scale=alt.Scale(
        domain=[
            alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True) for d in (first, last)
        ]
    ),
)


def line(
    frame: pl.DataFrame, y: str, title: str, y_title: str, fmt: str, step=alt.Undefined, **encode
) -> alt.Chart:
    """A weekly line of `y`; `step` is the smallest gap between two ticks of its axis, so a
    small range never repeats a rounded label ("0.1, 0.1, 0.1")."""
    return (
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(
            x=weeks_shown,
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=fmt, tickMinStep=step)),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week starting"),
                alt.Tooltip(f"{y}:Q", title=y_title, format=fmt),
            ],
            **encode,
        )
    )


def runs_of_weeks(frame: pl.DataFrame, y: str) -> pl.DataFrame:
    """The weeks that have a value of `y`, numbered by run of consecutive weeks (`run`), so that
    a line joins neighbouring weeks and never crosses a week without a value."""
    return frame.with_columns(run=pl.col(y).is_null().cum_sum()).drop_nulls(y)


def in_touch_chart(frame: pl.DataFrame) -> alt.Chart:
    """People in touch per week. In the first year after the first conversation the 365-day count
    only climbs because its window is filling: those weeks are drawn apart, and say so."""
    y_title = "People in touch (last 365 days)"
    if frame.height == 0 or frame["full_year_of_history"].all():
        return line(frame, "ties_in_touch", "In touch", y_title, "d")
    filling = "first year (filling)"
    history = pl.when(pl.col("full_year_of_history")).then(pl.lit("a full year"))
    shown = frame.with_columns(history=history.otherwise(pl.lit(filling)))
    # the first full week also ends the filling line, so the two lines meet
    joint = (
        shown.filter(pl.col("full_year_of_history")).head(1).with_columns(history=pl.lit(filling))
    )
    order = [filling, "a full year"]
    return line(
        pl.concat([shown, joint]),
        "ties_in_touch",
        "In touch",
        y_title,
        "d",
        strokeDash=alt.StrokeDash("history:N", title="Counted over", sort=order),
        color=alt.Color("history:N", title="Counted over", sort=order),
    )


left, right = st.columns(2)
left.altair_chart(in_touch_chart(weekly), width="stretch")
gives_asks = weekly.select("week_start", "gives", "asks").unpivot(
    index="week_start", variable_name="measure", value_name="count"
)
right.altair_chart(
    alt.Chart(gives_asks, title="Your gives and asks per week")
    .mark_line(point=True)
    .encode(
        x=weeks_shown,
        y=alt.Y(
            "count:Q",
            title="Your messages and touches",
            axis=alt.Axis(format="d", tickMinStep=1),
        ),
        color=alt.Color("measure:N", title="What", sort=["gives", "asks"]),
        strokeDash=alt.StrokeDash("measure:N", title="What", sort=["gives", "asks"]),
        shape=alt.Shape("measure:N", title="What", sort=["gives", "asks"]),
        tooltip=[
            alt.Tooltip("week_start:T", title="Week starting"),
            alt.Tooltip("measure:N", title="What"),
            alt.Tooltip("count:Q", title="Count"),
        ],
    ),
    width="stretch",
)
left, right = st.columns(2)
left.altair_chart(
    line(
        runs_of_weeks(weekly, "follow_up_2d_rate"),
        "follow_up_2d_rate",
        "Followed up within 2 days",
        "New connections and meetings",
        ".0%",
        detail="run:N",
    ),
    width="stretch",
)
right.altair_chart(
    line(
        runs_of_weeks(weekly, "median_reply_latency_hours"),
        "median_reply_latency_hours",
        "Your reply time",
        "Median hours to reply",
        ".1~f",
        step=0.5,
        detail="run:N",
    ),
    width="stretch",
)
st.caption(
    "In touch counts conversations in the 365 days up to each week, so in the first year of "
    "your data it climbs only because that window is filling; those weeks are drawn apart. "
    "Weeks without a new connection, a meeting or a reply of yours have no follow-up share or "
    "reply time: their lines break there rather than draw a trend nobody measured."
)

st.header("Your circles")
tiers = data.tier_distribution(snapshot).with_columns(
    label=pl.col("tier").replace_strict(ui.TIER_LABELS, default=pl.col("tier"))
)
bars = alt.Chart(tiers, title="People per tier").encode(
    y=alt.Y("label:N", title="Tier", sort=tiers["label"].to_list(), axis=alt.Axis(labelLimit=220)),
    x=alt.X("people:Q", title="People", axis=alt.Axis(format="d", tickMinStep=1)),
    tooltip=[alt.Tooltip("label:N", title="Tier"), alt.Tooltip("people:Q", title="People")],
)
st.altair_chart(
    bars.mark_bar() + bars.mark_text(align="left", dx=3).encode(text="people:Q"),
    width="stretch",
)
st.caption(
    "Tiers follow tie strength (how often, how two-way, how deep): up to 5 people in the inner "
    "circle, 15 close, 50 active, 150 in the wider circle. Dormant ties were once strong and "
    "have been quiet for a while; they are often the easiest to revive."
)

st.header("What changed this week")
st.caption(f"The 7 days up to {as_of:%d %B %Y}.")
new, quiet, jobs = st.columns(3)
with new:
    fresh = data.new_connections(snapshot)
    st.subheader(f"New connections: {fresh.height}")
    if fresh.height == 0:
        st.markdown("No new connections this week.")
    for row in fresh.head(10).iter_rows(named=True):
        ui.person_link(row["person_id"], f"{row['name']} · {row['company'] or 'company unknown'}")
with quiet:
    cooled = data.went_quiet(snapshot)
    st.subheader(f"Ready for a hello: {cooled.height}")
    if cooled.height == 0:
        # only this week's: ties that were overdue before are on the This week page
        st.markdown("No tie passed its usual rhythm this week.")
    else:
        st.caption("Ties that passed their usual rhythm this week.")
    for row in cooled.head(10).iter_rows(named=True):
        ui.person_link(
            row["person_id"],
            f"{row['name']} · {ui.days(row['days_quiet'])} (usually {row['cadence_ideal_days']})",
        )
with jobs:
    changes = data.job_changes(snapshot)
    st.subheader(f"Job changes: {changes.height}")
    if changes.height == 0:
        st.markdown(
            "No job changes seen. Two LinkedIn exports taken at different dates reveal them."
        )
    else:
        st.caption(f"Seen in your LinkedIn export of {changes['seen_on'][0]:%d %B %Y}.")
    for row in changes.head(10).iter_rows(named=True):
        ui.person_link(row["person_id"], f"{row['name']} · now {row['now']}")
    if changes.height > 10:
        st.caption(f"and {changes.height - 10} more: congratulations are a lovely reason to write.")
