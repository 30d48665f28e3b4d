-- What the user wrote down by hand: the channel, direction and give/ask they logged. A line
-- without give/ask is left to the text classifier, which reads its note.
SELECT s.person_id, l.occurred_on::TIMESTAMPTZ AS occurred_at, l.channel,
       CASE l.direction WHEN 'out' THEN 'outbound' WHEN 'in' THEN 'inbound' ELSE 'mutual' END
           AS direction,
       NULL::VARCHAR AS thread_id, false AS is_reply, NULL::DOUBLE AS reply_latency_hours,
       l.note AS text, l.kind,
       CASE WHEN l.kind IS NOT NULL THEN 'logged' END AS subkind,
       CASE WHEN l.kind IS NOT NULL THEN 'written in the interaction log' END AS reason,
       NULL::VARCHAR AS noise_reason,
       'staging.interaction_log' AS source_table, l.log_key AS source_key
FROM staging.interaction_log AS l
JOIN core.person_sightings AS s ON s.source = 'interaction_log' AND s.ref = l.log_key
WHERE s.person_id NOT IN (SELECT person_id FROM core.people WHERE is_owner)
