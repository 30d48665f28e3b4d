"""People: everyone with a relationship score, searchable and filterable; the filters live in the
URL (`/people?tier=inner&tag=Friends&q=anna`) so a view can be bookmarked. Below, the people you
asked to forget, each with an Undo."""

import polars as pl
import streamlit as st

from dashboard import data, ui

st.title("People")
snapshot = ui.snapshot_or_stop()
ui.source_caption(snapshot)
if not data.has_metrics(snapshot):
    ui.not_built_yet("Everyone you know, with their relationship health,", data.HEALTH)
    st.stop()

options = data.people_options(snapshot)
search_column, tier_column, status_column = st.columns([2, 2, 2])
search = ui.url_text_input(
    search_column, "Search", param="q", key="people_search", placeholder="name, company or e-mail"
)
tiers = ui.url_multiselect(
    tier_column,
    "Tier",
    data.TIERS,
    param="tier",
    key="people_tier",
    format_func=lambda code: ui.label(ui.TIER_LABELS, code),
)
statuses = ui.url_multiselect(
    status_column,
    "Status",
    data.STATUSES,
    param="status",
    key="people_status",
    format_func=lambda code: ui.label(ui.STATUS_LABELS, code),
)
company_column, tag_column = st.columns(2)
companies = ui.url_multiselect(
    company_column, "Company", options.companies, param="company", key="people_company"
)
tags = ui.url_multiselect(
    tag_column,
    "Tag",
    options.tags,
    param="tag",
    key="people_tag",
    help="Labels from your address book (Google Contacts, Outlook) and the tags you gave people "
    "on their page.",
)

chosen = data.PeopleFilter(search, tuple(tiers), tuple(statuses), tuple(companies), tuple(tags))
shown, matching = data.people(snapshot, chosen)
more = f" (the {shown.height:,} strongest shown)" if matching > shown.height else ""
st.markdown(f"**{matching:,}** people match{more}. Select a row to open the person's page.")

table = shown.with_columns(
    pl.col("tier").replace_strict(ui.TIER_LABELS, default=pl.col("tier")),
    pl.col("status").replace_strict(ui.STATUS_LABELS, default=pl.col("status")),
    pl.col("trend").replace_strict(ui.TREND_LABELS, default=pl.col("trend")),
    pl.col("company").fill_null("—"),  # an empty cell reads "None" otherwise
)
picked = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    key="people_table",
    on_select="rerun",
    selection_mode="single-row",
    column_order=[
        "name",
        "company",
        "tier",
        "status",
        "trend",
        "health_score",
        "days_since_last_interaction",
        "interactions_365d",
        # a LinkedIn-only user has no tags until they add some: no empty column then
        *(["tags"] if options.tags else []),
    ],
    # set widths and short headings, so the table fits a laptop screen (1366 px) without scrolling
    column_config={
        "name": st.column_config.TextColumn("Name", width=150),
        "company": st.column_config.TextColumn("Company", width=140),
        "tier": st.column_config.TextColumn("Tier", width=100),
        "status": st.column_config.TextColumn("Status", width=150),
        "trend": st.column_config.TextColumn(
            "Trend", width=85, help="Health now against 90 days ago (±5 points)."
        ),
        "health_score": st.column_config.ProgressColumn(
            "Health",
            min_value=0,
            max_value=100,
            format="%.0f",
            width=85,
            help="0-100: how much and how lately you were in touch (docs/metrics.md).",
        ),
        "days_since_last_interaction": st.column_config.NumberColumn(
            "Last touch", width=80, help="Days since the last touch of any kind."
        ),
        "interactions_365d": st.column_config.NumberColumn(
            "Touches", width=70, help="Touches in the last 365 days."
        ),
        "tags": st.column_config.ListColumn("Tags", width=90),
    },
)
rows = picked.selection.rows if picked else []
if rows:
    st.switch_page(ui.PERSON_PAGE, query_params={"id": shown["person_id"][rows[0]]})

gone = data.forgotten()
if gone.height:
    st.subheader(f"Forgotten people: {gone.height}")
    pending = set(data.still_published(snapshot, [p for p in gone["person_id"] if p]))
    st.caption(
        "People you asked to forget (on their page). A refresh removes them from every table and "
        "later loads keep them out. Undo brings them back at the next refresh."
    )
    for entry in gone.iter_rows(named=True):
        who = ", ".join(entry["names"][:1] or entry["emails"][:1] or entry["linkedin_slugs"][:1])
        state = (
            "removed at the next refresh"
            if entry["person_id"] in pending
            else "removed from the published data"
        )
        text, button = st.columns([4, 1])
        text.markdown(
            f"**{who}** · asked {entry['recorded_at'].astimezone():%d %b %Y} · {state} · "
            f"matched by {len(entry['emails'])} e-mail address(es), "
            f"{len(entry['linkedin_slugs'])} LinkedIn profile(s) and {len(entry['names'])} name(s)"
        )
        button.button(
            "Undo",
            key=f"unforget_{entry['forget_id']}",
            icon=":material/undo:",
            on_click=data.unforget_person,
            args=(entry["forget_id"],),
            help="They come back at the next refresh (the files that held them are read again).",
        )
