"""SQL: ask the warehouse anything, read-only. The sandbox rules live in dashboard/sql_sandbox.py."""

import polars as pl
import streamlit as st

from dashboard import data, sql_sandbox, ui

st.title("SQL")
snapshot = ui.snapshot_or_stop()
ui.source_caption(snapshot)
st.markdown(
    "Query the warehouse with [DuckDB SQL](https://duckdb.org/docs/sql/introduction). This page "
    f"is read-only: one `SELECT`, `WITH`, `DESCRIBE` or `SHOW` at a time, at most "
    f"{sql_sandbox.MAX_ROWS:,} rows shown, no access to files."
)

query_column, tables_column = st.columns([3, 2])

with tables_column:
    st.subheader("Tables")
    listing = data.tables(snapshot)
    st.dataframe(
        listing,
        hide_index=True,
        width="stretch",
        key="sql_tables",
        column_config={
            "schema": "Schema",
            "table": "Table",
            "type": "Type",
            "rows": st.column_config.NumberColumn("Rows"),
        },
    )
    names = [f"{s}.{t}" for s, t in listing.select("schema", "table").iter_rows()]
    if names:
        chosen = st.selectbox("Columns of", names, key="sql_columns_of")
        schema, table = chosen.split(".")
        st.dataframe(
            data.columns(snapshot)
            .filter((pl.col("schema") == schema) & (pl.col("table") == table))
            .select("column", "type"),
            hide_index=True,
            width="stretch",
            key="sql_columns",
        )

with query_column:
    with st.form("sql_form"):
        sql = st.text_area(
            "Query",
            value="SELECT kind, status, count(*) AS files, sum(rows_loaded) AS rows_loaded\n"
            "FROM quality.file_loads\nGROUP BY ALL\nORDER BY kind",
            height=180,
            key="sql_text",
        )
        submitted = st.form_submit_button("Run query", type="primary", key="sql_run")
    if submitted:
        try:
            result = sql_sandbox.run_query(snapshot.path, sql)
        except sql_sandbox.RefusedQuery as refusal:
            st.error(str(refusal), icon=":material/block:")
        else:
            count = result.rows.height
            more = f" (first {sql_sandbox.MAX_ROWS:,} shown)" if result.truncated else ""
            st.success(
                f"{count:,} row{'' if count == 1 else 's'}{more} in {result.seconds:.2f} s",
                icon=":material/check:",
            )
            st.dataframe(result.rows, hide_index=True, width="stretch", key="sql_result")
