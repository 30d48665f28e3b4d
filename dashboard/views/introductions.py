"""Introductions & warm paths: pairs of people worth introducing, and who among your contacts can
bring you closer to a company or keyword you type (`/introductions?target=Acme`)."""

import polars as pl
import streamlit as st

from dashboard import data, ui

st.title("Introductions & warm paths")
snapshot = ui.snapshot_or_stop()
ui.source_caption(snapshot)

st.header("Warm paths")
st.markdown(
    "Most opportunities sit one or two people away. Type a company or a keyword (a role, a "
    "field) to see who you know there, or who knows someone there, warmest tie first."
)
suggestions = data.warm_path_targets(snapshot)
target = ui.url_text_input(
    st,
    "Company or keyword",
    param="target",
    key="warm_target",
    placeholder="a company, a role or a field",
)
if suggestions:
    st.caption("From your goals: " + ", ".join(f"`{s}`" for s in suggestions[:12]))
if target:
    if not data.has_table(snapshot, data.WARM_PATHS):
        ui.not_built_yet("Warm paths", data.WARM_PATHS)
    else:
        paths = data.warm_paths(snapshot, target)
        if paths.height == 0:
            st.info(
                f"No warm path to **{target}** yet. Try a shorter word, the company's usual name, "
                "or a role; paths appear as your exports mention people there.",
                icon=":material/explore:",
            )
        else:
            people = paths["via_person_id"].n_unique()
            st.markdown(
                f"**{people}** of your contacts lead to **{target}**: they work there, or know "
                "someone who does. The warmer the tie, the likelier they help."
            )
            st.dataframe(
                # someone who works there themselves knows nobody "there" in particular
                paths.with_columns(pl.col("through_name").fill_null("")),
                hide_index=True,
                width="stretch",
                key="warm_paths_table",
                column_order=[
                    "via_name",
                    "path_kind",
                    "through_name",
                    "via_health_score",
                    "reason",
                ],
                column_config={
                    "via_name": "Your contact",
                    "path_kind": "How",
                    "through_name": "Who they know there",
                    "via_health_score": st.column_config.ProgressColumn(
                        "Your tie (health 0-100)", min_value=0, max_value=100, format="%.0f"
                    ),
                    "reason": "Why",
                },
            )

st.header("Introductions worth making")
pairs = data.introductions(snapshot)
if pairs is None:
    ui.not_built_yet("Introductions", data.INTRODUCTIONS)
elif pairs.height == 0:
    tiers = data.tier_distribution(snapshot)
    strong = tiers.filter(pl.col("tier").is_in(["inner", "close", "active"]))["people"].sum()
    st.markdown(
        "No pairs stand out right now. Introductions pair your stronger ties (the inner, close "
        f"and active tiers: **{strong}** people now) at different companies who have never been "
        "on a thread or a meeting together. From a LinkedIn export alone few ties reach those "
        "tiers: adding your mail or a calendar export shows whom you are really in touch with."
    )
else:
    st.markdown(
        "Being a connector is one of the kindest gives: two people who would enjoy knowing "
        "each other, with the reason."
    )
    st.dataframe(
        pairs.with_columns(pl.col("score").round(2)),
        hide_index=True,
        width="stretch",
        key="introductions_table",
        column_order=["person_a_name", "person_b_name", "score", "reason"],
        column_config={
            "person_a_name": "Introduce",
            "person_b_name": "to",
            "score": st.column_config.NumberColumn("Fit", help="Higher means a better match."),
            "reason": "Why",
        },
    )
