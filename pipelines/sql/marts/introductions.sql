-- Pairs of your contacts worth introducing to each other, as of the as-of date. Both must be
-- reasonably strong ties of yours (tier inner, close or active in marts.relationship_health),
-- work at different companies (colleagues almost always know each other already, whatever your
-- own mail shows), never have been in touch as far as your data shows (no row in
-- marts.co_appearances: no shared thread, group message or meeting), and have a concrete
-- reason to meet:
--   6 points  one asked you for something the other's company, role or field answers
--             (marts.contact_needs: "introduce me to someone at Halcyon", "tips for getting
--             into design", "looking for a data engineer")
--   3 points  a former employer in common (LinkedIn exports, address books)
--   2 points  the same field at different companies: a word their job titles share ("data")
--   2 points  complementary roles (a founder and an investor, product and design, ...)
--   2 points  a goal of yours both serve (both in marts.goal_contacts for one goal)
-- plus up to 2 points for how strong both ties are (health scores / 100). The reason names
-- each link, the strongest first. The best 20 pairs are kept, each person in at most two.
WITH tie AS (
    SELECT person_id, display_name, tier, health_score
    FROM marts.relationship_health
    WHERE tier IN ('inner', 'close', 'active')
), job AS (
    -- jobs and employers are read for the ties alone: a pair is two ties, and joining every
    -- contact's title words or employers with everyone else's pairs millions of rows
    SELECT person_id, any_value(title ORDER BY source DESC) AS title,
           any_value(company ORDER BY source DESC) AS company
    FROM marts.person_jobs
    WHERE is_current AND person_id IN (SELECT person_id FROM tie)
    GROUP BY ALL
), current_employer AS (
    -- every employer a person is at now: the newest LinkedIn export or address book, or the
    -- company seen in their mail signature or domain (core.people)
    SELECT person_id, lower(trim(company)) AS company_key
    FROM marts.person_jobs
    WHERE is_current AND company IS NOT NULL AND person_id IN (SELECT person_id FROM tie)
    UNION
    SELECT person_id, lower(trim(company)) FROM core.people
    WHERE company IS NOT NULL AND person_id IN (SELECT person_id FROM tie)
), employer AS (
    SELECT DISTINCT person_id, company, lower(trim(company)) AS company_key
    FROM marts.person_jobs
    WHERE company IS NOT NULL AND person_id IN (SELECT person_id FROM tie)
), job_words AS (
    -- a person's current title and employer as words between spaces, to match whole words
    SELECT person_id, title, company,
           ' ' || trim(regexp_replace(lower(concat_ws(' ', title, company)),
                                      '[^\p{L}\p{N}&]+', ' ', 'g')) || ' ' AS words
    FROM job
), field AS (
    -- the words of a job title that say what someone does, not how senior they are
    SELECT person_id, unnest(list_distinct(list_filter(
               string_split_regex(lower(title), '[^\p{L}]+'),
               lambda w: length(w) > 2 AND w NOT IN (
                   'senior', 'junior', 'lead', 'head', 'chief', 'director', 'intern', 'staff',
                   'manager', 'officer', 'ceo', 'cto', 'coo', 'cfo', 'president', 'assistant',
                   'associate', 'principal', 'the', 'and', 'for', 'with', 'founder', 'vice',
                   'executive', 'partner', 'member', 'owner', 'specialist', 'consultant')))) AS word
    FROM job
    -- "at different companies" is only known when both companies are
    WHERE title IS NOT NULL AND company IS NOT NULL
), complement(pattern_a, pattern_b, label) AS (
    VALUES ('founder', 'investor|venture|principal|partner', 'a founder and an investor'),
           ('product manager|product owner', 'design', 'product and design'),
           ('data scientist|analyst|analytics', 'data engineer', 'analysis and data engineering'),
           ('founder', 'legal|lawyer|counsel', 'a founder and a lawyer'),
           ('research', 'founder', 'research and a founder')
), candidate AS (
    SELECT a.person_id AS a_id, b.person_id AS b_id
    FROM tie AS a
    JOIN tie AS b ON a.person_id < b.person_id
    WHERE NOT EXISTS (
        SELECT 1 FROM marts.co_appearances AS c
        WHERE c.person_a_id = a.person_id AND c.person_b_id = b.person_id
    )
      AND NOT EXISTS (
        SELECT 1 FROM current_employer AS ea
        JOIN current_employer AS eb ON eb.company_key = ea.company_key
        WHERE ea.person_id = a.person_id AND eb.person_id = b.person_id
    )
), need_term AS (
    -- each need with the words that answer it, normalised like job_words
    SELECT person_id, need_kind, need, asked_for, said, asked_on,
           trim(regexp_replace(unnest(answered_by), '[^\p{L}\p{N}&]+', ' ', 'g')) AS term
    FROM marts.contact_needs
), need_answered AS (
    -- the latest need of one that the other's current job answers, in either direction: a
    -- whole word or phrase of their title or employer ("design" also answers "designer")
    SELECT c.a_id, c.b_id, n.person_id AS asker_id, n.need_kind, n.need, n.asked_for, n.said,
           n.asked_on
    FROM candidate AS c
    JOIN need_term AS n ON n.person_id IN (c.a_id, c.b_id)
    JOIN job_words AS w ON w.person_id = CASE WHEN n.person_id = c.a_id THEN c.b_id ELSE c.a_id END
    WHERE n.term <> ''
      AND (contains(w.words, ' ' || n.term || ' ') OR contains(w.words, ' ' || n.term || 'er ')
           OR contains(w.words, ' ' || n.term || 's '))
      -- not when the asker's own job already answers it (a designer asking about design)
      AND NOT EXISTS (
          SELECT 1 FROM need_term AS o
          JOIN job_words AS own ON own.person_id = o.person_id
          WHERE o.person_id = n.person_id AND o.need_kind = n.need_kind AND o.need = n.need
            AND o.term <> ''
            AND (contains(own.words, ' ' || o.term || ' ')
                 OR contains(own.words, ' ' || o.term || 'er ')
                 OR contains(own.words, ' ' || o.term || 's ')))
    QUALIFY row_number() OVER (PARTITION BY c.a_id, c.b_id
                               ORDER BY n.asked_on DESC, n.need_kind, n.need) = 1
), former_employer AS (
    -- candidates never share a current employer, so a shared one is a former one for at
    -- least one of them
    SELECT c.a_id, c.b_id, string_agg(DISTINCT ea.company, ', ' ORDER BY ea.company) AS companies
    FROM candidate AS c
    JOIN employer AS ea ON ea.person_id = c.a_id
    JOIN employer AS eb ON eb.person_id = c.b_id AND eb.company_key = ea.company_key
    GROUP BY ALL
), shared_field AS (
    SELECT c.a_id, c.b_id, string_agg(DISTINCT fa.word, ', ' ORDER BY fa.word) AS words
    FROM candidate AS c
    JOIN field AS fa ON fa.person_id = c.a_id
    JOIN field AS fb ON fb.person_id = c.b_id AND fb.word = fa.word
    GROUP BY ALL
), complementary AS (
    SELECT c.a_id, c.b_id, min(x.label) AS label
    FROM candidate AS c
    JOIN job AS ja ON ja.person_id = c.a_id
    JOIN job AS jb ON jb.person_id = c.b_id
    JOIN complement AS x
      ON (regexp_matches(lower(ja.title), x.pattern_a)
          AND regexp_matches(lower(jb.title), x.pattern_b))
      OR (regexp_matches(lower(jb.title), x.pattern_a)
          AND regexp_matches(lower(ja.title), x.pattern_b))
    GROUP BY ALL
), shared_goal AS (
    SELECT c.a_id, c.b_id, min(ga.goal) AS goal
    FROM candidate AS c
    JOIN marts.goal_contacts AS ga ON ga.person_id = c.a_id
    JOIN marts.goal_contacts AS gb ON gb.person_id = c.b_id AND gb.goal = ga.goal
    GROUP BY ALL
), scored AS (
    SELECT c.a_id, c.b_id, na.asker_id, na.need_kind, na.need, na.asked_for, na.said,
           na.asked_on, fe.companies, sf.words, cp.label, sg.goal,
           CASE WHEN na.need IS NULL THEN 0 ELSE 6 END
           + CASE WHEN fe.companies IS NULL THEN 0 ELSE 3 END
           + CASE WHEN sf.words IS NULL THEN 0 ELSE 2 END
           + CASE WHEN cp.label IS NULL THEN 0 ELSE 2 END
           + CASE WHEN sg.goal IS NULL THEN 0 ELSE 2 END AS common_ground,
           CASE WHEN na.need IS NOT NULL THEN 'need'
                WHEN fe.companies IS NOT NULL THEN 'former_employer'
                WHEN sf.words IS NOT NULL THEN 'same_field'
                WHEN cp.label IS NOT NULL THEN 'complementary_roles'
                WHEN sg.goal IS NOT NULL THEN 'shared_goal' END AS main_link,
           (ta.health_score + tb.health_score) / 100.0 AS strength,
           ta.display_name AS a_name, tb.display_name AS b_name,
           ta.tier AS a_tier, tb.tier AS b_tier,
           ta.health_score AS a_health, tb.health_score AS b_health,
           ja.title AS a_title, ja.company AS a_company, jb.title AS b_title,
           jb.company AS b_company
    FROM candidate AS c
    JOIN tie AS ta ON ta.person_id = c.a_id
    JOIN tie AS tb ON tb.person_id = c.b_id
    LEFT JOIN job AS ja ON ja.person_id = c.a_id
    LEFT JOIN job AS jb ON jb.person_id = c.b_id
    LEFT JOIN need_answered AS na USING (a_id, b_id)
    LEFT JOIN former_employer AS fe USING (a_id, b_id)
    LEFT JOIN shared_field AS sf USING (a_id, b_id)
    LEFT JOIN complementary AS cp USING (a_id, b_id)
    LEFT JOIN shared_goal AS sg USING (a_id, b_id)
), worth AS (
    SELECT *, round(common_ground + strength, 2) AS score
    FROM scored
    WHERE common_ground >= 2
), ranked AS (
    SELECT *, row_number() OVER (ORDER BY score DESC, a_id, b_id) AS r FROM worth
), appearance AS (
    SELECT r, a_id AS person_id FROM ranked UNION ALL SELECT r, b_id FROM ranked
), spread AS (
    -- nobody in more than two suggestions: a pair goes when either person is already in two
    -- better ones
    SELECT * FROM ranked
    WHERE r NOT IN (
        SELECT r FROM appearance
        QUALIFY row_number() OVER (PARTITION BY person_id ORDER BY r) > 2
    )
), worded AS (
    SELECT *,
           CASE WHEN asker_id = a_id THEN a_name ELSE b_name END AS asker_name,
           CASE WHEN asker_id = a_id THEN b_name ELSE a_name END AS answerer_name,
           CASE WHEN asker_id = a_id THEN coalesce(b_title || ' at ' || b_company, b_title,
                                                    'at ' || b_company)
                ELSE coalesce(a_title || ' at ' || a_company, a_title, 'at ' || a_company)
           END AS answerer_job
    FROM spread
)
SELECT a_id AS person_a_id, a_name AS person_a_name, b_id AS person_b_id, b_name AS person_b_name,
       score, main_link,
       a_name || ' (' || concat_ws(', ', a_title, a_company) || ') and ' || b_name || ' ('
       || concat_ws(', ', b_title, b_company) || '): '
       || concat_ws('; ',
              CASE WHEN need IS NOT NULL THEN
                  asker_name || ' asked you for ' || asked_for || ' on ' || strftime(asked_on, '%-d %b %Y') || ' (“' || said || '”), and '
                  || answerer_name || ' is ' || answerer_job END,
              CASE WHEN companies IS NOT NULL THEN
                  'a former employer in common: both have worked at ' || companies END,
              CASE WHEN words IS NOT NULL THEN
                  'the same field at different companies (“' || replace(words, ', ', '”, “')
                  || '” in both job titles)' END,
              CASE WHEN label IS NOT NULL THEN 'complementary roles (' || label || ')' END,
              CASE WHEN goal IS NOT NULL THEN 'both fit your goal “' || goal || '”' END)
       || '; both are ' || CASE WHEN a_tier = b_tier THEN a_tier || ' ties'
                                ELSE a_tier || ' and ' || b_tier || ' ties' END
       || ' of yours (health ' || round(a_health)::INTEGER || ' and '
       || round(b_health)::INTEGER || '), and they have never shared a thread or a meeting.'
           AS reason
FROM worded
ORDER BY score DESC, person_a_id, person_b_id
LIMIT 20
