-- Mail as touches: a message the owner sent is an outbound touch with each person among its
-- To/Cc/Bcc recipients; a message someone else sent is an inbound touch from the sender. A touch
-- is a reply, with its latency, when the previous message of the same thread with that person
-- came from the other side; it is a reply without a latency when the message itself says it
-- answers something (staging.email_messages.answers_something: reply headers, a Re: subject, a
-- quoted original) and the message it answers is not in the mailbox.
--
-- Introductions: a message the owner sends to exactly two people (besides her own addresses)
-- who had never been on a message together before (as sender and recipient, or as
-- co-recipients), worded as an introduction in its subject or snippet ("introduce", "intro",
-- "A, meet B", "connect you", "put you in touch", "you two should"…), is a give with subkind
-- `introduction` to both.
--
-- Noise (counted in quality.noise, one row per message): every noise_reason of
-- staging.email_messages; messages with no one but the owner on them (her own addresses
-- only, or no sender address); touches without a usable date.
WITH owner AS (
    SELECT person_id FROM core.people WHERE is_owner
), sighting AS (
    SELECT split_part(ref, '#', 1) AS message_key, split_part(ref, '#', 2)::INTEGER AS position,
           person_id
    FROM core.person_sightings WHERE source = 'email_messages'
), message AS (
    SELECT m.message_key, m.date_utc, m.thread_id, m.subject, m.snippet, m.in_reply_to,
           m.answers_something, m.noise_reason, s.person_id AS sender_id,
           coalesce(s.person_id IN (SELECT person_id FROM owner), false) AS from_owner
    FROM staging.email_messages AS m
    LEFT JOIN sighting AS s ON s.message_key = m.message_key AND s.position = 0
), recipient AS (
    SELECT DISTINCT message_key, person_id
    FROM sighting
    WHERE position > 0 AND person_id NOT IN (SELECT person_id FROM owner)
), touch AS (
    SELECT m.*, r.person_id, 'outbound' AS direction
    FROM message AS m JOIN recipient AS r USING (message_key)
    WHERE m.from_owner AND m.noise_reason IS NULL
    UNION ALL
    SELECT m.*, m.sender_id, 'inbound'
    FROM message AS m
    WHERE NOT m.from_owner AND m.sender_id IS NOT NULL AND m.noise_reason IS NULL
), participant AS (
    -- everyone other than the owner on each message, and when
    SELECT DISTINCT s.message_key, s.person_id, m.date_utc
    FROM sighting AS s JOIN message AS m USING (message_key)
    WHERE s.person_id NOT IN (SELECT person_id FROM owner) AND m.date_utc IS NOT NULL
), intro_candidate AS (
    SELECT m.message_key, m.date_utc, min(r.person_id) AS a, max(r.person_id) AS b
    FROM message AS m JOIN recipient AS r USING (message_key)
    WHERE m.from_owner AND m.noise_reason IS NULL AND m.date_utc IS NOT NULL
      AND regexp_matches(
          concat_ws(' ', m.subject, m.snippet),
          '(?i:introduc|\be-?intro\b|\bintro\b|\bconnect(ing)? you\b|\bput(ting)? you '
          || '(two |both )?in touch\b|\byou two should\b|\byou should (both )?meet\b|'
          || '\b(like|want) you to meet\b|\bplease meet\b)|,\s*meet\s+\p{Lu}|<>'
      )
    GROUP BY ALL
    HAVING count(*) = 2
), introduction AS (
    SELECT c.message_key
    FROM intro_candidate AS c
    WHERE NOT EXISTS (
        SELECT 1
        FROM participant AS x JOIN participant AS y USING (message_key)
        WHERE x.person_id = c.a AND y.person_id = c.b AND x.date_utc < c.date_utc
    )
), ordered AS (
    SELECT *,
           lag(direction) OVER w AS previous_direction,
           lag(date_utc) OVER w AS previous_at
    FROM touch
    WINDOW w AS (PARTITION BY thread_id, person_id ORDER BY date_utc, message_key)
)
SELECT o.person_id, o.date_utc AS occurred_at, 'email' AS channel, o.direction, o.thread_id,
       coalesce(o.previous_direction IS NOT NULL AND o.previous_direction <> o.direction, false)
           OR coalesce(o.answers_something, false) AS is_reply,
       CASE WHEN o.previous_direction IS NOT NULL AND o.previous_direction <> o.direction
            THEN date_diff('second', o.previous_at, o.date_utc) / 3600.0 END
           AS reply_latency_hours,
       -- with snippets switched off, a new message's subject is all there is to classify
       coalesce(o.snippet, CASE WHEN o.in_reply_to IS NULL THEN o.subject END) AS text,
       CASE WHEN i.message_key IS NOT NULL THEN 'give' END AS kind,
       CASE WHEN i.message_key IS NOT NULL THEN 'introduction' END AS subkind,
       CASE WHEN i.message_key IS NOT NULL
            THEN 'introduced two people who had not been on a message together before' END
           AS reason,
       CASE WHEN o.date_utc IS NULL THEN 'date missing or invalid' END AS noise_reason,
       'staging.email_messages' AS source_table, o.message_key AS source_key
FROM ordered AS o
LEFT JOIN introduction AS i ON i.message_key = o.message_key AND o.direction = 'outbound'
UNION ALL
SELECT NULL, m.date_utc, 'email', CASE WHEN m.from_owner THEN 'outbound' ELSE 'inbound' END,
       m.thread_id, false, NULL, NULL, NULL, NULL, NULL,
       coalesce(
           m.noise_reason,
           CASE WHEN m.from_owner THEN 'only your own addresses on it' ELSE 'no sender address' END
       ),
       'staging.email_messages', m.message_key
FROM message AS m
WHERE m.noise_reason IS NOT NULL
   OR NOT EXISTS (SELECT 1 FROM touch AS t WHERE t.message_key = m.message_key)
