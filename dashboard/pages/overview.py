"""Overview: where the network stands. For now the headline counts of what is loaded; health,
trends and this week's changes join as the metrics are built."""

import altair as alt
import streamlit as st

from dashboard import data, ui

st.title("Overview")
snapshot = ui.snapshot_or_stop()
ui.source_caption(snapshot)

counts = data.headline(snapshot)
first, second, third, fourth = st.columns(4)
first.metric(
    "Connections",
    f"{counts.connections:,}",
    help="People you are connected with on LinkedIn, counted once across exports.",
)
second.metric("Messages", f"{counts.messages:,}", help="Message rows loaded from all sources.")
third.metric(
    "Files loaded", f"{counts.files_loaded:,}", help="Input files whose rows are in the warehouse."
)
fourth.metric(
    "Rows set aside",
    f"{counts.rows_quarantined:,}",
    help="Rows that could not be read and were quarantined with a reason; see Data quality.",
)

st.info(
    "Relationship health, reciprocity and weekly trends will appear here as soon as those "
    "metrics are computed. Your loaded data is already explorable on the **Data quality** "
    "and **SQL** pages.",
    icon=":material/auto_awesome:",
)

per_year = data.connections_per_year(snapshot)
if per_year.height:
    chart = (
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
        )
    )
    st.altair_chart(chart, width="stretch")
