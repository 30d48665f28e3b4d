-- Candidate actions for the as-of week, every type, with the numbers behind each (`facts`, a
-- JSON object). This is not yet the list the user sees: the recommended_actions asset
-- (pipelines/lib/actions.py) applies the caps, the weekly pick's rotation, the no-nagging rule
-- and the user's feedback, and writes the reason and opening line. docs/actions.md explains
-- each rule.
WITH person AS (
    SELECT person_id, display_name FROM core.people WHERE NOT is_owner
), touch AS (
    SELECT i.*, (i.occurred_at AT TIME ZONE 'UTC')::DATE AS day
    FROM core.interactions AS i
    JOIN person USING (person_id)
    WHERE (i.occurred_at AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
), health AS (
    SELECT * FROM marts.relationship_health
), job AS (
    SELECT person_id, any_value(title ORDER BY source DESC) AS title,
           any_value(company ORDER BY source DESC) AS company
    FROM marts.person_jobs WHERE is_current GROUP BY ALL
), last_response AS (
    -- anything from their side: a message, an accepted invitation, a meeting
    SELECT person_id, max(occurred_at) AS responded_at
    FROM touch WHERE direction <> 'outbound' GROUP BY ALL
), unanswered AS (
    -- your messages and invitations since their last response
    SELECT t.person_id, count(*) AS messages, bool_or(t.kind = 'ask') AS includes_ask
    FROM touch AS t
    LEFT JOIN last_response AS r USING (person_id)
    WHERE t.direction = 'outbound'
      AND t.channel IN ('linkedin_message', 'email', 'invitation')
      AND (r.responded_at IS NULL OR t.occurred_at > r.responded_at)
    GROUP BY ALL
), past AS (
    -- what the data shows of your past with each person, for the weekly pick and for opening
    -- lines that claim nothing more: time together (a meeting, coffee, or any logged channel
    -- that is not writing), a call, a two-way written exchange, a LinkedIn connection
    SELECT person_id,
           max(day) FILTER (WHERE channel NOT IN (
               'linkedin_message', 'email', 'call', 'connection', 'invitation', 'endorsement',
               'recommendation', 'other')) AS met_on,
           arg_max(channel, occurred_at) FILTER (WHERE channel NOT IN (
               'linkedin_message', 'email', 'call', 'connection', 'invitation', 'endorsement',
               'recommendation', 'other')) AS met_channel,
           max(day) FILTER (WHERE channel = 'call') AS called_on,
           count(*) FILTER (WHERE channel IN ('linkedin_message', 'email')
                            AND direction = 'inbound') AS messages_in,
           count(*) FILTER (WHERE channel IN ('linkedin_message', 'email')
                            AND direction = 'outbound') AS messages_out,
           max(day) FILTER (WHERE channel IN ('linkedin_message', 'email')) AS wrote_on,
           arg_max(channel, occurred_at) FILTER (WHERE channel IN ('linkedin_message', 'email'))
               AS wrote_channel,
           min(day) FILTER (WHERE channel = 'connection') AS connected_on
    FROM touch
    GROUP BY ALL
), history AS (
    SELECT *, json_object('met_on', met_on, 'met_channel', met_channel, 'called_on', called_on,
                          'two_way', messages_in > 0 AND messages_out > 0,
                          'wrote_on', wrote_on, 'wrote_channel', wrote_channel,
                          'connected_on', connected_on) AS known
    FROM past
), reply_owed AS (
    SELECT 'reply_owed' AS action_type, f.person_id, f.thread_id AS subject,
           h.health_score AS value, getvariable('as_of')::DATE AS due_on,
           json_object('days', f.age_days, 'channel', f.channel,
                       'said', left(coalesce(m.content_text, e.snippet), 90),
                       'asked', i.kind = 'ask') AS facts
    FROM marts.follow_ups AS f
    JOIN core.interactions AS i ON i.interaction_id = f.interaction_id
    JOIN health AS h ON h.person_id = f.person_id
    LEFT JOIN staging.linkedin_messages AS m
      ON i.source_table = 'staging.linkedin_messages' AND m.message_key = i.source_key
    LEFT JOIN staging.email_messages AS e
      ON i.source_table = 'staging.email_messages' AND e.message_key = i.source_key
    WHERE f.item = 'reply_owed' AND f.age_days <= 30
      -- waiting for an answer: they asked for something or asked a question; a closing
      -- "thanks!" or "👍" is not waiting
      AND (i.kind = 'ask' OR contains(coalesce(m.content_text, e.snippet, ''), '?'))
), follow_up_new AS (
    SELECT 'follow_up_new', f.person_id, f.interaction_id,
           14 - f.age_days + h.health_score / 100,
           greatest(getvariable('as_of')::DATE, (f.occurred_at AT TIME ZONE 'UTC')::DATE + 2),
           json_object('days', f.age_days,
                       'what', CASE f.item WHEN 'meeting' THEN 'meeting' ELSE 'connection' END,
                       'on', (f.occurred_at AT TIME ZONE 'UTC')::DATE,
                       'title', j.title, 'company', j.company)
    FROM marts.follow_ups AS f
    JOIN health AS h USING (person_id)
    LEFT JOIN job AS j USING (person_id)
    WHERE f.item IN ('new_connection', 'meeting') AND f.is_open AND f.age_days <= 14
      -- a meeting is new when it is the first one with that person
      AND (f.item = 'new_connection' OR NOT EXISTS (
          SELECT 1 FROM touch AS t
          WHERE t.person_id = f.person_id AND t.channel = 'meeting'
            AND t.occurred_at < f.occurred_at))
), check_in_due AS (
    SELECT 'check_in_due', h.person_id, strftime(h.last_interaction_at, '%Y-%m-%d'),
           h.tie_strength
           + 10 * least(coalesce(h.days_since_in_touch, h.days_since_last_interaction)
                        / h.cadence_max_days, 3),
           -- due since the ideal gap passed, so now (not when it would turn overdue)
           greatest(getvariable('as_of')::DATE,
                    coalesce(h.last_in_touch_on, (h.last_interaction_at AT TIME ZONE 'UTC')::DATE)
                    + h.cadence_ideal_days::INTEGER),
           -- days since the last conversation: "since you were last in touch"
           json_object('days', coalesce(h.days_since_in_touch, h.days_since_last_interaction),
                       'tier', h.tier,
                       'cadence', h.cadence_ideal_days, 'typical_gap', h.typical_gap_days,
                       'contact_days_365d', h.contact_days_365d)
    FROM health AS h
    WHERE (h.tier IN ('inner', 'close', 'active') AND h.status IN ('due', 'overdue'))
       OR (h.tier = 'wider' AND h.status = 'overdue')
), job_change AS (
    SELECT person_id, observed_on, company, title,
           lag(observed_on) OVER w AS before_on, lag(company) OVER w AS before_company,
           lag(title) OVER w AS before_title
    FROM marts.person_jobs
    WHERE source = 'linkedin_connections'
    WINDOW w AS (PARTITION BY person_id ORDER BY observed_on)
    QUALIFY observed_on = max(observed_on) OVER (PARTITION BY person_id)
), congratulate_job AS (
    SELECT 'congratulate', c.person_id,
           'job:' || c.observed_on || ':' || coalesce(c.company, '') || ':' || coalesce(c.title, ''),
           h.health_score + CASE WHEN c.company IS DISTINCT FROM c.before_company THEN 20 ELSE 10 END,
           getvariable('as_of')::DATE + 6,
           json_object('occasion', CASE WHEN c.company IS DISTINCT FROM c.before_company
                                        THEN 'new_job' ELSE 'new_title' END,
                       'company', c.company, 'title', c.title,
                       'before_company', c.before_company, 'before_title', c.before_title,
                       'before_on', c.before_on, 'on', c.observed_on)
    FROM job_change AS c
    JOIN health AS h USING (person_id)
    WHERE c.before_on IS NOT NULL
      AND (c.company IS DISTINCT FROM c.before_company OR c.title IS DISTINCT FROM c.before_title)
      AND c.company IS NOT NULL AND c.title IS NOT NULL
      -- news from an export of the last 90 days; older news is no reason to write
      AND c.observed_on BETWEEN getvariable('as_of')::DATE - 90 AND getvariable('as_of')::DATE
      -- not when you already congratulated them since the earlier export
      AND NOT EXISTS (
          SELECT 1 FROM touch AS t
          WHERE t.person_id = c.person_id AND t.direction = 'outbound'
            AND t.subkind = 'congratulation' AND t.day >= c.before_on)
), birthday AS (
    SELECT s.person_id,
           coalesce(
               try_cast(printf('%04d-%02d-%02d', year(getvariable('as_of')::DATE),
                               b.birthday_month, b.birthday_day) AS DATE),
               -- 29 February in a year without one: the first of March
               try_cast(printf('%04d-03-01', year(getvariable('as_of')::DATE)) AS DATE))
               AS this_year
    FROM staging.contacts AS b
    JOIN core.person_sightings AS s
      ON s.source = 'contacts' AND s.ref = b.source_path || '#' || b.record_number::VARCHAR
    WHERE b.birthday_month IS NOT NULL AND b.birthday_day IS NOT NULL
), birthday_soon AS (
    SELECT DISTINCT person_id,
           CASE WHEN this_year < getvariable('as_of')::DATE THEN this_year + INTERVAL 1 YEAR
                ELSE this_year END::DATE AS on_day
    FROM birthday
), congratulate_birthday AS (
    SELECT 'congratulate', b.person_id, 'birthday:' || b.on_day, h.health_score + 30, b.on_day,
           json_object('occasion', 'birthday', 'on', b.on_day,
                       'in_days', b.on_day - getvariable('as_of')::DATE)
    FROM birthday_soon AS b
    JOIN health AS h USING (person_id)
    WHERE b.on_day BETWEEN getvariable('as_of')::DATE AND getvariable('as_of')::DATE + 6
), ledger AS (
    SELECT person_id,
           count(*) FILTER (WHERE direction = 'outbound' AND kind = 'ask') AS asks,
           count(*) FILTER (WHERE direction = 'outbound' AND kind = 'give') AS gives,
           count(*) FILTER (WHERE direction = 'inbound' AND kind = 'give') AS gives_received,
           max(interaction_id) FILTER (WHERE direction = 'outbound' AND kind = 'ask'
                                       AND occurred_at = latest_ask) AS latest_ask_id
    FROM (SELECT *, max(occurred_at) FILTER (WHERE direction = 'outbound' AND kind = 'ask')
                        OVER (PARTITION BY person_id) AS latest_ask
          FROM touch
          WHERE day > getvariable('as_of')::DATE - 365)
    GROUP BY ALL
), give_first AS (
    SELECT 'give_first', l.person_id, l.latest_ask_id,
           l.asks - l.gives + h.health_score / 100, getvariable('as_of')::DATE + 6,
           json_object('asks', l.asks, 'gives', l.gives, 'gives_received', l.gives_received,
                       'title', j.title, 'company', j.company)
    FROM ledger AS l
    JOIN health AS h USING (person_id)
    LEFT JOIN job AS j USING (person_id)
    WHERE l.asks >= 2 AND l.asks >= l.gives + 2
), reconnect_dormant AS (
    SELECT 'reconnect_dormant', h.person_id, strftime(h.last_interaction_at, '%Y-%m-%d'),
           least(h.peak_episodes, 30) + h.tie_strength / 10, getvariable('as_of')::DATE + 6,
           json_object('days', h.days_since_last_interaction,
                       'peak_episodes', h.peak_episodes,
                       'last_on', (h.last_interaction_at AT TIME ZONE 'UTC')::DATE,
                       'title', j.title, 'company', j.company, 'history', y.known)
    FROM health AS h
    JOIN history AS y USING (person_id)
    LEFT JOIN job AS j USING (person_id)
    WHERE h.tier = 'dormant'
), weekly_pick AS (
    -- the pool; the asset ranks it (value + goal relevance) and rotates through it by week.
    -- Only someone you have a real past with (a two-way exchange, a call, time together) or a
    -- contact for one of your goals: never a connection you have not written to
    SELECT 'weekly_pick', h.person_id,
           strftime(date_trunc('week', getvariable('as_of')::DATE), '%G-W%V'),
           40 * least(h.peak_contact_days, 20) / 20
           + CASE WHEN first_touch.first_day > getvariable('as_of')::DATE - 180 THEN 20 ELSE 0 END
           + 15 * (1 - h.health_score / 100),
           date_trunc('week', getvariable('as_of')::DATE)::DATE + 4,
           json_object('days', h.days_since_last_interaction,
                       'peak_contact_days', h.peak_contact_days, 'tier', h.tier,
                       'novel', first_touch.first_day > getvariable('as_of')::DATE - 180,
                       'first_on', first_touch.first_day,
                       'title', j.title, 'company', j.company, 'history', y.known)
    FROM health AS h
    JOIN (SELECT person_id, min(day) AS first_day FROM touch GROUP BY ALL) AS first_touch
      USING (person_id)
    JOIN history AS y USING (person_id)
    LEFT JOIN job AS j USING (person_id)
    WHERE h.days_since_last_interaction >= 21
      AND (h.peak_contact_days >= 3 OR first_touch.first_day > getvariable('as_of')::DATE - 180)
      AND ((y.messages_in > 0 AND y.messages_out > 0) OR y.met_on IS NOT NULL
           OR y.called_on IS NOT NULL
           OR h.person_id IN (SELECT person_id FROM marts.goal_contacts))
), introduce AS (
    SELECT 'introduce', person_a_id, 'introduce:' || person_b_id, score,
           getvariable('as_of')::DATE + 6,
           json_object('other_person_id', person_b_id, 'why', reason)
    FROM marts.introductions
), goal AS (
    -- a goal's contacts you have not been in touch with for a month, strongest tie first
    SELECT 'goal', g.person_id, 'goal:' || g.goal, coalesce(g.health_score, 0),
           getvariable('as_of')::DATE + 6,
           json_object('goal', g.goal, 'matched_on', g.matched_on, 'title', g.title,
                       'company', g.company, 'days', g.days_since_last_interaction,
                       'tier', g.tier, 'path', 'direct')
    FROM marts.goal_contacts AS g
    WHERE coalesce(g.days_since_last_interaction, 9999) > 30
    UNION ALL
    -- or a contact who can introduce you to one (for goals whose contacts are all weak ties)
    SELECT 'goal', w.via_person_id, 'goal:' || w.goal || ':' || w.through_person_id,
           w.via_health_score / 2, getvariable('as_of')::DATE + 6,
           json_object('goal', w.goal, 'other_person_id', w.through_person_id,
                       'why', w.reason, 'path', 'introduction')
    FROM marts.warm_paths AS w
    WHERE w.target_kind = 'goal' AND w.path_kind = 'knows someone there'
), candidate AS (
    SELECT * FROM reply_owed
    UNION ALL SELECT * FROM follow_up_new
    UNION ALL SELECT * FROM check_in_due
    UNION ALL SELECT * FROM congratulate_job
    UNION ALL SELECT * FROM congratulate_birthday
    UNION ALL SELECT * FROM give_first
    UNION ALL SELECT * FROM reconnect_dormant
    UNION ALL SELECT * FROM weekly_pick
    UNION ALL SELECT * FROM introduce
    UNION ALL SELECT * FROM goal
)
SELECT c.action_type, c.person_id, p.display_name AS person_name,
       c.facts ->> 'other_person_id' AS other_person_id, o.display_name AS other_person_name,
       c.facts ->> 'goal' AS goal, c.subject, round(c.value, 3)::DOUBLE AS value,
       c.due_on::DATE AS due_on,
       coalesce(u.messages, 0) AS unanswered_messages,
       coalesce(u.includes_ask, false) AS unanswered_ask,
       c.facts::VARCHAR AS facts
FROM candidate AS c
JOIN person AS p USING (person_id)
LEFT JOIN person AS o ON o.person_id = c.facts ->> 'other_person_id'
LEFT JOIN unanswered AS u ON u.person_id = c.person_id
ORDER BY c.action_type, value DESC, c.person_id, c.subject
