"""The dashboard's entry point: page set-up and navigation only; each page lives in views/
(see dashboard/__init__.py for why not pages/)."""

from pathlib import Path

import streamlit as st

# The tab's icon is a file served by this app: a `:material/...:` icon here would make every
# browser fetch it from an outside font CDN, telling a third party the dashboard is in use.
ICON = Path(__file__).parent / "icon.png"
st.set_page_config(page_title="Constellation", page_icon=str(ICON), layout="wide")

navigation = st.navigation(
    {
        "Your network": [
            st.Page(
                "views/overview.py", title="Overview", icon=":material/dashboard:", default=True
            ),
            st.Page("views/this_week.py", title="This week", icon=":material/task_alt:"),
            st.Page("views/people.py", title="People", icon=":material/groups:"),
            # Opened from a name anywhere in the dashboard (`/person?id=...`), not from the menu.
            st.Page(
                "views/person.py", title="Person", icon=":material/person:", visibility="hidden"
            ),
            st.Page("views/reciprocity.py", title="Reciprocity", icon=":material/sync_alt:"),
            st.Page(
                "views/introductions.py",
                title="Introductions & warm paths",
                icon=":material/diversity_3:",
            ),
            st.Page("views/goals.py", title="Goals", icon=":material/flag:"),
        ],
        "Your data": [
            st.Page("views/data_quality.py", title="Data quality", icon=":material/fact_check:"),
            st.Page("views/sql.py", title="SQL", icon=":material/terminal:"),
        ],
    }
)
navigation.run()
