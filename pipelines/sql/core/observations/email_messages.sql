-- Senders and recipients of mail between people: messages with a noise_reason (lists, bulk and
-- automatic mail, no-reply senders, drafts, mass mail) name no one. A sighting is keyed by
-- message and position: `message_key#0` = the sender, `message_key#n` = the n-th recipient.
-- A display name that is an address, or is wrapped in quotes, is not taken as a name. Without
-- a display name, the name an Exchange or Notes export wrote in X-From / X-To / X-cc is taken
-- ("Buy, Rick </O=ENRON/...>" read as "Rick Buy"; `name_source` says which it was).
WITH message AS (
    SELECT message_key, from_address, from_name, from_x_name, date_utc
    FROM staging.email_messages
    WHERE noise_reason IS NULL
), sighting AS (
    SELECT message_key || '#0' AS ref, from_name AS name, from_x_name AS x_name,
           from_address AS address, date_utc
    FROM message
    UNION ALL
    SELECT r.message_key || '#' || r.position::VARCHAR, r.name, r.x_name, r.address, m.date_utc
    FROM staging.email_recipients AS r
    JOIN message AS m USING (message_key)
), named AS (
    SELECT *, CASE WHEN name NOT LIKE '%@%' THEN nullif(trim(name, ' ''"'), '') END AS display
    FROM sighting
)
SELECT 'email_messages' AS source, ref, coalesce(display, x_name) AS name,
       CASE WHEN display IS NOT NULL THEN 'display_name'
            WHEN x_name IS NOT NULL THEN 'x_header' END AS name_source,
       [address] AS emails, NULL::VARCHAR AS linkedin_slug, NULL::VARCHAR AS company,
       false AS is_address_book, date_utc::DATE AS observed_on
FROM named
WHERE address LIKE '%_@_%'
