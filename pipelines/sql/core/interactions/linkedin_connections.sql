-- Becoming connected is a touch on the day it happened (the first export that shows it), in
-- the direction of the invitation that led to it when the export has it, else "mutual".
WITH connection AS (
    SELECT s.person_id, min(c.connected_on) AS connected_on, min(c.connection_key) AS connection_key
    FROM staging.linkedin_connections AS c
    JOIN core.person_sightings AS s
      ON s.source = 'linkedin_connections' AND s.ref = c.connection_key
    WHERE c.connected_on IS NOT NULL
    GROUP BY s.person_id
)
SELECT c.person_id, c.connected_on::TIMESTAMPTZ AS occurred_at, 'connection' AS channel,
       coalesce(
           (SELECT CASE WHEN i.direction = 'OUTGOING' THEN 'outbound' ELSE 'inbound' END
            FROM staging.linkedin_invitations AS i
            JOIN core.person_sightings AS si
              ON si.source = 'linkedin_invitations' AND si.ref = i.invitation_key
            WHERE si.person_id = c.person_id ORDER BY i.sent_at DESC LIMIT 1),
           'mutual') AS direction,
       NULL::VARCHAR AS thread_id, false AS is_reply, NULL::DOUBLE AS reply_latency_hours,
       NULL::VARCHAR AS text, 'neutral' AS kind, 'new_connection' AS subkind,
       'became connected on LinkedIn' AS reason, NULL::VARCHAR AS noise_reason,
       'staging.linkedin_connections' AS source_table, c.connection_key AS source_key
FROM connection AS c
WHERE c.person_id NOT IN (SELECT person_id FROM core.people WHERE is_owner)
