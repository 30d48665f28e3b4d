"""The dashboard's entry point: page set-up and navigation only; each page lives in pages/."""

import streamlit as st

st.set_page_config(page_title="Constellation", page_icon=":material/hub:", layout="wide")

navigation = st.navigation(
    {
        "Your network": [
            st.Page(
                "pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
            ),
            st.Page("pages/this_week.py", title="This week", icon=":material/task_alt:"),
            st.Page("pages/people.py", title="People", icon=":material/groups:"),
            # Opened from a name anywhere in the dashboard (`/person?id=...`), not from the menu.
            st.Page(
                "pages/person.py", title="Person", icon=":material/person:", visibility="hidden"
            ),
            st.Page("pages/reciprocity.py", title="Reciprocity", icon=":material/sync_alt:"),
            st.Page(
                "pages/introductions.py",
                title="Introductions & warm paths",
                icon=":material/diversity_3:",
            ),
            st.Page("pages/goals.py", title="Goals", icon=":material/flag:"),
        ],
        "Your data": [
            st.Page("pages/data_quality.py", title="Data quality", icon=":material/fact_check:"),
            st.Page("pages/sql.py", title="SQL", icon=":material/terminal:"),
        ],
    }
)
navigation.run()
