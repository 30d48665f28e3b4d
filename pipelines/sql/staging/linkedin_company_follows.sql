-- One row per followed organisation (by its name, case-insensitively) across every file and
-- export; the newest export snapshot's copy wins.
SELECT
    lower(organization) AS organization_key,
    *,
    count(*) OVER (PARTITION BY organization_key) AS copies
FROM raw.linkedin_company_follows
QUALIFY row_number() OVER (
    PARTITION BY organization_key
    ORDER BY snapshot_date DESC NULLS LAST, source_path DESC, record_number
) = 1
