-- Attendees of calendar meetings, and organizers who are not listed as attendees (Outlook often
-- leaves them out). A sighting is keyed by occurrence and address (or name):
-- `md5(event_key)#address` — the hash keeps a `#` in a UID from splitting the key.
SELECT 'calendar_attendees' AS source,
       md5(event_key) || '#' || coalesce(email, lower(name)) AS ref, name,
       CASE WHEN email IS NULL THEN []::VARCHAR[] ELSE [email] END AS emails,
       NULL::VARCHAR AS linkedin_slug, NULL::VARCHAR AS company, false AS is_address_book,
       occurrence_start::DATE AS observed_on
FROM staging.calendar_attendees
WHERE email IS NOT NULL OR name IS NOT NULL
UNION ALL
SELECT 'calendar_attendees', md5(e.event_key) || '#' || e.organizer_email, e.organizer_name,
       [e.organizer_email], NULL, NULL, false, e.occurrence_start::DATE
FROM staging.calendar_events AS e
WHERE e.organizer_email IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM staging.calendar_attendees AS a
      WHERE a.event_key = e.event_key AND a.email = e.organizer_email
  )
