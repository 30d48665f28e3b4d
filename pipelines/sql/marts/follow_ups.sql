-- What deserves a follow-up, as of the as-of date, one row per item:
--   new_connection / meeting: did you reach out (an outbound touch other than the invitation or
--     the connection itself) within 2 and 7 days after it? NULL while the window is still open.
--   reply_owed: a message thread (LinkedIn or e-mail) in which the other person wrote last,
--     within the last year.
--   unanswered_ask: something you asked that no touch from that person has followed.
WITH person AS (
    SELECT person_id, display_name FROM core.people WHERE NOT is_owner
), touch AS (
    SELECT i.*
    FROM core.interactions AS i
    JOIN person USING (person_id)
    WHERE (i.occurred_at AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
), event AS (
    SELECT CASE channel WHEN 'connection' THEN 'new_connection' ELSE 'meeting' END AS item,
           interaction_id, person_id, occurred_at, channel, thread_id
    FROM touch
    WHERE channel IN ('connection', 'meeting')
), reach_out AS (
    SELECT person_id, occurred_at
    FROM touch
    WHERE direction = 'outbound' AND channel NOT IN ('connection', 'invitation')
), followed AS (
    SELECT e.*,
           (SELECT min(r.occurred_at) FROM reach_out AS r
            WHERE r.person_id = e.person_id AND r.occurred_at > e.occurred_at) AS followed_up_at
    FROM event AS e
), thread_end AS (
    SELECT person_id, thread_id, interaction_id, occurred_at, channel, direction
    FROM touch
    WHERE channel IN ('email', 'linkedin_message') AND thread_id IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY person_id, thread_id ORDER BY occurred_at DESC, interaction_id) = 1
), ask AS (
    SELECT a.interaction_id, a.person_id, a.occurred_at, a.channel, a.thread_id,
           (SELECT min(t.occurred_at) FROM touch AS t
            WHERE t.person_id = a.person_id AND t.direction = 'inbound'
              AND t.occurred_at > a.occurred_at) AS answered_at
    FROM touch AS a
    WHERE a.direction = 'outbound' AND a.kind = 'ask'
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
    FROM thread_end
    WHERE direction = 'inbound'
      AND (occurred_at AT TIME ZONE 'UTC')::DATE > getvariable('as_of')::DATE - 365
    UNION ALL
    SELECT 'unanswered_ask', interaction_id, person_id, occurred_at, channel, thread_id, NULL,
           NULL, NULL, true
    FROM ask
    WHERE answered_at IS NULL
)
SELECT i.item, i.person_id, p.display_name, getvariable('as_of')::DATE AS as_of,
       i.occurred_at, i.channel, i.thread_id, i.interaction_id,
       i.followed_up_at, i.followed_up_within_2d, i.followed_up_within_7d, i.is_open,
       getvariable('as_of')::DATE - (i.occurred_at AT TIME ZONE 'UTC')::DATE AS age_days
FROM item AS i
JOIN person AS p USING (person_id)
ORDER BY i.item, i.occurred_at DESC, i.interaction_id
