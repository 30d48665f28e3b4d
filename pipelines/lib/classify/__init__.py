"""Give/ask classification of messages: rules first, a small committed linear model second.

Plain Python with no Dagster in it; see `docs/classifier.md`.
"""
