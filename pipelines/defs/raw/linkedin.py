"""Raw tables of the LinkedIn data export: one asset per file type."""

from pipelines.defs.raw.factory import raw_table_asset
from pipelines.lib.linkedin import connections
from pipelines.schemas.linkedin_connections import LinkedinConnectionsSchema

linkedin_connections = raw_table_asset(
    "linkedin_connections",
    LinkedinConnectionsSchema,
    connections.parse,
    "Connections.csv of every LinkedIn export: one row per connection per export snapshot.",
)
