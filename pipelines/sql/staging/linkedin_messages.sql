-- One row per message (message_key) across every file and export. Overlapping exports repeat
-- the same messages: keep the copy from the newest export snapshot (then the latest file path,
-- then the first record) and say how many copies were found. Only some eras say whether a
-- message is a draft, so a copy that does not say takes the answer of one that does.
SELECT
    * REPLACE (
        coalesce(is_draft, bool_or(is_draft) OVER (PARTITION BY message_key)) AS is_draft
    ),
    count(*) OVER (PARTITION BY message_key) AS copies
FROM raw.linkedin_messages
QUALIFY row_number() OVER (
    PARTITION BY message_key
    ORDER BY snapshot_date DESC NULLS LAST, source_path DESC, record_number
) = 1
