-- One row per recommendation (recommendation_key) across every file and export. Overlapping
-- exports repeat recommendations: keep the copy from the newest export snapshot (its text and
-- status are the latest), then the latest file path, then the first record, and say how many
-- copies were found.
SELECT
    *,
    count(*) OVER (PARTITION BY recommendation_key) AS copies
FROM raw.linkedin_recommendations_received
QUALIFY row_number() OVER (
    PARTITION BY recommendation_key
    ORDER BY snapshot_date DESC NULLS LAST, source_path DESC, record_number
) = 1
