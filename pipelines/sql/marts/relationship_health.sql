-- One row per person you have been in touch with by the as-of date; only touches on or before
-- that day count. Every measure is computed twice, as of the as-of date and 90 days earlier, in
-- one pass: the trend compares the two health scores. The backtest
-- (pipelines/lib/metrics_backtest.py) runs this same query with other as-of dates, so the score
-- it validates is exactly this one. Weights and thresholds: docs/metrics.md.
-- Rhythm, frequency and two-way contact count conversations (marts.episodes: touches at most 3
-- days apart are one), not days or messages. The health score counts contact days of the last
-- two years, each weighed by its age (`weighted_day` below).
WITH dates AS (
    SELECT getvariable('as_of')::DATE AS measured_on, true AS is_current
    UNION ALL
    SELECT getvariable('as_of')::DATE - 90, false
), person AS (
    SELECT person_id, display_name FROM core.people WHERE NOT is_owner
), touch AS (
    SELECT i.person_id, i.occurred_at, i.direction,
           (i.occurred_at AT TIME ZONE 'UTC')::DATE AS day,
           -- a conversation, not a one-sided touch: time spent together (a meeting, a call, a
           -- coffee, an event, as the calendar or your own log says) or an answered message
           i.channel IN ('meeting', 'call', 'coffee', 'event') OR coalesce(i.is_reply, false)
               AS is_two_way,
           CASE WHEN i.channel IN ('meeting', 'call', 'coffee', 'event') THEN 3
                WHEN i.channel IN ('email', 'linkedin_message', 'message', 'recommendation',
                                   'other') THEN 2
                ELSE 1 END AS depth_weight,
           -- the kind of touch, strongest first, under which a contact day counts in the
           -- health score: 5 time together, 4 a reply, 3 written to you, 2 written by you,
           -- 1 a connection, an invitation or an endorsement
           CASE WHEN i.channel IN ('meeting', 'call', 'coffee', 'event') THEN 5
                WHEN coalesce(i.is_reply, false) THEN 4
                WHEN i.channel IN ('email', 'linkedin_message', 'message', 'recommendation',
                                   'other') THEN CASE WHEN i.direction = 'inbound' THEN 3 ELSE 2 END
                ELSE 1 END AS kind_rank,
           -- the conversation (episode) whose days the touch falls in; NULL for a touch outside
           -- every conversation (a lone connection, invitation or endorsement)
           CASE WHEN (i.occurred_at AT TIME ZONE 'UTC')::DATE <= e.ended_on
                THEN e.started_on END AS episode_started_on
    FROM core.interactions AS i
    JOIN person USING (person_id)
    ASOF LEFT JOIN marts.episodes AS e
      ON e.person_id = i.person_id AND (i.occurred_at AT TIME ZONE 'UTC')::DATE >= e.started_on
    WHERE (i.occurred_at AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
), seen AS (
    SELECT d.measured_on, t.*
    FROM dates AS d
    JOIN touch AS t ON t.day <= d.measured_on
), contact_day AS (
    SELECT DISTINCT measured_on, person_id, day FROM seen
), weighted_day AS (
    -- each contact day of the two years up to the date, weighed by its age (halved every 180
    -- days), under the strongest kind of touch on it; a day with only a click (connecting, an
    -- invitation, an endorsement) counts a quarter: it is a touch, not a conversation
    SELECT measured_on, person_id,
           pow(0.5, (measured_on - day) / 180.0) * CASE WHEN max(kind_rank) = 1 THEN 0.25 ELSE 1 END
               AS weight,
           max(kind_rank) AS kind_rank
    FROM seen
    WHERE day > measured_on - 730
    GROUP BY measured_on, person_id, day
), weighted AS (
    SELECT measured_on, person_id,
           sum(weight) AS weighted_contact_days,
           coalesce(sum(weight) FILTER (WHERE kind_rank = 5), 0) AS together_days,
           coalesce(sum(weight) FILTER (WHERE kind_rank = 4), 0) AS reply_days,
           coalesce(sum(weight) FILTER (WHERE kind_rank = 3), 0) AS from_them_days,
           coalesce(sum(weight) FILTER (WHERE kind_rank = 2), 0) AS from_you_days,
           coalesce(sum(weight) FILTER (WHERE kind_rank = 1), 0) AS connection_days
    FROM weighted_day
    GROUP BY ALL
), episode AS (
    SELECT DISTINCT measured_on, person_id, episode_started_on AS started_on
    FROM seen
    WHERE episode_started_on IS NOT NULL
), rhythm AS (
    -- the usual rhythm: the median gap between the starts of consecutive conversations, once
    -- there are at least 4 of them (3 gaps); fewer say nothing typical
    SELECT measured_on, person_id, median(gap)::DOUBLE AS typical_gap_days
    FROM (
        SELECT measured_on, person_id,
               started_on - lag(started_on) OVER (
                   PARTITION BY measured_on, person_id ORDER BY started_on) AS gap
        FROM episode
    )
    WHERE gap IS NOT NULL
    GROUP BY ALL
    HAVING count(*) >= 3
), summary AS (
    SELECT measured_on, person_id,
           max(occurred_at) AS last_interaction_at,
           max(occurred_at) FILTER (WHERE is_two_way) AS last_two_way_at,
           max(day) AS last_day,
           max(day) FILTER (WHERE episode_started_on IS NOT NULL) AS last_in_touch_on,
           count(*) FILTER (WHERE day > measured_on - 30) AS interactions_30d,
           count(*) FILTER (WHERE day > measured_on - 90) AS interactions_90d,
           count(*) FILTER (WHERE day > measured_on - 365) AS interactions_365d,
           count(*) AS interactions_total,
           count(DISTINCT day) AS contact_days,
           count(DISTINCT day) FILTER (WHERE day > measured_on - 365) AS contact_days_365d,
           count(DISTINCT day) FILTER (WHERE is_two_way AND day > measured_on - 365)
               AS two_way_days_365d,
           count(DISTINCT episode_started_on) AS episodes,
           count(DISTINCT episode_started_on) FILTER (WHERE day > measured_on - 365)
               AS episodes_365d,
           count(DISTINCT episode_started_on) FILTER (WHERE is_two_way AND day > measured_on - 365)
               AS two_way_episodes_365d,
           count(*) FILTER (WHERE direction = 'inbound') AS inbound_count,
           count(*) FILTER (WHERE direction = 'outbound') AS outbound_count,
           -- you wrote to them (a message or a reply of yours) or you spent time together; a
           -- stranger's unanswered messages never are, cold InMail or a cold e-mail sequence
           -- whose later messages carry reply headers (their "replies" count for nothing here)
           bool_or(kind_rank = 5 OR (direction = 'outbound' AND kind_rank IN (2, 4)))
               AS ever_engaged,
           count(*) FILTER (WHERE direction = 'inbound' AND day > measured_on - 365) AS inbound_365d,
           count(*) FILTER (WHERE direction = 'outbound' AND day > measured_on - 365)
               AS outbound_365d,
           avg(depth_weight) FILTER (WHERE day > measured_on - 365) AS channel_depth
    FROM seen
    GROUP BY ALL
), peak AS (
    -- how strong the tie was at its latest: contact days and conversations in the year up to
    -- the last contact
    SELECT s.measured_on, s.person_id, count(DISTINCT c.day) AS peak_contact_days,
           count(DISTINCT e.started_on) AS peak_episodes
    FROM summary AS s
    JOIN contact_day AS c USING (measured_on, person_id)
    LEFT JOIN episode AS e
      ON e.measured_on = s.measured_on AND e.person_id = s.person_id AND e.started_on = c.day
    WHERE c.day > s.last_day - 365
    GROUP BY ALL
), measured AS (
    -- everyone seen by the as-of date, at both dates (90 days earlier some may have no touch)
    SELECT d.measured_on, d.is_current, p.person_id, p.display_name,
           s.* EXCLUDE (measured_on, person_id),
           d.measured_on - s.last_day AS days_since_last_interaction,
           d.measured_on - s.last_in_touch_on AS days_since_in_touch,
           -- cadence and rhythm run from the last conversation: a connection accepted or an
           -- endorsement is not a check-in (without any conversation, from the last touch)
           d.measured_on - coalesce(s.last_in_touch_on, s.last_day) AS days_quiet,
           d.measured_on - (s.last_two_way_at AT TIME ZONE 'UTC')::DATE AS days_since_last_two_way,
           r.typical_gap_days,
           coalesce(w.weighted_contact_days, 0) AS weighted_contact_days,
           w.* EXCLUDE (measured_on, person_id, weighted_contact_days),
           coalesce(k.peak_contact_days, 0) AS peak_contact_days,
           coalesce(k.peak_episodes, 0) AS peak_episodes
    FROM dates AS d
    CROSS JOIN person AS p
    LEFT JOIN summary AS s ON s.measured_on = d.measured_on AND s.person_id = p.person_id
    LEFT JOIN rhythm AS r ON r.measured_on = d.measured_on AND r.person_id = p.person_id
    LEFT JOIN peak AS k ON k.measured_on = d.measured_on AND k.person_id = p.person_id
    LEFT JOIN weighted AS w ON w.measured_on = d.measured_on AND w.person_id = p.person_id
    WHERE p.person_id IN (SELECT person_id FROM touch)
), components AS (
    SELECT *,
           -- health: 100 points for 28 weighted contact days (a contact day every week of the
           -- last half year, say), on a log scale: the first days matter most
           100 * least(1, ln(1 + weighted_contact_days) / ln(29)) AS health_score,
           -- frequency: 25 points for a conversation every week of the last year (log scale)
           25 * least(1, ln(1 + coalesce(episodes_365d, 0)) / ln(53)) AS frequency_points,
           -- reciprocity: 10 points when both of you reach out equally often, 10 for a two-way
           -- conversation every month of the last year (log scale)
           10 * coalesce(2 * least(inbound_365d, outbound_365d)
                         / nullif(inbound_365d + outbound_365d, 0), 0)
           + 10 * least(1, ln(1 + coalesce(two_way_episodes_365d, 0)) / ln(13))
               AS reciprocity_points,
           -- depth: 15 points when every touch of the last year was time spent together
           15 * coalesce((channel_depth - 1) / 2, 0) AS depth_points
    FROM measured
), scored AS (
    SELECT *,
           frequency_points + reciprocity_points + depth_points AS tie_strength,
           -- the health score's parts: its points shared out over the kinds of the weighted
           -- contact days (they add up to the score)
           health_score * together_days / nullif(weighted_contact_days, 0) AS together_points,
           health_score * reply_days / nullif(weighted_contact_days, 0) AS reply_points,
           health_score * from_them_days / nullif(weighted_contact_days, 0) AS from_them_points,
           health_score * from_you_days / nullif(weighted_contact_days, 0) AS from_you_points,
           health_score * connection_days / nullif(weighted_contact_days, 0)
               AS connection_points,
           -- a formerly strong tie (a conversation every two months in its last year) silent
           -- for 8 times its usual rhythm, but never less than 90 days, and always after 180
           peak_episodes >= 6 AND ever_engaged
               AND days_quiet > greatest(90, least(180, 8 * coalesce(typical_gap_days, 180)))
               AS is_dormant
    FROM components
), current AS (
    SELECT s.*,
           -- only a tie you took part in is ranked, so tiers above acquaintance need one
           CASE WHEN NOT s.is_dormant AND s.tie_strength > 0 AND s.ever_engaged THEN
               row_number() OVER (
                   PARTITION BY NOT s.is_dormant AND s.tie_strength > 0 AND s.ever_engaged
                   ORDER BY s.tie_strength DESC, s.days_since_last_interaction, s.person_id)
           END AS strength_rank,
           earlier.health_score AS health_score_90d_ago
    FROM scored AS s
    LEFT JOIN scored AS earlier ON earlier.person_id = s.person_id AND NOT earlier.is_current
    WHERE s.is_current
), tiered AS (
    -- Dunbar-style layers, cumulative: the 5 strongest ties, the next 10 (15 in all), the next
    -- 35 (50), the next 100 (150); each layer also needs a minimum strength, so a small network
    -- does not call a single message "close"
    SELECT *,
           CASE WHEN is_dormant THEN 'dormant'
                WHEN strength_rank <= 5 AND tie_strength >= 45 THEN 'inner'
                WHEN strength_rank <= 15 AND tie_strength >= 36 THEN 'close'
                WHEN strength_rank <= 50 AND tie_strength >= 28 THEN 'active'
                WHEN strength_rank <= 150 AND tie_strength >= 12 THEN 'wider'
                ELSE 'acquaintance' END AS tier
    FROM current
), override AS (
    -- the cadence set in the dashboard (user state) beats the configuration; a person's own
    -- cadence beats their tags'; among several tags the most frequent wins
    SELECT person_id, ideal_days, max_days,
           CASE WHEN source = 'user_state' THEN 'user_state'
                WHEN scope = 'person' THEN 'person' ELSE 'tag:' || rule END AS cadence_source
    FROM marts.cadence_rules
    WHERE scope IN ('person', 'tag') AND person_id IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY person_id
        ORDER BY source = 'user_state' DESC, scope = 'person' DESC, ideal_days, max_days, rule
    ) = 1
), cadence AS (
    SELECT t.*,
           coalesce(o.ideal_days, c.ideal_days) AS cadence_ideal_days,
           coalesce(o.max_days, c.max_days) AS cadence_max_days,
           coalesce(o.cadence_source, CASE WHEN c.ideal_days IS NOT NULL THEN 'tier' END)
               AS cadence_source
    FROM tiered AS t
    LEFT JOIN override AS o USING (person_id)
    LEFT JOIN marts.cadence_rules AS c ON c.scope = 'tier' AND c.rule = t.tier
)
SELECT person_id, display_name, measured_on AS as_of,
       last_interaction_at, days_since_last_interaction,
       last_two_way_at, days_since_last_two_way,
       last_in_touch_on, days_since_in_touch,
       interactions_30d, interactions_90d, interactions_365d, interactions_total,
       contact_days, contact_days_365d, two_way_days_365d,
       episodes, episodes_365d, two_way_episodes_365d,
       -- in touch: a conversation (not only a connection, invitation or endorsement) in the
       -- 365 days up to the as-of date
       coalesce(episodes_365d, 0) > 0 AS in_touch,
       inbound_count, outbound_count, ever_engaged, inbound_365d, outbound_365d,
       round((outbound_count - inbound_count) / nullif(outbound_count + inbound_count, 0), 3)
           AS initiative_balance,
       typical_gap_days,
       round(days_quiet / nullif(typical_gap_days, 0), 2) AS overdue_ratio,
       round(channel_depth, 2) AS channel_depth,
       round(frequency_points, 1) AS frequency_points,
       round(reciprocity_points, 1) AS reciprocity_points,
       round(depth_points, 1) AS depth_points,
       round(tie_strength, 1) AS tie_strength,
       round(weighted_contact_days, 2) AS weighted_contact_days,
       round(coalesce(together_points, 0), 1) AS together_points,
       round(coalesce(reply_points, 0), 1) AS reply_points,
       round(coalesce(from_them_points, 0), 1) AS from_them_points,
       round(coalesce(from_you_points, 0), 1) AS from_you_points,
       round(coalesce(connection_points, 0), 1) AS connection_points,
       round(health_score, 1) AS health_score,
       round(health_score_90d_ago, 1) AS health_score_90d_ago,
       CASE WHEN health_score - health_score_90d_ago >= 5 THEN 'rising'
            WHEN health_score - health_score_90d_ago <= -5 THEN 'cooling'
            ELSE 'steady' END AS trend,
       strength_rank, peak_contact_days, peak_episodes, tier,
       cadence_ideal_days, cadence_max_days, cadence_source,
       coalesce(last_in_touch_on, last_day) + cadence_ideal_days::INTEGER AS due_on,
       CASE WHEN cadence_ideal_days IS NULL THEN NULL
            WHEN days_quiet <= cadence_ideal_days THEN 'on_track'
            WHEN days_quiet <= cadence_max_days THEN 'due'
            ELSE 'overdue' END AS status
FROM cadence
ORDER BY health_score DESC, person_id
