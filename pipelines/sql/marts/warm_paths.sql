-- Who among your contacts leads to a target. Reads `target_people` (target, target_kind, goal,
-- person_id, matched_on): the people who are the target — the contacts of a goal, or the people
-- at a company or with a keyword in their title. Two kinds of path:
--   works there          the contact is one of the target people;
--   knows someone there  the contact shares threads or meetings with one of them
--                        (marts.co_appearances), works with them now or worked at their company
--                        before (marts.person_jobs); `through` is that person.
-- Each contact appears once per target, with their best connection; per target at most 25
-- "works there" and 15 "knows someone there", strongest ties first (via_health_score from
-- marts.relationship_health).
WITH target AS (
    SELECT DISTINCT target, target_kind, goal, person_id FROM target_people
), health AS (
    SELECT person_id, display_name, health_score, tier FROM marts.relationship_health
), job AS (
    SELECT person_id, any_value(title ORDER BY source DESC) AS title,
           any_value(company ORDER BY source DESC) AS company
    FROM marts.person_jobs WHERE is_current GROUP BY ALL
), employer AS (
    SELECT DISTINCT person_id, company, lower(company) AS company_key, is_current
    FROM marts.person_jobs WHERE company IS NOT NULL
), pair AS (
    SELECT person_a_id AS via_id, person_b_id AS through_id, shared_threads, shared_meetings
    FROM marts.co_appearances
    UNION ALL
    SELECT person_b_id, person_a_id, shared_threads, shared_meetings FROM marts.co_appearances
), link AS (
    SELECT t.target, t.target_kind, t.goal, p.via_id, t.person_id AS through_id,
           p.shared_threads + p.shared_meetings AS strength, 'shares' AS evidence,
           concat_ws(' and ',
               CASE WHEN p.shared_threads > 0 THEN p.shared_threads || ' thread'
                    || CASE WHEN p.shared_threads > 1 THEN 's' ELSE '' END END,
               CASE WHEN p.shared_meetings > 0 THEN p.shared_meetings || ' meeting'
                    || CASE WHEN p.shared_meetings > 1 THEN 's' ELSE '' END END) AS detail
    FROM target AS t
    JOIN pair AS p ON p.through_id = t.person_id
    UNION ALL
    SELECT t.target, t.target_kind, t.goal, ev.person_id, t.person_id,
           CASE WHEN ev.is_current THEN 0.5 ELSE 0.25 END,
           CASE WHEN ev.is_current THEN 'colleague' ELSE 'former' END, et.company
    FROM target AS t
    JOIN employer AS et ON et.person_id = t.person_id AND et.is_current
    JOIN employer AS ev ON ev.company_key = et.company_key AND ev.person_id <> t.person_id
), knows AS (
    SELECT l.*, tp.display_name AS through_name,
           tp.display_name || coalesce(' (' || concat_ws(', ', tj.title, tj.company) || ')', '')
               AS through_label
    FROM link AS l
    JOIN health AS tp ON tp.person_id = l.through_id
    LEFT JOIN job AS tj ON tj.person_id = l.through_id
    WHERE NOT EXISTS (
        SELECT 1 FROM target AS t
        WHERE t.target = l.target AND t.target_kind = l.target_kind AND t.person_id = l.via_id)
    QUALIFY row_number() OVER (
        PARTITION BY l.target, l.target_kind, l.via_id
        ORDER BY l.strength DESC, tp.health_score DESC, l.through_id) = 1
), path AS (
    SELECT t.target, t.target_kind, t.goal, t.person_id AS via_person_id,
           h.display_name AS via_name, 'works there' AS path_kind,
           NULL::VARCHAR AS through_person_id, NULL::VARCHAR AS through_name,
           h.health_score AS via_health_score,
           h.display_name || ' is ' || coalesce(j.title || ' at ' || j.company, j.title,
                                                'at ' || j.company, 'a match')
           || '; your tie: ' || h.tier || ', health ' || round(h.health_score)::INTEGER || '.'
               AS reason,
           0 AS kind_order
    FROM target AS t
    JOIN health AS h USING (person_id)
    LEFT JOIN job AS j USING (person_id)
    UNION ALL
    SELECT k.target, k.target_kind, k.goal, k.via_id, h.display_name, 'knows someone there',
           k.through_id, k.through_name, h.health_score,
           h.display_name || CASE k.evidence
               WHEN 'shares' THEN ' shares ' || k.detail || ' with ' || k.through_label
               WHEN 'colleague' THEN ' works with ' || k.through_label
               ELSE ' used to work at ' || k.detail || ', where ' || k.through_label
                    || ' works now' END
           || '; your tie: ' || h.tier || ', health ' || round(h.health_score)::INTEGER || '.',
           1
    FROM knows AS k
    JOIN health AS h ON h.person_id = k.via_id
)
SELECT target, target_kind, goal, via_person_id, via_name, path_kind, through_person_id,
       through_name, via_health_score, reason
FROM path
QUALIFY row_number() OVER (
    PARTITION BY target, target_kind, kind_order
    ORDER BY via_health_score DESC, via_person_id) <= CASE kind_order WHEN 0 THEN 25 ELSE 15 END
ORDER BY target, via_health_score DESC, kind_order, via_person_id
