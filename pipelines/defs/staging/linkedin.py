"""Staging tables of the LinkedIn data export: raw rows with the copies that overlapping exports
(and reloads under another name) bring, removed."""

from pipelines.defs.sql_table import sql_table_asset

linkedin_messages = sql_table_asset(
    "staging",
    "linkedin_messages",
    deps=["raw.linkedin_messages"],
    description="Every LinkedIn message once (one row per message_key), taken from the newest "
    "export that contains it, with `copies` = how many files held it.",
    checks={
        "no_duplicate_messages": """
            SELECT message_key, count(*) AS rows FROM staging.linkedin_messages
            GROUP BY message_key HAVING count(*) > 1""",
    },
)

linkedin_invitations = sql_table_asset(
    "staging",
    "linkedin_invitations",
    deps=["raw.linkedin_invitations"],
    description="Every LinkedIn invitation once (one row per invitation_key), taken from the "
    "newest export that contains it, with `copies` = how many files held it.",
    checks={
        "no_duplicate_invitations": """
            SELECT invitation_key, count(*) AS rows FROM staging.linkedin_invitations
            GROUP BY invitation_key HAVING count(*) > 1""",
    },
)

linkedin_connections = sql_table_asset(
    "staging",
    "linkedin_connections",
    deps=["raw.linkedin_connections"],
    description="One row per connection per export snapshot (connection_key); the same export "
    "loaded twice counts once, different export dates keep a row each (job changes).",
    checks={
        "no_duplicate_connections": """
            SELECT connection_key, count(*) AS rows FROM staging.linkedin_connections
            GROUP BY connection_key HAVING count(*) > 1""",
    },
)
