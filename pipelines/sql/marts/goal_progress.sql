-- Progress per goal: for each of the last 12 months up to the as-of month, how many of the
-- goal's contacts (marts.goal_contacts) you were in touch with and how many touches that was
-- (every interaction in core.interactions, either direction). Months without a touch are 0.
WITH month AS (
    SELECT unnest(generate_series(
               date_trunc('month', getvariable('as_of')::DATE - INTERVAL 11 MONTH),
               date_trunc('month', getvariable('as_of')::DATE)::TIMESTAMP,
               INTERVAL 1 MONTH))::DATE AS month
), touch AS (
    SELECT g.goal, date_trunc('month', i.occurred_at AT TIME ZONE 'UTC')::DATE AS month,
           i.person_id
    FROM core.interactions AS i
    JOIN marts.goal_contacts AS g USING (person_id)
    WHERE (i.occurred_at AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
)
SELECT g.goal, m.month,
       count(DISTINCT t.person_id)::INTEGER AS matched_contacts,
       count(t.person_id)::INTEGER AS touches
FROM marts.goals AS g
CROSS JOIN month AS m
LEFT JOIN touch AS t ON t.goal = g.goal AND t.month = m.month
GROUP BY ALL
ORDER BY g.goal, m.month
