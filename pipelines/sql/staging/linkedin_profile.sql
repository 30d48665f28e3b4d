-- The owner's profile as of the newest export: every row of the one newest file (newest
-- export snapshot, then the latest file path). Older exports stay in raw.linkedin_profile for
-- history; the same export dropped twice (zip and folder) counts once.
WITH newest_file AS (
    SELECT source_path
    FROM raw.linkedin_profile
    ORDER BY snapshot_date DESC NULLS LAST, source_path DESC
    LIMIT 1
)
SELECT *
FROM raw.linkedin_profile
WHERE source_path IN (SELECT source_path FROM newest_file)
ORDER BY record_number
