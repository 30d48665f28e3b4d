-- Invitations: the owner inviting someone (outbound) or being invited (inbound). A personal
-- note is classified like any message; a bare invitation is neutral.
SELECT s.person_id, i.sent_at AS occurred_at, 'invitation' AS channel,
       CASE WHEN i.direction = 'OUTGOING' THEN 'outbound' ELSE 'inbound' END AS direction,
       NULL::VARCHAR AS thread_id, false AS is_reply, NULL::DOUBLE AS reply_latency_hours,
       i.message AS text,
       CASE WHEN i.message IS NULL THEN 'neutral' END AS kind,
       CASE WHEN i.message IS NULL THEN 'invitation' END AS subkind,
       CASE WHEN i.message IS NULL THEN 'an invitation without a note' END AS reason,
       NULL::VARCHAR AS noise_reason,
       'staging.linkedin_invitations' AS source_table, i.invitation_key AS source_key
FROM staging.linkedin_invitations AS i
JOIN core.person_sightings AS s ON s.source = 'linkedin_invitations' AND s.ref = i.invitation_key
