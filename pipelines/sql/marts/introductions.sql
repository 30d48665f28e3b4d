-- Pairs of your contacts worth introducing to each other, as of the as-of date. Both must be
-- reasonably strong ties of yours (tier inner, close or active in marts.relationship_health),
-- never in touch with each other as far as your data shows (no row in marts.co_appearances:
-- no shared thread, co-recipient history or meeting), and have something in common:
--   3 points  a shared employer, now or earlier (LinkedIn exports, address books)
--   2 points  the same line of work: a word their current job titles share ("product")
--   2 points  complementary roles (a founder and an investor, product and design, ...)
-- plus up to 2 points for how strong both ties are (health scores / 100). A pair needs at least
-- 2 points of common ground. The best 20 pairs are kept, each person in at most two of them.
WITH tie AS (
    SELECT person_id, display_name, tier, health_score
    FROM marts.relationship_health
    WHERE tier IN ('inner', 'close', 'active')
), job AS (
    SELECT person_id, any_value(title ORDER BY source DESC) AS title,
           any_value(company ORDER BY source DESC) AS company
    FROM marts.person_jobs
    WHERE is_current
    GROUP BY ALL
), employer AS (
    SELECT DISTINCT person_id, company, lower(company) AS company_key, is_current
    FROM marts.person_jobs
    WHERE company IS NOT NULL
), field AS (
    -- the words of a job title that say what someone does, not how senior they are
    SELECT person_id, unnest(list_distinct(list_filter(
               string_split_regex(lower(title), '[^\p{L}]+'),
               lambda w: length(w) > 2 AND w NOT IN (
                   'senior', 'junior', 'lead', 'head', 'chief', 'director', 'intern', 'staff',
                   'manager', 'officer', 'ceo', 'cto', 'coo', 'cfo', 'president', 'assistant',
                   'associate', 'principal', 'the', 'and', 'for', 'with')))) AS word
    FROM job
    WHERE title IS NOT NULL
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
), shared_employer AS (
    SELECT c.a_id, c.b_id,
           string_agg(DISTINCT ea.company, ', ' ORDER BY ea.company) AS companies,
           bool_or(ea.is_current AND eb.is_current) AS both_there_now
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
), scored AS (
    SELECT c.a_id, c.b_id, se.companies, se.both_there_now, sf.words, cp.label,
           CASE WHEN se.companies IS NULL THEN 0 ELSE 3 END
           + CASE WHEN sf.words IS NULL THEN 0 ELSE 2 END
           + CASE WHEN cp.label IS NULL THEN 0 ELSE 2 END AS common_ground,
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
    LEFT JOIN shared_employer AS se USING (a_id, b_id)
    LEFT JOIN shared_field AS sf USING (a_id, b_id)
    LEFT JOIN complementary AS cp USING (a_id, b_id)
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
)
SELECT a_id AS person_a_id, a_name AS person_a_name, b_id AS person_b_id, b_name AS person_b_name,
       score,
       a_name || ' (' || concat_ws(', ', a_title, a_company) || ') and ' || b_name || ' ('
       || concat_ws(', ', b_title, b_company) || '): '
       || concat_ws('; ',
              CASE WHEN companies IS NOT NULL THEN
                  'both ' || CASE WHEN both_there_now THEN 'work' ELSE 'worked' END
                  || ' at ' || companies END,
              CASE WHEN words IS NOT NULL THEN 'similar roles (' || words || ')' END,
              CASE WHEN label IS NOT NULL THEN 'complementary roles (' || label || ')' END)
       || '; both are ' || CASE WHEN a_tier = b_tier THEN a_tier || ' ties'
                                ELSE a_tier || ' and ' || b_tier || ' ties' END
       || ' of yours (health ' || round(a_health)::INTEGER || ' and '
       || round(b_health)::INTEGER || '), and they have never shared a thread or a meeting.'
           AS reason
FROM spread
ORDER BY score DESC, person_a_id, person_b_id
LIMIT 20
