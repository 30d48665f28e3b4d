-- How varied the ties you are in touch with are (a conversation in the 365 days up to the
-- as-of date: relationship_health.in_touch, from marts.episodes): counted by
-- company, by seniority (read from the job title) and by sector (where the company name or the
-- e-mail domain says it). One row per dimension and value; "unknown" when nothing says.
WITH health AS (
    SELECT person_id, tier FROM marts.relationship_health WHERE in_touch
), listed AS (
    -- the person's rows in every LinkedIn export
    SELECT s.person_id, c.company, c.position, c.snapshot_date, c.connection_key
    FROM staging.linkedin_connections AS c
    JOIN core.person_sightings AS s
      ON s.source = 'linkedin_connections' AND s.ref = c.connection_key
), position AS (
    -- the newest export taken by the as-of date that lists the person
    SELECT person_id, company, position
    FROM listed
    WHERE snapshot_date IS NULL OR snapshot_date <= getvariable('as_of')::DATE
    QUALIFY row_number() OVER (
        PARTITION BY person_id ORDER BY snapshot_date DESC NULLS LAST, connection_key) = 1
), tie AS (
    -- core.people.company (address books, the newest export) only for people no LinkedIn export
    -- lists: for the others, a later export must not say where they worked before it was taken
    SELECT h.person_id, h.tier,
           nullif(trim(CASE WHEN h.person_id IN (SELECT person_id FROM listed) THEN pos.company
                            ELSE p.company END), '') AS company,
           lower(coalesce(pos.position, '')) AS title,
           lower(split_part(coalesce(p.primary_email, ''), '@', 2)) AS domain
    FROM health AS h
    JOIN core.people AS p USING (person_id)
    LEFT JOIN position AS pos USING (person_id)
), named AS (
    SELECT *, lower(coalesce(company, '')) AS company_lower FROM tie
), classified AS (
    SELECT *,
           -- first match wins: "Senior Director" is a director, "Intern Manager" an intern
           CASE WHEN title = '' THEN 'unknown'
                WHEN regexp_matches(title, '\b(intern|internship|trainee|apprentice|werkstudent|stagiaire)\b')
                    THEN 'intern'
                WHEN regexp_matches(title, '\b(student|phd candidate)\b') THEN 'student'
                WHEN regexp_matches(title, '\b(chief|ceo|cto|cfo|coo|cio|cmo|cpo|founder|co-founder|cofounder|president|owner|managing director|general manager)\b')
                    AND NOT regexp_matches(title, '\bvice president\b') THEN 'c_level'
                WHEN regexp_matches(title, '\b(vice president|vp|svp|evp)\b') THEN 'vp'
                WHEN regexp_matches(title, '\b(director|head of|head)\b') THEN 'director'
                WHEN regexp_matches(title, '\b(manager|team lead|lead)\b') THEN 'manager'
                WHEN regexp_matches(title, '\b(senior|sr|staff|principal|expert|architect)\b') THEN 'senior'
                WHEN regexp_matches(title, '\b(junior|jr|graduate|entry|assistant|associate)\b') THEN 'junior'
                ELSE 'mid' END AS seniority,
           CASE WHEN regexp_matches(domain, '(\.edu|\.ac\.[a-z]+)$')
                     OR regexp_matches(company_lower, '\b(university|college|school|institute|academy)\b')
                    THEN 'education'
                WHEN regexp_matches(domain, '\.gov(\.[a-z]+)?$')
                     OR regexp_matches(company_lower, '\b(ministry|government|council|city of|civic|public service)\b')
                    THEN 'government'
                WHEN regexp_matches(company_lower, '\b(hospital|health|healthcare|clinic|pharma|medical|biotech)\b')
                    THEN 'health'
                WHEN regexp_matches(company_lower, '\b(bank|capital|financial|finance|insurance|invest|investments|asset management)\b')
                    THEN 'finance'
                WHEN regexp_matches(company_lower, '\b(foundation|charity|ngo|non-profit|nonprofit)\b')
                     OR regexp_matches(domain, '\.org$') THEN 'nonprofit'
                WHEN regexp_matches(company_lower, '\b(consulting|consultants|advisory|partners)\b')
                    THEN 'consulting'
                WHEN regexp_matches(company_lower, '\b(software|labs|tech|technologies|data|cloud|ai|systems|digital|robotics|analytics)\b')
                    THEN 'technology'
                WHEN regexp_matches(company_lower, '\b(legal|law|llp|attorneys|solicitors)\b')
                    THEN 'legal'
                WHEN regexp_matches(company_lower, '\b(media|publishing|press|news|studio|design|agency)\b')
                    THEN 'media_and_design'
                WHEN regexp_matches(company_lower, '\b(retail|foods|food|grocery|stores|shop)\b')
                    THEN 'retail_and_food'
                WHEN regexp_matches(company_lower, '\b(logistics|rail|transport|shipping|airlines|construction|manufacturing|energy)\b')
                    THEN 'industry_and_transport'
                ELSE 'unknown' END AS sector
    FROM named
), counted AS (
    SELECT 'company' AS dimension, coalesce(company, 'unknown') AS value, tier FROM classified
    UNION ALL
    SELECT 'seniority', seniority, tier FROM classified
    UNION ALL
    SELECT 'sector', sector, tier FROM classified
)
SELECT dimension, value, getvariable('as_of')::DATE AS as_of,
       count(*) AS ties_in_touch,
       round(count(*) / sum(count(*)) OVER (PARTITION BY dimension), 3) AS share_of_ties_in_touch,
       count(*) FILTER (WHERE tier IN ('inner', 'close')) AS close_ties
FROM counted
GROUP BY dimension, value
ORDER BY dimension, ties_in_touch DESC, value
