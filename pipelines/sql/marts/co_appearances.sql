-- Pairs of your contacts who have been in touch with each other, as far as your own data shows:
-- they were in the same LinkedIn conversation or e-mail thread (co-recipients included), or in
-- the same meeting (a recurring meeting counts once). Groups of more than 50 people (all-hands,
-- mailing lists) are left out: being on the same list is not knowing each other.
-- One row per pair, person_a_id < person_b_id.
WITH person AS (
    SELECT person_id FROM core.people WHERE NOT is_owner
), membership AS (
    SELECT CASE WHEN i.channel = 'meeting' THEN 'meeting' ELSE 'thread' END AS kind,
           i.thread_id AS grp, i.person_id
    FROM core.interactions AS i
    JOIN person USING (person_id)
    WHERE i.thread_id IS NOT NULL
      AND (i.occurred_at AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
    UNION
    -- everyone on a LinkedIn message, not only those you wrote to or heard from
    SELECT 'thread', m.conversation_id, s.person_id
    FROM core.person_sightings AS s
    JOIN person USING (person_id)
    JOIN staging.linkedin_messages AS m ON m.message_key = split_part(s.ref, '#', 1)
    WHERE s.source = 'linkedin_messages'
      AND (m.sent_at AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
    UNION
    -- every attendee of a meeting
    SELECT 'meeting', a.event_uid, s.person_id
    FROM core.person_sightings AS s
    JOIN person USING (person_id)
    JOIN (SELECT DISTINCT md5(event_key) AS ref_key, event_uid, occurrence_start
          FROM staging.calendar_attendees) AS a
      ON a.ref_key = split_part(s.ref, '#', 1)
    WHERE s.source = 'calendar_attendees'
      AND (a.occurrence_start AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
), small_group AS (
    SELECT kind, grp FROM membership GROUP BY ALL HAVING count(*) BETWEEN 2 AND 50
), pair AS (
    SELECT a.person_id AS person_a_id, b.person_id AS person_b_id, a.kind, a.grp
    FROM membership AS a
    JOIN small_group USING (kind, grp)
    JOIN membership AS b ON b.kind = a.kind AND b.grp = a.grp AND a.person_id < b.person_id
)
SELECT person_a_id, person_b_id,
       count(DISTINCT grp) FILTER (WHERE kind = 'thread') AS shared_threads,
       count(DISTINCT grp) FILTER (WHERE kind = 'meeting') AS shared_meetings
FROM pair
GROUP BY ALL
ORDER BY person_a_id, person_b_id
