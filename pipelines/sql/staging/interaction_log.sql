-- One row per logged interaction (log_key: date, person, channel and note), so a log copied
-- into the inbox twice, or kept as a growing file with older copies around, counts each line
-- once. Two identical lines in one file (two calls with the same person on one day, no note)
-- stay two: the key includes how many times the line occurs in its file.
WITH numbered AS (
    SELECT *,
        row_number() OVER (
            PARTITION BY source_path, occurred_on, person_name, email, profile_slug, channel, note
            ORDER BY record_number
        ) AS occurrence
    FROM raw.interaction_log
), keyed AS (
    SELECT
        md5(concat_ws('|', occurred_on, lower(coalesce(person_name, '')), coalesce(email, ''),
                      coalesce(profile_slug, ''), channel, coalesce(note, ''), occurrence))
            AS log_key,
        * EXCLUDE (source_sha256, occurrence)
    FROM numbered
)
SELECT *, count(*) OVER (PARTITION BY log_key) AS copies
FROM keyed
QUALIFY row_number() OVER (
    PARTITION BY log_key ORDER BY snapshot_date DESC NULLS LAST, source_path DESC, record_number
) = 1
