-- One row per ISO week (Monday to Sunday) from the week of the first touch to the week of the
-- as-of date; the as-of week ends on the as-of date. `ties_in_touch` counts the people you
-- were in touch with: a conversation (marts.episodes) in the 365 days up to the end of the
-- week; a connection, an invitation or an endorsement alone does not count.
-- `full_year_of_history` is false in the first year after the first conversation, while that 365-day
-- window is still filling.
-- avg_health_top50 recomputes the health score of relationship_health.sql at each week's end
-- from the contact days of the two years up to it (keep the two formulas in step; a test
-- compares them on the as-of week), and averages it over the 50 strongest ties by the tie
-- strength of the trailing year; people silent for more than a year are not among them.
WITH person AS (
    -- person_n numbers people in the order of their ids: the per-week work below groups
    -- millions of (week, person) rows, and grouping on a number is cheaper than on a string
    SELECT person_id, row_number() OVER (ORDER BY person_id) AS person_n
    FROM core.people WHERE NOT is_owner
), touch AS (
    SELECT i.*, person.person_n, (i.occurred_at AT TIME ZONE 'UTC')::DATE AS day
    FROM core.interactions AS i
    JOIN person USING (person_id)
    WHERE (i.occurred_at AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
), week AS (
    -- every week, or (getvariable('rebuild_from') set) the weeks that end on or after that
    -- day: a week's row reads only the days up to its end (table_builds.build_table_from_day)
    SELECT * FROM (
        SELECT w::DATE AS week_start,
               least(w::DATE + 6, getvariable('as_of')::DATE) AS week_end
        FROM range(
            date_trunc('week', coalesce((SELECT min(day) FROM touch), getvariable('as_of')::DATE)),
            getvariable('as_of')::DATE + 1,
            INTERVAL 7 DAY
        ) AS r(w)
    )
    WHERE week_end >= coalesce(getvariable('rebuild_from')::DATE, week_end)
), in_week AS (
    SELECT date_trunc('week', day)::DATE AS week_start,
           count(*) FILTER (WHERE channel = 'connection') AS new_connections,
           count(*) FILTER (WHERE direction = 'inbound') AS interactions_in,
           count(*) FILTER (WHERE direction = 'outbound') AS interactions_out,
           count(*) FILTER (WHERE direction = 'outbound' AND kind = 'give') AS gives,
           count(*) FILTER (WHERE direction = 'outbound' AND kind = 'ask') AS asks,
           median(reply_latency_hours) FILTER (WHERE direction = 'outbound' AND is_reply)
               AS median_reply_latency_hours
    FROM touch
    GROUP BY ALL
), follow_up AS (
    SELECT date_trunc('week', (occurred_at AT TIME ZONE 'UTC')::DATE)::DATE AS week_start,
           avg(followed_up_within_2d::INTEGER) AS follow_up_2d_rate
    FROM marts.follow_ups
    WHERE item IN ('new_connection', 'meeting') AND followed_up_within_2d IS NOT NULL
    GROUP BY ALL
), episode_day AS (
    -- the start of the conversation (marts.episodes) each contact day falls in, if any
    SELECT d.person_n, d.day,
           CASE WHEN d.day <= e.ended_on THEN e.started_on END AS episode_started_on
    FROM (SELECT DISTINCT person_id, person_n, day FROM touch) AS d
    ASOF LEFT JOIN marts.episodes AS e ON e.person_id = d.person_id AND d.day >= e.started_on
), person_day AS (
    SELECT person_n, day, any_value(episode_started_on) AS episode_started_on,
           count(*) FILTER (WHERE direction = 'inbound') AS n_in,
           count(*) FILTER (WHERE direction = 'outbound') AS n_out,
           bool_or(channel IN ('meeting', 'call', 'coffee', 'event') OR coalesce(is_reply, false))
               AS two_way,
           sum(CASE WHEN channel IN ('meeting', 'call', 'coffee', 'event') THEN 3
                    WHEN channel IN ('email', 'linkedin_message', 'message', 'recommendation',
                                     'other') THEN 2
                    ELSE 1 END) AS depth_sum,
           count(*) AS n,
           -- only clicks that day (connecting, an invitation, an endorsement): a quarter day
           CASE WHEN bool_or(channel IN ('meeting', 'call', 'coffee', 'event', 'email',
                                         'linkedin_message', 'message', 'recommendation', 'other')
                             OR coalesce(is_reply, false))
                THEN 1 ELSE 0.25 END AS day_weight
    FROM touch
    LEFT JOIN episode_day USING (person_n, day)
    GROUP BY person_n, day
), day_in_episode AS (
    -- each contact day with the day before it in the same conversation, and a two-way day
    -- with the two-way day before it in the same conversation (NULL for the first)
    SELECT *,
           lag(day) OVER (PARTITION BY person_n, episode_started_on ORDER BY day) AS previous_day,
           lag(day) OVER (PARTITION BY person_n, episode_started_on, two_way ORDER BY day)
               AS previous_same_kind_day
    FROM person_day
), trailing_year AS (
    -- per week and person, the contact days of the trailing year. A conversation (days outside
    -- one do not count) is counted on its first day in that year: the day whose previous day
    -- of the same conversation falls before the year, and a two-way conversation on its first
    -- two-way day in the year. That counts distinct conversations without grouping by them.
    SELECT w.week_start, d.person_n,
           any_value(w.week_end) - max(d.day) AS days_since,
           count(*) FILTER (WHERE d.episode_started_on IS NOT NULL
                                AND (d.previous_day IS NULL
                                     OR d.previous_day <= w.week_end - 365)) AS episodes,
           count(*) FILTER (WHERE d.episode_started_on IS NOT NULL AND d.two_way
                                AND (d.previous_same_kind_day IS NULL
                                     OR d.previous_same_kind_day <= w.week_end - 365))
               AS two_way_episodes,
           sum(d.n_in) AS n_in, sum(d.n_out) AS n_out,
           sum(d.depth_sum) / sum(d.n) AS depth
    FROM week AS w
    JOIN day_in_episode AS d ON d.day > w.week_end - 365 AND d.day <= w.week_end
    GROUP BY w.week_start, d.person_n
), trailing_two_years AS (
    -- relationship_health's score: contact days of the two years, each halved every 180 days
    -- (a day of clicks only a quarter)
    SELECT w.week_start, d.person_n,
           100 * least(1, ln(1 + sum(d.day_weight * pow(0.5, (w.week_end - d.day) / 180.0)))
                          / ln(29))
               AS health_score
    FROM week AS w
    JOIN person_day AS d ON d.day > w.week_end - 730 AND d.day <= w.week_end
    GROUP BY w.week_start, d.person_n
), health AS (
    SELECT y.week_start, y.person_n, y.days_since, h.health_score,
           25 * least(1, ln(1 + y.episodes) / ln(53))
           + 10 * coalesce(2 * least(y.n_in, y.n_out) / nullif(y.n_in + y.n_out, 0), 0)
           + 10 * least(1, ln(1 + y.two_way_episodes) / ln(13))
           + 15 * (y.depth - 1) / 2 AS tie_strength
    FROM trailing_year AS y
    JOIN trailing_two_years AS h USING (week_start, person_n)
), in_touch AS (
    SELECT w.week_start, count(DISTINCT e.person_id) AS ties_in_touch
    FROM week AS w
    JOIN marts.episodes AS e ON e.started_on <= w.week_end AND e.ended_on > w.week_end - 365
    GROUP BY w.week_start
), strongest AS (
    SELECT week_start,
           avg(health_score) FILTER (WHERE strength <= 50) AS avg_health_top50
    FROM (SELECT *, row_number() OVER (PARTITION BY week_start
                                       ORDER BY tie_strength DESC, days_since, person_n)
                        AS strength
          FROM health)
    GROUP BY ALL
)
SELECT w.week_start, w.week_end,
       isoyear(w.week_start) AS iso_year, week(w.week_start) AS iso_week,
       coalesce(t.ties_in_touch, 0) AS ties_in_touch,
       -- the 365 days behind ties_in_touch all lie after the first conversation: before
       -- that the count climbs only because its window is still filling
       coalesce(w.week_end - 364 >= (SELECT min(started_on) FROM marts.episodes), false)
           AS full_year_of_history,
       coalesce(i.new_connections, 0) AS new_connections,
       coalesce(i.interactions_in, 0) AS interactions_in,
       coalesce(i.interactions_out, 0) AS interactions_out,
       coalesce(i.gives, 0) AS gives,
       coalesce(i.asks, 0) AS asks,
       round(f.follow_up_2d_rate, 3) AS follow_up_2d_rate,
       round(i.median_reply_latency_hours, 1) AS median_reply_latency_hours,
       round(s.avg_health_top50, 1) AS avg_health_top50
FROM week AS w
LEFT JOIN in_week AS i USING (week_start)
LEFT JOIN follow_up AS f USING (week_start)
LEFT JOIN strongest AS s USING (week_start)
LEFT JOIN in_touch AS t USING (week_start)
ORDER BY w.week_start
