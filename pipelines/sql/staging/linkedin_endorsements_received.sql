-- One row per endorsement (endorsement_key) across every file and export. Overlapping exports,
-- and the legacy UTF-16 file beside the current one, repeat endorsements: keep the copy from the
-- newest export snapshot (then the latest file path, then the first record) and say how many
-- copies were found.
SELECT
    *,
    count(*) OVER (PARTITION BY endorsement_key) AS copies
FROM raw.linkedin_endorsements_received
QUALIFY row_number() OVER (
    PARTITION BY endorsement_key
    ORDER BY snapshot_date DESC NULLS LAST, source_path DESC, record_number
) = 1
