-- Conversations ("episodes"): the one place that says what a conversation is. Every other
-- measure of rhythm, frequency and "being in touch" counts these rows (relationship_health,
-- weekly_trends, network_diversity, the dashboard's headline).
--
-- An episode is a run of written or in-person touches with one person (a message, an e-mail, a
-- recommendation, a meeting, a call, a coffee, an event; not a connection, an invitation or an
-- endorsement) in which each touch falls at most 3 days after the one before. A burst of
-- messages on consecutive days is one conversation, not a daily rhythm. Only touches up to the
-- as-of date count.
--
-- Which episode a touch belongs to depends only on the touches before it, so a query measuring
-- as of an earlier day D finds the same episode starts up to D (the backtest relies on that);
-- an episode that goes on after D has contact up to D exactly when it started on or before D.
WITH touch AS (
    SELECT i.person_id, i.direction,
           (i.occurred_at AT TIME ZONE 'UTC')::DATE AS day,
           i.channel IN ('meeting', 'call', 'coffee', 'event') OR coalesce(i.is_reply, false)
               AS is_two_way
    FROM core.interactions AS i
    JOIN core.people AS p ON p.person_id = i.person_id AND NOT p.is_owner
    WHERE i.channel IN ('meeting', 'call', 'coffee', 'event',
                        'email', 'linkedin_message', 'message', 'recommendation', 'other')
      AND (i.occurred_at AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
), contact_day AS (
    SELECT person_id, day,
           count(*) AS touches,
           count(*) FILTER (WHERE direction = 'inbound') AS inbound,
           count(*) FILTER (WHERE direction = 'outbound') AS outbound,
           bool_or(is_two_way) AS two_way
    FROM touch
    GROUP BY ALL
), flagged AS (
    -- a day more than 3 days after the previous contact day opens a new episode
    SELECT *,
           coalesce(day - lag(day) OVER (PARTITION BY person_id ORDER BY day) > 3, true)
               AS opens_episode
    FROM contact_day
), numbered AS (
    SELECT *,
           sum(opens_episode::INTEGER) OVER (PARTITION BY person_id ORDER BY day)
               AS episode_number
    FROM flagged
)
SELECT person_id, episode_number,
       min(day) AS started_on,
       max(day) AS ended_on,
       count(*) AS contact_days,
       sum(touches)::BIGINT AS touches,
       sum(inbound)::BIGINT AS inbound,
       sum(outbound)::BIGINT AS outbound,
       bool_or(two_way) AS is_two_way,
       getvariable('as_of')::DATE AS as_of
FROM numbered
GROUP BY person_id, episode_number
ORDER BY person_id, episode_number
