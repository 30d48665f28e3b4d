-- One row per event (event_key: name and start time) across every file and export; the newest
-- export snapshot's copy wins (its status is the latest).
SELECT
    *,
    count(*) OVER (PARTITION BY event_key) AS copies
FROM raw.linkedin_events
QUALIFY row_number() OVER (
    PARTITION BY event_key
    ORDER BY snapshot_date DESC NULLS LAST, source_path DESC, record_number
) = 1
