-- The person of each line of the hand-kept interaction log (name, address and/or profile).
SELECT 'interaction_log' AS source, log_key AS ref, person_name AS name,
       CASE WHEN email IS NULL THEN []::VARCHAR[] ELSE [email] END AS emails,
       profile_slug AS linkedin_slug, NULL::VARCHAR AS company, false AS is_address_book,
       occurred_on AS observed_on
FROM staging.interaction_log
