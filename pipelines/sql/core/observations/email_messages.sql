-- Senders and recipients of mail between people: messages with a noise_reason (lists, bulk and
-- automatic mail, no-reply senders, drafts, mass mail) name no one. A sighting is keyed by
-- message and position: `message_key#0` = the sender, `message_key#n` = the n-th recipient.
-- A display name that is an address, or is wrapped in quotes, is not taken as a name.
WITH message AS (
    SELECT message_key, from_address, from_name, date_utc
    FROM staging.email_messages
    WHERE noise_reason IS NULL
), sighting AS (
    SELECT message_key || '#0' AS ref, from_name AS name, from_address AS address, date_utc
    FROM message
    UNION ALL
    SELECT r.message_key || '#' || r.position::VARCHAR, r.name, r.address, m.date_utc
    FROM staging.email_recipients AS r
    JOIN message AS m USING (message_key)
)
SELECT 'email_messages' AS source, ref,
       CASE WHEN name NOT LIKE '%@%' THEN nullif(trim(name, ' ''"'), '') END AS name,
       [address] AS emails, NULL::VARCHAR AS linkedin_slug, NULL::VARCHAR AS company,
       false AS is_address_book, date_utc::DATE AS observed_on
FROM sighting
WHERE address LIKE '%_@_%'
