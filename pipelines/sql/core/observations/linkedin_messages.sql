-- Senders and recipients of LinkedIn messages between people (not sponsored, not LinkedIn's
-- assistants). A sighting is keyed by message and position: 0 = sender, 1.. = recipients.
WITH member_messages AS (
    SELECT * FROM staging.linkedin_messages
    WHERE NOT is_sponsored AND conversation_source = 'member'
), recipients AS (
    SELECT message_key, recipient_names, recipient_slugs,
           generate_subscripts(
               CASE WHEN len(coalesce(recipient_names, [])) >= len(coalesce(recipient_slugs, []))
                    THEN recipient_names ELSE recipient_slugs END, 1) AS i
    FROM member_messages
)
SELECT 'linkedin_messages' AS source, message_key || '#0' AS ref, sender_name AS name,
       []::VARCHAR[] AS emails, sender_slug AS linkedin_slug, NULL::VARCHAR AS company,
       false AS is_address_book, NULL::DATE AS observed_on
FROM member_messages
WHERE sender_slug IS NOT NULL OR sender_name IS NOT NULL
UNION ALL
SELECT 'linkedin_messages', message_key || '#' || i::VARCHAR, recipient_names[i], []::VARCHAR[],
       recipient_slugs[i], NULL, false, NULL
FROM recipients
WHERE recipient_slugs[i] IS NOT NULL OR recipient_names[i] IS NOT NULL
