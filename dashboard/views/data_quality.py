"""Data quality: what was loaded, what was set aside and why, which values were left out of
loaded rows, what was skipped, how fresh it is."""

import polars as pl
import streamlit as st

from dashboard import data, ui

st.title("Data quality")
snapshot = ui.snapshot_or_stop()
ui.source_caption(snapshot)

# Kinds of input are shown in the user's words ("LinkedIn connections"); filters and the URL
# keep the loaders' codes (`?kind=linkedin_connections`).
kind_words = pl.col("kind").replace_strict(
    ui.INPUT_KIND_LABELS, default=pl.col("kind").str.replace_all("_", " ")
)
loads = data.file_loads(snapshot).with_columns(kind_words)
quarantine = data.quarantine(snapshot)
left_out = data.rejected_values(snapshot).with_columns(kind_words)
skipped = data.skipped_files(snapshot)
fresh = data.freshness(snapshot).with_columns(kind_words).sort("kind")
last_run = data.last_run_at(snapshot)

failed = loads.filter(pl.col("status") == "failed")
if failed.height:
    st.warning(
        f"{failed.height} file(s) could not be read; everything else was loaded. "
        "The message in the table below names the problem.",
        icon=":material/warning:",
    )
else:
    st.success("Every file Constellation reads was loaded.", icon=":material/check_circle:")

st.header("Freshness")
last = last_run.astimezone().strftime("%Y-%m-%d %H:%M") if last_run else "never"
published = snapshot.published_at.astimezone().strftime("%Y-%m-%d %H:%M")
st.markdown(
    f"Last load ran **{last}**; the refresh that published this data finished **{published}** "
    f"and computed every metric as of **{data.as_of(snapshot):%Y-%m-%d}**."
)
for source in data.source_freshness(snapshot).iter_rows(named=True):
    if source["missing"]:
        st.markdown(f":material/add_circle: {source['message']}")
    elif source["fresh"]:
        st.markdown(f":material/check_circle: {source['message']}")
    else:
        st.markdown(f":material/schedule: {source['message']}")
st.dataframe(
    fresh,
    hide_index=True,
    width="stretch",
    key="freshness_table",
    column_config={
        "kind": "Kind of input",
        "newest_snapshot_date": st.column_config.DateColumn("Newest export date"),
        "files": st.column_config.NumberColumn("Files"),
        "last_loaded_at": st.column_config.DatetimeColumn(
            "Last loaded (UTC)", format="YYYY-MM-DD HH:mm"
        ),
    },
)

st.header("Files loaded")
st.caption("The latest load of each file: rows read = rows loaded + rows set aside.")
st.dataframe(
    loads,
    hide_index=True,
    width="stretch",
    key="file_loads_table",
    column_config={
        "path": "File",
        "kind": "Kind",
        "status": "Status",
        "rows_read": st.column_config.NumberColumn("Rows read"),
        "rows_loaded": st.column_config.NumberColumn("Rows loaded"),
        "rows_quarantined": st.column_config.NumberColumn("Rows set aside"),
        "variant": "Format variant",
        "snapshot_date": st.column_config.DateColumn("Export date"),
        "loaded_at": st.column_config.DatetimeColumn("Loaded (UTC)", format="YYYY-MM-DD HH:mm"),
        "message": "Message",
    },
)

st.header("Rows set aside")
if quarantine.height == 0:
    st.success("No rows were set aside: every row read was loaded.", icon=":material/check_circle:")
else:
    st.caption(
        "Rows that could not be loaded, with the file, line and reason, so nothing is lost "
        "silently. Fixing the file and running a refresh loads them."
    )
    kinds = sorted(quarantine["kind"].unique().to_list())
    files = sorted(quarantine["path"].unique().to_list())
    left, right = st.columns(2)
    chosen_kinds = ui.url_multiselect(
        left,
        "Kind",
        kinds,
        param="kind",
        key="quarantine_kind",
        format_func=lambda kind: ui.label(ui.INPUT_KIND_LABELS, kind),
    )
    chosen_files = ui.url_multiselect(right, "File", files, param="file", key="quarantine_file")
    shown = quarantine
    if chosen_kinds:
        shown = shown.filter(pl.col("kind").is_in(chosen_kinds))
    if chosen_files:
        shown = shown.filter(pl.col("path").is_in(chosen_files))
    st.markdown(f"Showing **{shown.height:,}** of {quarantine.height:,} rows set aside.")
    st.dataframe(
        shown.with_columns(kind_words),
        hide_index=True,
        width="stretch",
        key="quarantine_table",
        column_config={
            "path": "File",
            "kind": "Kind",
            "record_number": st.column_config.NumberColumn("Record"),
            "line_number": st.column_config.NumberColumn("Line"),
            "reason": "Reason",
            "raw_text": "Text as read",
        },
    )

st.header("Values left out")
if left_out.height == 0:
    st.success(
        "No value was left out: every value of every loaded row passed its check.",
        icon=":material/check_circle:",
    )
else:
    st.caption(
        "Rows that loaded without one of their values: the value did not pass the check of an "
        "optional column (an e-mail address that is none, a birthday nobody can read, a word "
        "the interaction log does not know). The row is in its table with that column empty; "
        "the value is kept here (`quality.rejected_values`). Fixing the file and running a "
        "refresh loads it."
    )
    st.markdown(f"**{left_out.height:,}** value(s) left out of loaded rows.")
    st.dataframe(
        left_out,
        hide_index=True,
        width="stretch",
        key="rejected_values_table",
        column_config={
            "path": "File",
            "kind": "Kind",
            "record_number": st.column_config.NumberColumn("Record", format="%d"),
            "line_number": st.column_config.NumberColumn("Line", format="%d"),
            "column_name": "Column",
            "value": "Value as read",
            "reason": "Reason",
        },
    )

st.header("Set aside as noise")
noise = data.noise_by_reason(snapshot)
if noise.height == 0:
    st.markdown("The noise filter removed nothing: every touch loaded is a real exchange.")
else:
    st.caption(
        "Rows that loaded fine but are not relationships (sponsored messages, drafts, bulk "
        "mail, large meetings) are kept out of every score and listed in `quality.noise`."
    )
    st.markdown(f"**{noise['rows'].sum():,}** rows removed, for {noise.height} reasons.")
    st.dataframe(
        noise,
        hide_index=True,
        width="stretch",
        key="noise_table",
        column_config={
            "reason": "Reason",
            "channel": "Channel",
            "rows": st.column_config.NumberColumn("Rows"),
            "first_seen": st.column_config.DateColumn("First"),
            "last_seen": st.column_config.DateColumn("Last"),
        },
    )
    with st.expander("Examples: the newest few per reason"):
        st.dataframe(
            data.noise_examples(snapshot),
            hide_index=True,
            width="stretch",
            key="noise_examples",
            column_config={
                "reason": "Reason",
                "occurred_at": st.column_config.DatetimeColumn(
                    "When (UTC)", format="YYYY-MM-DD HH:mm"
                ),
                "channel": "Channel",
                "name": "Person",
                "source_table": "Table",
                "source_key": "Row key",
            },
        )

st.header("Files not used")
if skipped.height == 0:
    st.markdown("Every file in the inbox is one Constellation reads.")
else:
    st.caption("Files in the inbox that Constellation leaves alone, and why.")
    st.dataframe(
        skipped,
        hide_index=True,
        width="stretch",
        key="skipped_table",
        column_config={
            "path": "File",
            "size_bytes": st.column_config.NumberColumn("Size (bytes)"),
            "reason": "Reason",
        },
    )
