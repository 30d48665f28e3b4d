"""Staging tables of address books, the interaction log and calendars: raw rows with the copies
that overlapping exports (and the same file dropped twice) bring, removed."""

from pipelines.defs.sql_table import sql_table_asset
from pipelines.defs.user_state.state import FORGOTTEN_ROWS

contacts = sql_table_asset(
    "staging",
    "contacts",
    deps=["raw.contacts", FORGOTTEN_ROWS],
    description="Every address-book contact once (contact_key: name, addresses, company), from "
    "the newest export that has it, with `copies` = how many files held it.",
    checks={
        "no_duplicate_contacts": """
            SELECT contact_key, count(*) AS rows FROM staging.contacts
            GROUP BY contact_key HAVING count(*) > 1""",
    },
)

interaction_log = sql_table_asset(
    "staging",
    "interaction_log",
    deps=["raw.interaction_log", FORGOTTEN_ROWS],
    description="Every line of the interaction log once (log_key), however many copies of the "
    "log are in the inbox.",
    checks={
        "no_duplicate_log_lines": """
            SELECT log_key, count(*) AS rows FROM staging.interaction_log
            GROUP BY log_key HAVING count(*) > 1""",
    },
)

calendar_events = sql_table_asset(
    "staging",
    "calendar_events",
    deps=["raw.calendar_events"],
    description="Every meeting occurrence once (event_key), however many calendar exports hold "
    "it, with `is_future` (after the as-of date).",
    checks={
        "no_duplicate_occurrences": """
            SELECT event_key, count(*) AS rows FROM staging.calendar_events
            GROUP BY event_key HAVING count(*) > 1""",
    },
)

calendar_attendees = sql_table_asset(
    "staging",
    "calendar_attendees",
    deps=["raw.calendar_attendees", "staging.calendar_events", FORGOTTEN_ROWS],
    description="The attendees of each occurrence in staging.calendar_events, once per person.",
    checks={
        "every_attendee_has_an_occurrence": """
            SELECT a.event_key FROM staging.calendar_attendees AS a
            ANTI JOIN staging.calendar_events AS e USING (event_key)""",
    },
)
