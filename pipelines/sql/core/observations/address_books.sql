-- The owner's address books: contact CSVs (Google, Outlook, Thunderbird) and the address book
-- uploaded to LinkedIn. They give email addresses to LinkedIn people.
SELECT 'contacts' AS source, source_path || '#' || record_number::VARCHAR AS ref,
       full_name AS name, coalesce(emails, []) AS emails, NULL::VARCHAR AS linkedin_slug,
       company, true AS is_address_book, snapshot_date AS observed_on
FROM raw.contacts
WHERE full_name IS NOT NULL OR len(coalesce(emails, [])) > 0
UNION ALL
SELECT 'linkedin_contacts', contact_key, full_name, coalesce(emails, []), profile_slugs[1],
       companies, true, snapshot_date
FROM staging.linkedin_contacts
WHERE full_name IS NOT NULL OR len(coalesce(emails, [])) > 0
