-- A calendar meeting is a touch with every attendee (and the organizer) other than the owner:
-- outbound when the owner organised it, inbound when that person did, mutual otherwise.
-- Large meetings (more invitees than [calendar] large_meeting_attendees) and meetings after the
-- as-of date come out with a noise_reason, so they are counted apart.
WITH owner AS (
    SELECT person_id FROM core.people WHERE is_owner
), sighting AS (
    -- ref = md5(event_key) || '#' || address (or name): see observations/calendar_attendees.sql
    SELECT left(ref, 32) AS event_hash, substr(ref, 34) AS who, person_id
    FROM core.person_sightings WHERE source = 'calendar_attendees'
), event AS (
    SELECT *, md5(event_key) AS event_hash FROM staging.calendar_events
), organizer AS (
    SELECT e.event_key, s.person_id AS organizer_id
    FROM event AS e
    JOIN sighting AS s ON s.event_hash = e.event_hash AND s.who = e.organizer_email
)
SELECT DISTINCT ON (s.person_id, e.event_key)
       s.person_id, e.occurrence_start AS occurred_at, 'meeting' AS channel,
       CASE WHEN o.organizer_id IN (SELECT person_id FROM owner) THEN 'outbound'
            WHEN o.organizer_id = s.person_id THEN 'inbound'
            ELSE 'mutual' END AS direction,
       e.event_uid AS thread_id, false AS is_reply, NULL::DOUBLE AS reply_latency_hours,
       e.summary AS text, 'neutral' AS kind, 'meeting' AS subkind,
       'met in a calendar meeting' AS reason,
       CASE WHEN e.is_large THEN 'large meeting (' || e.attendee_count || ' invitees)'
            WHEN e.is_future THEN 'meeting after the as-of date'
       END AS noise_reason,
       'staging.calendar_events' AS source_table, e.event_key AS source_key
FROM event AS e
JOIN sighting AS s ON s.event_hash = e.event_hash
LEFT JOIN organizer AS o ON o.event_key = e.event_key
WHERE s.person_id NOT IN (SELECT person_id FROM owner)
