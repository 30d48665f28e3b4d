"""The dashboard's entry point: page set-up and navigation only; each page lives in pages/."""

import streamlit as st

st.set_page_config(page_title="Constellation", page_icon=":material/hub:", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/data_quality.py", title="Data quality", icon=":material/fact_check:"),
        st.Page("pages/sql.py", title="SQL", icon=":material/terminal:"),
    ]
)
navigation.run()
