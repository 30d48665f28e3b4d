"""This week: the recommended actions, each with a reason and an opening line; done / snooze /
dismiss are remembered in the user's feedback log (pipelines/lib/user_state.py) and shown at
once, on top of the published snapshot; export as CSV or .ics."""

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import data, exports, ui

st.title("This week")
snapshot = ui.snapshot_or_stop()
ui.source_caption(snapshot)
actions = data.actions(snapshot)
if actions is None:
    ui.not_built_yet("This week's suggestions", data.ACTIONS)
    st.stop()

as_of = data.as_of(snapshot)
snooze_until = as_of + dt.timedelta(days=data.SNOOZE_DAYS)
open_actions = actions.filter(pl.col("status") == "open")
handled = actions.filter(pl.col("status") != "open")
done = handled.filter(pl.col("status") == "done").height
st.markdown(
    f"Week of **{as_of:%d %B %Y}**: **{open_actions.height}** suggestion"
    f"{'' if open_actions.height == 1 else 's'} open, **{done}** done. "
    "Pick the ones that feel right; there is no need to do them all."
)


def remember(action: dict, status: str, until: dt.date | None = None) -> None:
    data.record_feedback(action, status, until)


def who(action: dict) -> str:
    if action["other_person_name"]:
        return f"{action['person_name']} & {action['other_person_name']}"
    return action["person_name"]


if open_actions.height == 0:
    st.success(
        "Nothing open this week. Enjoy it, or look at **Introductions & warm paths** for ideas.",
        icon=":material/celebration:",
    )
for action in open_actions.iter_rows(named=True):
    action_id = action["action_id"]
    with st.container(border=True, key=f"action_{action_id}"):
        text, buttons = st.columns([4, 1])
        with text:
            st.markdown(
                f"**{action['priority']}. {ui.label(ui.ACTION_LABELS, action['action_type'])}"
                f": {who(action)}** · due {action['due_on']:%a %d %b}"
                + (f" · goal: {action['goal']}" if action["goal"] else "")
            )
            st.markdown(action["reason"])
            if action["opening_line"]:
                st.caption("A way to start (copy it from the box):")
                st.code(action["opening_line"], language=None, wrap_lines=True)
            ui.person_link(action["person_id"], action["person_name"])
            if action["other_person_id"]:
                ui.person_link(action["other_person_id"], action["other_person_name"])
        with buttons:
            st.button(
                "Done",
                key=f"done_{action_id}",
                icon=":material/check:",
                on_click=remember,
                args=(action, "done"),
                width="stretch",
            )
            st.button(
                f"Snooze {data.SNOOZE_DAYS} days",
                key=f"snooze_{action_id}",
                icon=":material/snooze:",
                on_click=remember,
                args=(action, "snoozed", snooze_until),
                width="stretch",
            )
            st.button(
                "Dismiss",
                key=f"dismiss_{action_id}",
                icon=":material/close:",
                on_click=remember,
                args=(action, "dismissed"),
                width="stretch",
                help="Not useful: it will not be suggested again.",
            )

if handled.height:
    st.subheader(f"Handled: {handled.height}")
    for action in handled.iter_rows(named=True):
        action_id = action["action_id"]
        state = {
            "done": "✓ Done",
            "dismissed": "✗ Dismissed",
            "snoozed": f"⏾ Snoozed until {action['snoozed_until']:%a %d %b}"
            if action["snoozed_until"]
            else "⏾ Snoozed",
        }.get(action["status"], action["status"])
        text, button = st.columns([4, 1])
        text.markdown(
            f"{state}: {ui.label(ui.ACTION_LABELS, action['action_type'])}, {who(action)}"
        )
        button.button(
            "Undo",
            key=f"undo_{action_id}",
            icon=":material/undo:",
            on_click=remember,
            args=(action, "open"),
        )

st.subheader("Take the list with you")
left, right = st.columns(2)
left.download_button(
    "Download as CSV",
    exports.actions_csv(actions),
    file_name=f"constellation-actions-{as_of.isoformat()}.csv",
    mime="text/csv",
    key="actions_csv",
    icon=":material/table:",
)
right.download_button(
    "Add to calendar (.ics)",
    exports.actions_ics(actions, ui.ACTION_LABELS, snapshot.published_at),
    file_name=f"constellation-actions-{as_of.isoformat()}.ics",
    mime="text/calendar",
    key="actions_ics",
    icon=":material/calendar_add_on:",
    help="The open suggestions as all-day events on their due dates.",
)
