-- The contacts relevant to each goal. Reads `goal_terms` (goal, term_kind, term), which the
-- pipeline makes from the [[goals]] of the configuration (marts.goals) and warm_paths_for()
-- from a company or keyword the user types. A contact matches when their current job title
-- contains one of the goal's roles, their current employer one of its companies, or either
-- one of its keywords (case-insensitive; any one is enough). matched_on says which.
WITH job AS (
    SELECT person_id, title, company FROM marts.person_jobs WHERE is_current
    UNION
    -- core.people.company covers people seen only in messages or meetings with a company
    SELECT person_id, NULL, company FROM core.people WHERE NOT is_owner AND company IS NOT NULL
), hit AS (
    SELECT t.goal, j.person_id, t.term_kind, t.term,
           CASE WHEN t.term_kind = 'role' THEN j.title
                WHEN t.term_kind = 'company' THEN j.company
                WHEN contains(lower(coalesce(j.title, '')), lower(t.term)) THEN j.title
                ELSE j.company END AS matched_text
    FROM goal_terms AS t
    JOIN job AS j
      ON (t.term_kind = 'role' AND contains(lower(j.title), lower(t.term)))
      OR (t.term_kind = 'company' AND contains(lower(j.company), lower(t.term)))
      OR (t.term_kind = 'keyword' AND (contains(lower(j.title), lower(t.term))
                                       OR contains(lower(j.company), lower(t.term))))
    WHERE trim(t.term) <> ''
), current_job AS (
    SELECT person_id, any_value(title ORDER BY title NULLS LAST) AS title,
           any_value(company ORDER BY title NULLS LAST) AS company
    FROM job
    GROUP BY ALL
)
SELECT h.goal, h.person_id, p.display_name AS person_name,
       string_agg(DISTINCT h.term_kind || ' "' || h.term || '" (' || h.matched_text || ')', '; '
                  ORDER BY h.term_kind || ' "' || h.term || '" (' || h.matched_text || ')')
           AS matched_on,
       c.title, c.company,
       r.health_score, r.tier, r.days_since_last_interaction
FROM hit AS h
JOIN core.people AS p USING (person_id)
LEFT JOIN current_job AS c USING (person_id)
LEFT JOIN marts.relationship_health AS r USING (person_id)
GROUP BY ALL
ORDER BY h.goal, r.health_score DESC NULLS LAST, h.person_id
