-- One row per invitation (invitation_key) across every file and export. Overlapping exports
-- repeat pending invitations: keep the copy from the newest export snapshot (then the latest
-- file path, then the first record) and say how many copies were found.
SELECT
    *,
    count(*) OVER (PARTITION BY invitation_key) AS copies
FROM raw.linkedin_invitations
QUALIFY row_number() OVER (
    PARTITION BY invitation_key
    ORDER BY snapshot_date DESC NULLS LAST, source_path DESC, record_number
) = 1
