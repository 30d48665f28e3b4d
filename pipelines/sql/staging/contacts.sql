-- One row per address-book contact (contact_key: name, e-mail addresses and company) across
-- every file, layout and export; the newest snapshot's copy wins, then the last file by path.
-- `copies` says how many files held it.
WITH keyed AS (
    SELECT
        md5(concat_ws('|', lower(coalesce(full_name, '')), list_sort(emails)::VARCHAR,
                      lower(coalesce(company, '')))) AS contact_key,
        * EXCLUDE (source_sha256)
    FROM raw.contacts
)
SELECT *, count(*) OVER (PARTITION BY contact_key) AS copies
FROM keyed
QUALIFY row_number() OVER (
    PARTITION BY contact_key
    ORDER BY snapshot_date DESC NULLS LAST, source_path DESC, record_number
) = 1
