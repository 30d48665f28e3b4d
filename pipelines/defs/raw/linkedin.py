"""Raw tables of the LinkedIn data export: one asset per file type."""

from pipelines.defs.raw.factory import raw_table_asset
from pipelines.lib.linkedin import connections, invitations, messages
from pipelines.schemas.linkedin_connections import LinkedinConnectionsSchema
from pipelines.schemas.linkedin_invitations import LinkedinInvitationsSchema
from pipelines.schemas.linkedin_messages import LinkedinMessagesSchema

linkedin_connections = raw_table_asset(
    "linkedin_connections",
    LinkedinConnectionsSchema,
    connections.parse,
    "Connections.csv of every LinkedIn export: one row per connection per export snapshot.",
)

linkedin_messages = raw_table_asset(
    "linkedin_messages",
    LinkedinMessagesSchema,
    messages.parse,
    "messages.csv (Messages.csv in 2018) of every LinkedIn export, every era, plus the "
    "assistant conversations (guide, coach, learning coach, role play): one row per message "
    "per file. Overlapping exports repeat messages; staging.linkedin_messages keeps one.",
)

linkedin_invitations = raw_table_asset(
    "linkedin_invitations",
    LinkedinInvitationsSchema,
    invitations.parse,
    "Invitations.csv of every LinkedIn export (all three variants): one row per pending "
    "invitation per file. staging.linkedin_invitations keeps one per invitation.",
)
