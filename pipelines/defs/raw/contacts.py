"""Raw tables of address-book exports and the hand-kept interaction log."""

from pipelines.defs.raw.factory import raw_table_asset
from pipelines.lib.contacts import address_book, interaction_log
from pipelines.schemas.contacts import ContactsSchema
from pipelines.schemas.interaction_log import InteractionLogSchema

contacts = raw_table_asset(
    "contacts",
    ContactsSchema,
    address_book.parse,
    "Contact exports of Google Contacts (current and 2022-and-earlier layouts), Outlook desktop, "
    "outlook.com and Thunderbird: one row per contact per file, with names, email addresses, "
    "company, title, birthday and labels. Phone numbers and addresses are never stored.",
)

interaction_log_table = raw_table_asset(
    "interaction_log",
    InteractionLogSchema,
    interaction_log.parse_configured,
    "The interaction log the user keeps by hand (data/templates/interaction_log.csv, or their "
    "own headers mapped in [interaction_log.columns]): one row per coffee, call or meeting. "
    "Ambiguous day/month dates are quarantined unless the file or the configuration settles them.",
)
