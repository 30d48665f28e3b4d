"""Plain Python logic with no Dagster in it: discovery, parsers, loading, scoring."""
