-- Recommendations carry a name and a company, no profile URL: they join a person through the
-- name-and-company rule.
SELECT 'linkedin_recommendations_received' AS source, recommendation_key AS ref, full_name AS name,
       []::VARCHAR[] AS emails, NULL::VARCHAR AS linkedin_slug, company,
       false AS is_address_book, NULL::DATE AS observed_on
FROM staging.linkedin_recommendations_received WHERE full_name IS NOT NULL
UNION ALL
SELECT 'linkedin_recommendations_given', recommendation_key, full_name, []::VARCHAR[], NULL,
       company, false, NULL
FROM staging.linkedin_recommendations_given WHERE full_name IS NOT NULL
