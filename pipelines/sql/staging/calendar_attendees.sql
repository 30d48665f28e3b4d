-- The attendees of each occurrence in staging.calendar_events, from the same file as the kept
-- event row; one row per occurrence and person (address, else name).
SELECT a.* EXCLUDE (source_sha256)
FROM raw.calendar_attendees AS a
JOIN staging.calendar_events AS e USING (event_key, source_path)
QUALIFY row_number() OVER (
    PARTITION BY a.event_key, coalesce(a.email, lower(a.name)) ORDER BY a.record_number
) = 1
