-- Endorsements are gives: the owner's to them (outbound), theirs to the owner (inbound).
SELECT s.person_id, e.endorsed_at AS occurred_at, 'endorsement' AS channel,
       'inbound' AS direction, NULL::VARCHAR AS thread_id, false AS is_reply,
       NULL::DOUBLE AS reply_latency_hours, NULL::VARCHAR AS text, 'give' AS kind,
       'endorsement' AS subkind, 'they endorsed you for ' || e.skill_name AS reason,
       NULL::VARCHAR AS noise_reason, 'staging.linkedin_endorsements_received' AS source_table,
       e.endorsement_key AS source_key
FROM staging.linkedin_endorsements_received AS e
JOIN core.person_sightings AS s
  ON s.source = 'linkedin_endorsements_received' AND s.ref = e.endorsement_key
UNION ALL
SELECT s.person_id, e.endorsed_at, 'endorsement', 'outbound', NULL, false, NULL, NULL, 'give',
       'endorsement', 'you endorsed them for ' || e.skill_name, NULL,
       'staging.linkedin_endorsements_given', e.endorsement_key
FROM staging.linkedin_endorsements_given AS e
JOIN core.person_sightings AS s
  ON s.source = 'linkedin_endorsements_given' AND s.ref = e.endorsement_key
