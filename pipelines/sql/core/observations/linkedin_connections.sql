-- Everyone in any Connections.csv (hidden profiles have no identity and are left out).
SELECT 'linkedin_connections' AS source, connection_key AS ref, full_name AS name,
       CASE WHEN email IS NULL THEN []::VARCHAR[] ELSE [email] END AS emails,
       profile_slug AS linkedin_slug, company, false AS is_address_book,
       snapshot_date AS observed_on
FROM staging.linkedin_connections
WHERE profile_slug IS NOT NULL OR full_name IS NOT NULL
