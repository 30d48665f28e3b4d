-- One row per address-book contact (contact_key: source, name and e-mail addresses) across every
-- file and export; the newest export snapshot's copy wins. Contacts with neither name nor
-- address (phone-only entries, whose phone numbers are not kept) share one key and count once.
SELECT
    *,
    count(*) OVER (PARTITION BY contact_key) AS copies
FROM raw.linkedin_contacts
QUALIFY row_number() OVER (
    PARTITION BY contact_key
    ORDER BY snapshot_date DESC NULLS LAST, source_path DESC, record_number
) = 1
