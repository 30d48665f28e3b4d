-- What deserves a follow-up, as of the as-of date, one row per item:
--   new_connection: a LinkedIn connection made;
--   meeting: time spent with someone (meeting, call, coffee, event) after 90 days or more
--     without any (a first meeting, or meeting again) — a weekly 1:1 is not a new meeting;
--   for both: did you reach out (an outbound message, e-mail, call, meeting... — not the
--     invitation, the connection or an endorsement) within 2 and within 7 days? NULL while that
--     window is still open at the as-of date;
--   reply_owed: a message thread (LinkedIn or e-mail) in which the other person wrote last in the
--     90 days up to the as-of date (older silences are no longer a reply owed), and you have not
--     reached out to them since;
--   unanswered_ask: an ask you wrote (not one made face to face) after which that person never
--     wrote back or met you.
WITH person AS (
    SELECT person_id, display_name FROM core.people WHERE NOT is_owner
), touch AS (
    SELECT i.*,
           i.channel IN ('meeting', 'call', 'coffee', 'event') AS is_live,
           -- a real reaching out, as opposed to the one-click touches
           i.channel NOT IN ('connection', 'invitation', 'endorsement') AS is_reach
    FROM core.interactions AS i
    JOIN person USING (person_id)
    WHERE (i.occurred_at AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
), live AS (
    SELECT *, lag(occurred_at) OVER (PARTITION BY person_id ORDER BY occurred_at, interaction_id)
                  AS previous_live_at
    FROM touch
    WHERE is_live
), event AS (
    SELECT 'new_connection' AS item, interaction_id, person_id, occurred_at, channel, thread_id
    FROM touch
    WHERE channel = 'connection'
    UNION ALL
    SELECT 'meeting', interaction_id, person_id, occurred_at, channel, thread_id
    FROM live
    WHERE previous_live_at IS NULL OR previous_live_at < occurred_at - INTERVAL 90 DAY
), followed AS (
    SELECT e.*,
           (SELECT min(r.occurred_at) FROM touch AS r
            WHERE r.person_id = e.person_id AND r.direction = 'outbound' AND r.is_reach
              AND r.occurred_at > e.occurred_at) AS followed_up_at
    FROM event AS e
), thread_end AS (
    SELECT person_id, thread_id, interaction_id, occurred_at, channel, direction
    FROM touch
    WHERE channel IN ('email', 'linkedin_message') AND thread_id IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY person_id, thread_id ORDER BY occurred_at DESC, interaction_id DESC) = 1
), owed AS (
    SELECT t.*
    FROM thread_end AS t
    WHERE t.direction = 'inbound'
      AND (t.occurred_at AT TIME ZONE 'UTC')::DATE > getvariable('as_of')::DATE - 90
      AND NOT EXISTS (
          SELECT 1 FROM touch AS r
          WHERE r.person_id = t.person_id AND r.direction = 'outbound' AND r.is_reach
            AND r.occurred_at > t.occurred_at)
), ask AS (
    SELECT a.*
    FROM touch AS a
    WHERE a.direction = 'outbound' AND a.kind = 'ask' AND NOT a.is_live  -- said face to face
      AND NOT EXISTS (
          SELECT 1 FROM touch AS t
          WHERE t.person_id = a.person_id AND t.occurred_at > a.occurred_at
            AND ((t.direction = 'inbound' AND t.is_reach) OR t.is_live))
), item AS (
    SELECT item, interaction_id, person_id, occurred_at, channel, thread_id, followed_up_at,
           CASE WHEN followed_up_at <= occurred_at + INTERVAL 2 DAY THEN true
                WHEN getvariable('as_of')::DATE < (occurred_at AT TIME ZONE 'UTC')::DATE + 2
                    THEN NULL
                ELSE false END AS followed_up_within_2d,
           CASE WHEN followed_up_at <= occurred_at + INTERVAL 7 DAY THEN true
                WHEN getvariable('as_of')::DATE < (occurred_at AT TIME ZONE 'UTC')::DATE + 7
                    THEN NULL
                ELSE false END AS followed_up_within_7d,
           followed_up_at IS NULL AS is_open
    FROM followed
    UNION ALL
    SELECT 'reply_owed', interaction_id, person_id, occurred_at, channel, thread_id, NULL,
           NULL, NULL, true
    FROM owed
    UNION ALL
    SELECT 'unanswered_ask', interaction_id, person_id, occurred_at, channel, thread_id, NULL,
           NULL, NULL, true
    FROM ask
)
SELECT i.item, i.person_id, p.display_name, getvariable('as_of')::DATE AS as_of,
       i.occurred_at, i.channel, i.thread_id, i.interaction_id,
       i.followed_up_at, i.followed_up_within_2d, i.followed_up_within_7d, i.is_open,
       getvariable('as_of')::DATE - (i.occurred_at AT TIME ZONE 'UTC')::DATE AS age_days
FROM item AS i
JOIN person AS p USING (person_id)
ORDER BY i.item, i.occurred_at DESC, i.interaction_id
