"""Staging tables of mail: each message once, however many files and folders hold a copy."""

from pipelines.defs.sql_table import sql_table_asset

email_messages = sql_table_asset(
    "staging",
    "email_messages",
    deps=["raw.email_messages"],
    description="Every email message once (one row per message_key): copies with the same "
    "Message-ID, sender and date, and copies with the same date, sender, subject and body, "
    "count once. `copies`, `folders` and `gmail_labels` gather all copies; `thread_id` is "
    "resolved to the root message's thread. `raw_message_key` joins raw.email_recipients.",
    checks={
        "no_duplicate_messages": """
            SELECT message_key, count(*) AS rows FROM staging.email_messages
            GROUP BY message_key HAVING count(*) > 1""",
    },
)
