"""Small pieces every page shares: the empty state and the line saying what is shown."""

from __future__ import annotations

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
    container, label: str, options: list[str], *, param: str, key: str
) -> list[str]:
    """A multiselect whose choice lives in the URL (`?param=a&param=b`), so a filtered view can
    be bookmarked or shared; choices that no longer exist in the data are dropped."""
    from_url = [value for value in st.query_params.get_all(param) if value in options]
    chosen = container.multiselect(label, options, default=from_url, key=key)
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
