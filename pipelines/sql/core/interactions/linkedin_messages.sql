-- LinkedIn messages as touches: a message the owner sent is an outbound touch with each
-- recipient; a message someone else sent is an inbound touch from the sender. Replies and their
-- latency come from the previous message in the same conversation from the other side.
-- Sponsored mail, assistant conversations and drafts come out with a noise_reason.
WITH owner AS (
    SELECT person_id FROM core.people WHERE is_owner
), sighting AS (
    SELECT split_part(ref, '#', 1) AS message_key, split_part(ref, '#', 2)::INTEGER AS position,
           person_id
    FROM core.person_sightings WHERE source = 'linkedin_messages'
), message AS (
    SELECT m.*, s.person_id AS sender_id,
           coalesce(s.person_id IN (SELECT person_id FROM owner), false)
               OR coalesce(m.direction_2018 = 'OUTGOING', false) AS from_owner
    FROM staging.linkedin_messages AS m
    LEFT JOIN sighting AS s ON s.message_key = m.message_key AND s.position = 0
), touch AS (
    -- outbound: one touch per recipient who is not the owner
    SELECT m.*, r.person_id, 'outbound' AS direction
    FROM message AS m JOIN sighting AS r ON r.message_key = m.message_key AND r.position > 0
    WHERE m.from_owner AND r.person_id NOT IN (SELECT person_id FROM owner)
    UNION ALL
    SELECT m.*, m.sender_id, 'inbound'
    FROM message AS m
    WHERE NOT m.from_owner AND m.sender_id IS NOT NULL
    UNION ALL
    -- sponsored mail and assistant conversations have no person: kept only to be counted
    SELECT m.*, NULL, 'inbound'
    FROM message AS m
    WHERE m.sender_id IS NULL AND (m.is_sponsored OR m.conversation_source <> 'member')
), ordered AS (
    SELECT *,
           lag(direction) OVER w AS previous_direction,
           lag(sent_at) OVER w AS previous_at
    FROM touch
    WINDOW w AS (PARTITION BY coalesce(conversation_id, conversation_title), person_id
                 ORDER BY sent_at)
)
SELECT person_id, sent_at AS occurred_at, 'linkedin_message' AS channel, direction,
       coalesce(conversation_id, conversation_title) AS thread_id,
       coalesce(previous_direction IS NOT NULL AND previous_direction <> direction, false)
           AS is_reply,
       CASE WHEN previous_direction IS NOT NULL AND previous_direction <> direction
            THEN date_diff('second', previous_at, sent_at) / 3600.0 END AS reply_latency_hours,
       concat_ws(' ', subject, content_text) AS text,
       NULL::VARCHAR AS kind, NULL::VARCHAR AS subkind, NULL::VARCHAR AS reason,
       CASE WHEN is_sponsored THEN 'sponsored or InMail'
            WHEN conversation_source <> 'member' THEN 'conversation with a LinkedIn assistant'
            WHEN coalesce(is_draft, false) THEN 'draft, never sent'
       END AS noise_reason,
       'staging.linkedin_messages' AS source_table, message_key AS source_key
FROM ordered
