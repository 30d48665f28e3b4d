"""Raw tables of the LinkedIn data export: one asset per file type."""

from pipelines.defs.raw.factory import raw_table_asset
from pipelines.lib.linkedin import (
    company_follows,
    connections,
    contacts,
    email_addresses,
    endorsements,
    events,
    invitations,
    messages,
    positions,
    profile,
    recommendations,
)
from pipelines.schemas.linkedin_company_follows import LinkedinCompanyFollowsSchema
from pipelines.schemas.linkedin_connections import LinkedinConnectionsSchema
from pipelines.schemas.linkedin_contacts import LinkedinContactsSchema
from pipelines.schemas.linkedin_email_addresses import LinkedinEmailAddressesSchema
from pipelines.schemas.linkedin_endorsements_given import LinkedinEndorsementsGivenSchema
from pipelines.schemas.linkedin_endorsements_received import LinkedinEndorsementsReceivedSchema
from pipelines.schemas.linkedin_events import LinkedinEventsSchema
from pipelines.schemas.linkedin_invitations import LinkedinInvitationsSchema
from pipelines.schemas.linkedin_messages import LinkedinMessagesSchema
from pipelines.schemas.linkedin_positions import LinkedinPositionsSchema
from pipelines.schemas.linkedin_profile import LinkedinProfileSchema
from pipelines.schemas.linkedin_recommendations_given import LinkedinRecommendationsGivenSchema
from pipelines.schemas.linkedin_recommendations_received import (
    LinkedinRecommendationsReceivedSchema,
)

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

linkedin_endorsements_received = raw_table_asset(
    "linkedin_endorsements_received",
    LinkedinEndorsementsReceivedSchema,
    endorsements.parse_received,
    "Endorsement_Received_Info.csv of every LinkedIn export (current, older without URL, and "
    "the legacy UTF-16 `Endorsement Received Info.csv`): one row per endorsement per file. "
    "staging.linkedin_endorsements_received keeps one per endorsement.",
)

linkedin_endorsements_given = raw_table_asset(
    "linkedin_endorsements_given",
    LinkedinEndorsementsGivenSchema,
    endorsements.parse_given,
    "Endorsement_Given_Info.csv of every LinkedIn export: one row per endorsement the owner "
    "gave per file. staging.linkedin_endorsements_given keeps one per endorsement.",
)

linkedin_recommendations_received = raw_table_asset(
    "linkedin_recommendations_received",
    LinkedinRecommendationsReceivedSchema,
    recommendations.parse_received,
    "Recommendations_Received.csv of every LinkedIn export: one row per recommendation per "
    "file. staging.linkedin_recommendations_received keeps one per recommendation.",
)

linkedin_recommendations_given = raw_table_asset(
    "linkedin_recommendations_given",
    LinkedinRecommendationsGivenSchema,
    recommendations.parse_given,
    "Recommendations_Given.csv of every LinkedIn export: one row per recommendation the owner "
    "wrote per file. staging.linkedin_recommendations_given keeps one per recommendation.",
)

linkedin_profile = raw_table_asset(
    "linkedin_profile",
    LinkedinProfileSchema,
    profile.parse,
    "Profile.csv of every LinkedIn export (2018 and 2020+ layouts): the owner's own profile, "
    "one row per export. It names the owner when the configuration does not.",
)

linkedin_email_addresses = raw_table_asset(
    "linkedin_email_addresses",
    LinkedinEmailAddressesSchema,
    email_addresses.parse,
    "Email Addresses.csv of every LinkedIn export: the owner's own addresses, one row per "
    "address per export.",
)

linkedin_positions = raw_table_asset(
    "linkedin_positions",
    LinkedinPositionsSchema,
    positions.parse,
    "Positions.csv of every LinkedIn export: the owner's jobs, one row per position per export.",
)

linkedin_events = raw_table_asset(
    "linkedin_events",
    LinkedinEventsSchema,
    events.parse,
    "Events.csv of every LinkedIn export: LinkedIn events the owner signed up for.",
)

linkedin_company_follows = raw_table_asset(
    "linkedin_company_follows",
    LinkedinCompanyFollowsSchema,
    company_follows.parse,
    "Company Follows.csv of every LinkedIn export: organisations the owner follows.",
)

linkedin_contacts = raw_table_asset(
    "linkedin_contacts",
    LinkedinContactsSchema,
    contacts.parse,
    "Contacts.csv / ImportedContacts.csv of LinkedIn exports: the address book the owner "
    "uploaded to LinkedIn (names, e-mail addresses, companies, title, birthday, profiles).",
)
