"""Staging tables of the LinkedIn data export: raw rows with the copies that overlapping exports
(and reloads under another name) bring, removed."""

from pipelines.defs.sql_table import sql_table_asset
from pipelines.defs.user_state.state import FORGOTTEN_ROWS

linkedin_messages = sql_table_asset(
    "staging",
    "linkedin_messages",
    deps=["raw.linkedin_messages", FORGOTTEN_ROWS],
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
    deps=["raw.linkedin_invitations", FORGOTTEN_ROWS],
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
    deps=["raw.linkedin_connections", FORGOTTEN_ROWS],
    description="One row per connection per export snapshot (connection_key); the same export "
    "loaded twice counts once, different export dates keep a row each (job changes).",
    checks={
        "no_duplicate_connections": """
            SELECT connection_key, count(*) AS rows FROM staging.linkedin_connections
            GROUP BY connection_key HAVING count(*) > 1""",
    },
)

linkedin_endorsements_received = sql_table_asset(
    "staging",
    "linkedin_endorsements_received",
    deps=["raw.linkedin_endorsements_received", FORGOTTEN_ROWS],
    description="Every endorsement the owner received once (one row per endorsement_key), from the "
    "newest export that contains it, with `copies` = how many files held it.",
    checks={
        "no_duplicate_endorsements": """
            SELECT endorsement_key, count(*) AS rows FROM staging.linkedin_endorsements_received
            GROUP BY endorsement_key HAVING count(*) > 1""",
    },
)

linkedin_endorsements_given = sql_table_asset(
    "staging",
    "linkedin_endorsements_given",
    deps=["raw.linkedin_endorsements_given", FORGOTTEN_ROWS],
    description="Every endorsement the owner gave once (one row per endorsement_key), from the newest "
    "export that contains it, with `copies` = how many files held it.",
    checks={
        "no_duplicate_endorsements": """
            SELECT endorsement_key, count(*) AS rows FROM staging.linkedin_endorsements_given
            GROUP BY endorsement_key HAVING count(*) > 1""",
    },
)

linkedin_recommendations_received = sql_table_asset(
    "staging",
    "linkedin_recommendations_received",
    deps=["raw.linkedin_recommendations_received", FORGOTTEN_ROWS],
    description="Every recommendation the owner received once (one row per recommendation_key), from "
    "the newest export that contains it, with `copies` = how many files held it.",
    checks={
        "no_duplicate_recommendations": """
            SELECT recommendation_key, count(*) AS rows FROM staging.linkedin_recommendations_received
            GROUP BY recommendation_key HAVING count(*) > 1""",
    },
)

linkedin_recommendations_given = sql_table_asset(
    "staging",
    "linkedin_recommendations_given",
    deps=["raw.linkedin_recommendations_given", FORGOTTEN_ROWS],
    description="Every recommendation the owner wrote once (one row per recommendation_key), from the "
    "newest export that contains it, with `copies` = how many files held it.",
    checks={
        "no_duplicate_recommendations": """
            SELECT recommendation_key, count(*) AS rows FROM staging.linkedin_recommendations_given
            GROUP BY recommendation_key HAVING count(*) > 1""",
    },
)

linkedin_events = sql_table_asset(
    "staging",
    "linkedin_events",
    deps=["raw.linkedin_events"],
    description="Every LinkedIn event once (one row per event_key), from the newest export that "
    "contains it.",
    checks={
        "no_duplicate_events": """
            SELECT event_key, count(*) AS rows FROM staging.linkedin_events
            GROUP BY event_key HAVING count(*) > 1""",
    },
)

linkedin_company_follows = sql_table_asset(
    "staging",
    "linkedin_company_follows",
    deps=["raw.linkedin_company_follows"],
    description="Every followed organisation once, from the newest export that contains it.",
    checks={
        "no_duplicate_follows": """
            SELECT organization_key, count(*) AS rows FROM staging.linkedin_company_follows
            GROUP BY organization_key HAVING count(*) > 1""",
    },
)

linkedin_contacts = sql_table_asset(
    "staging",
    "linkedin_contacts",
    deps=["raw.linkedin_contacts", FORGOTTEN_ROWS],
    description="Every contact of the address book uploaded to LinkedIn once (one row per "
    "contact_key), from the newest export that contains it.",
    checks={
        "no_duplicate_contacts": """
            SELECT contact_key, count(*) AS rows FROM staging.linkedin_contacts
            GROUP BY contact_key HAVING count(*) > 1""",
    },
)

linkedin_profile = sql_table_asset(
    "staging",
    "linkedin_profile",
    deps=["raw.linkedin_profile"],
    description="The owner's profile as of the newest export (the rows of the newest Profile.csv).",
    checks={
        "one_export_only": """
            SELECT count(DISTINCT source_path) AS files FROM staging.linkedin_profile
            HAVING count(DISTINCT source_path) > 1""",
    },
)

linkedin_email_addresses = sql_table_asset(
    "staging",
    "linkedin_email_addresses",
    deps=["raw.linkedin_email_addresses"],
    description="The owner's e-mail addresses as of the newest export (the rows of the newest Email "
    "Addresses.csv).",
    checks={
        "one_export_only": """
            SELECT count(DISTINCT source_path) AS files FROM staging.linkedin_email_addresses
            HAVING count(DISTINCT source_path) > 1""",
    },
)

linkedin_positions = sql_table_asset(
    "staging",
    "linkedin_positions",
    deps=["raw.linkedin_positions"],
    description="The owner's positions as of the newest export (the rows of the newest "
    "Positions.csv).",
    checks={
        "one_export_only": """
            SELECT count(DISTINCT source_path) AS files FROM staging.linkedin_positions
            HAVING count(DISTINCT source_path) > 1""",
    },
)
