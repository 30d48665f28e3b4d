-- One row per person (not you) as of the as-of date; only touches on or before that day count.
-- Every measure is computed twice, as of the as-of date and 90 days earlier, in one pass: the
-- trend compares the two health scores. The backtest (pipelines/lib/metrics_backtest.py) runs
-- this same query with other as-of dates, so the score it validates is exactly this one.
-- Weights and thresholds are explained in docs/metrics.md.
WITH dates AS (
    SELECT getvariable('as_of')::DATE AS measured_on, true AS is_current
    UNION ALL
    SELECT getvariable('as_of')::DATE - 90, false
), person AS (
    SELECT person_id, display_name FROM core.people WHERE NOT is_owner
), touch AS (
    SELECT i.person_id, i.occurred_at, i.direction,
           (i.occurred_at AT TIME ZONE 'UTC')::DATE AS day,
           -- a conversation, not a one-sided touch: a meeting, a call, a logged coffee, a reply
           i.channel IN ('meeting', 'call', 'logged') OR coalesce(i.is_reply, false) AS is_two_way,
           CASE WHEN i.channel IN ('meeting', 'call', 'logged') THEN 3
                WHEN i.channel IN ('email', 'linkedin_message', 'recommendation') THEN 2
                ELSE 1 END AS depth_weight
    FROM core.interactions AS i
    JOIN person USING (person_id)
), seen AS (
    SELECT d.measured_on, t.*
    FROM dates AS d
    JOIN touch AS t ON t.day <= d.measured_on
), contact_day AS (
    SELECT DISTINCT measured_on, person_id, day FROM seen
), rhythm AS (
    SELECT measured_on, person_id, median(gap)::DOUBLE AS typical_gap_days
    FROM (
        SELECT measured_on, person_id,
               day - lag(day) OVER (PARTITION BY measured_on, person_id ORDER BY day) AS gap
        FROM contact_day
    )
    WHERE gap IS NOT NULL
    GROUP BY ALL
), summary AS (
    SELECT measured_on, person_id,
           max(occurred_at) AS last_interaction_at,
           max(occurred_at) FILTER (WHERE is_two_way) AS last_two_way_at,
           max(day) AS last_day,
           count(*) FILTER (WHERE day > measured_on - 30) AS interactions_30d,
           count(*) FILTER (WHERE day > measured_on - 90) AS interactions_90d,
           count(*) FILTER (WHERE day > measured_on - 365) AS interactions_365d,
           count(*) AS interactions_total,
           count(DISTINCT day) AS contact_days,
           count(DISTINCT day) FILTER (WHERE day > measured_on - 365) AS contact_days_365d,
           count(DISTINCT day) FILTER (WHERE is_two_way AND day > measured_on - 365)
               AS two_way_days_365d,
           count(*) FILTER (WHERE direction = 'inbound') AS inbound_count,
           count(*) FILTER (WHERE direction = 'outbound') AS outbound_count,
           count(*) FILTER (WHERE direction = 'inbound' AND day > measured_on - 365) AS inbound_365d,
           count(*) FILTER (WHERE direction = 'outbound' AND day > measured_on - 365)
               AS outbound_365d,
           avg(depth_weight) FILTER (WHERE day > measured_on - 365) AS channel_depth
    FROM seen
    GROUP BY ALL
), peak AS (
    -- how strong the tie was at its latest: contact days in the year up to the last contact
    SELECT s.measured_on, s.person_id, count(DISTINCT c.day) AS peak_contact_days
    FROM summary AS s
    JOIN contact_day AS c USING (measured_on, person_id)
    WHERE c.day > s.last_day - 365
    GROUP BY ALL
), measured AS (
    SELECT d.measured_on, d.is_current, p.person_id, p.display_name,
           s.* EXCLUDE (measured_on, person_id),
           d.measured_on - s.last_day AS days_since_last_interaction,
           d.measured_on - (s.last_two_way_at AT TIME ZONE 'UTC')::DATE AS days_since_last_two_way,
           r.typical_gap_days,
           coalesce(k.peak_contact_days, 0) AS peak_contact_days
    FROM dates AS d
    CROSS JOIN person AS p
    LEFT JOIN summary AS s ON s.measured_on = d.measured_on AND s.person_id = p.person_id
    LEFT JOIN rhythm AS r ON r.measured_on = d.measured_on AND r.person_id = p.person_id
    LEFT JOIN peak AS k ON k.measured_on = d.measured_on AND k.person_id = p.person_id
), components AS (
    SELECT *,
           -- recency: 40 points today, half of that after 90 days of silence
           40 * coalesce(pow(0.5, days_since_last_interaction / 90.0), 0) AS recency_points,
           -- frequency: 25 points for a contact day every week of the last year (log scale)
           25 * least(1, ln(1 + coalesce(contact_days_365d, 0)) / ln(53)) AS frequency_points,
           -- reciprocity: 10 points when both of you reach out equally often, 10 for two-way
           -- contact (conversations) every month of the last year (log scale)
           10 * coalesce(2 * least(inbound_365d, outbound_365d)
                         / nullif(inbound_365d + outbound_365d, 0), 0)
           + 10 * least(1, ln(1 + coalesce(two_way_days_365d, 0)) / ln(13)) AS reciprocity_points,
           -- depth: 15 points when every touch of the last year was a meeting or a call
           15 * coalesce((channel_depth - 1) / 2, 0) AS depth_points
    FROM measured
), scored AS (
    SELECT *,
           frequency_points + reciprocity_points + depth_points AS tie_strength,
           recency_points + frequency_points + reciprocity_points + depth_points AS health_score,
           -- a formerly strong tie (a contact day every two months in its last year) that has
           -- been silent for 8 times its usual rhythm or half a year
           peak_contact_days >= 6
               AND (days_since_last_interaction > 180
                    OR days_since_last_interaction > 8 * typical_gap_days) AS is_dormant
    FROM components
), current AS (
    SELECT s.*,
           CASE WHEN NOT s.is_dormant AND s.tie_strength > 0 THEN
               row_number() OVER (
                   PARTITION BY NOT s.is_dormant AND s.tie_strength > 0
                   ORDER BY s.tie_strength DESC, s.days_since_last_interaction, s.person_id)
           END AS strength_rank,
           earlier.health_score AS health_score_90d_ago
    FROM scored AS s
    LEFT JOIN scored AS earlier ON earlier.person_id = s.person_id AND NOT earlier.is_current
    WHERE s.is_current
), tiered AS (
    -- Dunbar-style layers: filled by rank of tie strength, each with a minimum strength
    SELECT *,
           CASE WHEN is_dormant THEN 'dormant'
                WHEN strength_rank <= 5 AND tie_strength >= 45 THEN 'inner'
                WHEN strength_rank <= 15 AND tie_strength >= 36 THEN 'close'
                WHEN strength_rank <= 50 AND tie_strength >= 28 THEN 'active'
                WHEN strength_rank <= 150 AND tie_strength >= 12 THEN 'wider'
                ELSE 'acquaintance' END AS tier
    FROM current
), cadence AS (
    -- default cadence per tier (ideal, maximum days between contacts)
    SELECT *,
           CASE tier WHEN 'inner' THEN 14 WHEN 'close' THEN 30 WHEN 'active' THEN 90
                     WHEN 'wider' THEN 180 END AS cadence_ideal_days,
           CASE tier WHEN 'inner' THEN 30 WHEN 'close' THEN 60 WHEN 'active' THEN 120
                     WHEN 'wider' THEN 365 END AS cadence_max_days
    FROM tiered
)
SELECT person_id, display_name, measured_on AS as_of,
       last_interaction_at, days_since_last_interaction,
       last_two_way_at, days_since_last_two_way,
       coalesce(interactions_30d, 0) AS interactions_30d,
       coalesce(interactions_90d, 0) AS interactions_90d,
       coalesce(interactions_365d, 0) AS interactions_365d,
       coalesce(interactions_total, 0) AS interactions_total,
       coalesce(contact_days, 0) AS contact_days,
       coalesce(contact_days_365d, 0) AS contact_days_365d,
       coalesce(two_way_days_365d, 0) AS two_way_days_365d,
       coalesce(inbound_count, 0) AS inbound_count,
       coalesce(outbound_count, 0) AS outbound_count,
       round((outbound_count - inbound_count) / nullif(outbound_count + inbound_count, 0), 3)
           AS initiative_balance,
       typical_gap_days,
       round(days_since_last_interaction / nullif(typical_gap_days, 0), 2) AS overdue_ratio,
       round(channel_depth, 2) AS channel_depth,
       round(recency_points, 1) AS recency_points,
       round(frequency_points, 1) AS frequency_points,
       round(reciprocity_points, 1) AS reciprocity_points,
       round(depth_points, 1) AS depth_points,
       round(tie_strength, 1) AS tie_strength,
       round(health_score, 1) AS health_score,
       round(health_score_90d_ago, 1) AS health_score_90d_ago,
       CASE WHEN health_score - health_score_90d_ago >= 10 THEN 'rising'
            WHEN health_score - health_score_90d_ago <= -10 THEN 'cooling'
            ELSE 'steady' END AS trend,
       strength_rank, peak_contact_days, tier,
       cadence_ideal_days, cadence_max_days,
       CASE WHEN cadence_ideal_days IS NULL THEN NULL
            WHEN days_since_last_interaction <= cadence_ideal_days THEN 'on_track'
            WHEN days_since_last_interaction <= cadence_max_days THEN 'due'
            ELSE 'overdue' END AS status
FROM cadence
ORDER BY health_score DESC, person_id
