-- Every employer and job title seen for each contact: one row per person, source and export.
-- LinkedIn connections give one row per export (snapshot_date), so a job change shows as two
-- rows; address books (contacts CSVs) add company and title where LinkedIn has none.
-- is_current marks the newest LinkedIn export a person is in, else their address-book rows.
WITH person AS (
    SELECT person_id FROM core.people WHERE NOT is_owner
), seen AS (
    SELECT s.person_id, nullif(trim(c.company), '') AS company,
           nullif(trim(c.position), '') AS title, 'linkedin_connections' AS source,
           c.snapshot_date AS observed_on
    FROM staging.linkedin_connections AS c
    JOIN core.person_sightings AS s
      ON s.source = 'linkedin_connections' AND s.ref = c.connection_key
    JOIN person USING (person_id)
    UNION ALL
    SELECT s.person_id, nullif(trim(c.company), ''), nullif(trim(c.title), ''), 'contacts',
           c.snapshot_date
    FROM staging.contacts AS c
    JOIN core.person_sightings AS s
      ON s.source = 'contacts' AND s.ref = c.source_path || '#' || c.record_number::VARCHAR
    JOIN person USING (person_id)
), ranked AS (
    SELECT DISTINCT *,
           CASE WHEN source = 'linkedin_connections' THEN
                    observed_on = max(observed_on) FILTER (WHERE source = 'linkedin_connections')
                                  OVER (PARTITION BY person_id)
                ELSE count(*) FILTER (WHERE source = 'linkedin_connections')
                         OVER (PARTITION BY person_id) = 0
           END AS is_current
    FROM seen
    WHERE company IS NOT NULL OR title IS NOT NULL
)
SELECT DISTINCT person_id, company, title, source, observed_on, is_current
FROM ranked
ORDER BY person_id, observed_on NULLS LAST, source
