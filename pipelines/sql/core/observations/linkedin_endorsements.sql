-- People who endorsed the owner, and people the owner endorsed.
SELECT 'linkedin_endorsements_received' AS source, endorsement_key AS ref,
       endorser_full_name AS name, []::VARCHAR[] AS emails, endorser_slug AS linkedin_slug,
       NULL::VARCHAR AS company, false AS is_address_book, NULL::DATE AS observed_on
FROM staging.linkedin_endorsements_received
WHERE endorser_slug IS NOT NULL OR endorser_full_name IS NOT NULL
UNION ALL
SELECT 'linkedin_endorsements_given', endorsement_key, endorsee_full_name, []::VARCHAR[],
       endorsee_slug, NULL, false, NULL
FROM staging.linkedin_endorsements_given
WHERE endorsee_slug IS NOT NULL OR endorsee_full_name IS NOT NULL
