-- Recommendations are gives, and weigh more than an endorsement.
SELECT s.person_id, r.created_at AS occurred_at, 'recommendation' AS channel,
       'inbound' AS direction, NULL::VARCHAR AS thread_id, false AS is_reply,
       NULL::DOUBLE AS reply_latency_hours, NULL::VARCHAR AS text, 'give' AS kind,
       'recommendation' AS subkind, 'they wrote you a recommendation' AS reason,
       NULL::VARCHAR AS noise_reason, 'staging.linkedin_recommendations_received' AS source_table,
       r.recommendation_key AS source_key
FROM staging.linkedin_recommendations_received AS r
JOIN core.person_sightings AS s
  ON s.source = 'linkedin_recommendations_received' AND s.ref = r.recommendation_key
UNION ALL
SELECT s.person_id, r.created_at, 'recommendation', 'outbound', NULL, false, NULL, NULL, 'give',
       'recommendation', 'you wrote them a recommendation', NULL,
       'staging.linkedin_recommendations_given', r.recommendation_key
FROM staging.linkedin_recommendations_given AS r
JOIN core.person_sightings AS s
  ON s.source = 'linkedin_recommendations_given' AND s.ref = r.recommendation_key
