-- Every meeting occurrence once (event_key = UID + start), however many calendar exports hold
-- it; the copy from the last file by path wins. `is_future`: it starts after the as-of date, so
-- it has not happened yet as far as the metrics are concerned.
SELECT
    * EXCLUDE (source_sha256),
    occurrence_date > getvariable('as_of') AS is_future,
    count(*) OVER (PARTITION BY event_key) AS copies
FROM raw.calendar_events
QUALIFY row_number() OVER (
    PARTITION BY event_key ORDER BY snapshot_date DESC NULLS LAST, source_path DESC, record_number
) = 1
