-- The give/ask ledger as of the as-of date: per person, and one overall row (person_id NULL).
-- "gives"/"asks" are yours (outbound touches classified give/ask); "received" are theirs.
WITH person AS (
    SELECT person_id, display_name FROM core.people WHERE NOT is_owner
), touch AS (
    SELECT i.*
    FROM core.interactions AS i
    JOIN person USING (person_id)
    WHERE (i.occurred_at AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
), invitation AS (
    -- the invitations you sent, with or without a personal note
    SELECT s.person_id, i.has_note
    FROM staging.linkedin_invitations AS i
    JOIN core.person_sightings AS s
      ON s.source = 'linkedin_invitations' AND s.ref = i.invitation_key
    JOIN person USING (person_id)
    WHERE i.direction = 'OUTGOING'
      AND (i.sent_at AT TIME ZONE 'UTC')::DATE <= getvariable('as_of')::DATE
), ledger AS (
    SELECT person_id,
           count(*) FILTER (WHERE direction = 'outbound' AND kind = 'give') AS gives,
           count(*) FILTER (WHERE direction = 'outbound' AND kind = 'ask') AS asks,
           count(*) FILTER (WHERE direction = 'inbound' AND kind = 'give') AS gives_received,
           count(*) FILTER (WHERE direction = 'inbound' AND kind = 'ask') AS asks_received,
           count(*) FILTER (WHERE direction = 'outbound' AND kind = 'ask'
                            AND is_specific AND is_time_bound) AS asks_specific_time_bound,
           0 AS invitations_sent, 0 AS invitations_with_note
    FROM touch
    GROUP BY ALL
    UNION ALL
    SELECT person_id, 0, 0, 0, 0, 0, count(*), count(*) FILTER (WHERE has_note)
    FROM invitation
    GROUP BY ALL
), per_person AS (
    SELECT person_id, sum(COLUMNS(* EXCLUDE (person_id)))::BIGINT
    FROM ledger
    GROUP BY ALL
), with_total AS (
    SELECT * FROM per_person
    UNION ALL
    SELECT NULL, sum(COLUMNS(* EXCLUDE (person_id)))::BIGINT FROM per_person
)
SELECT t.person_id,
       coalesce(p.display_name, CASE WHEN t.person_id IS NULL THEN 'everyone' END)
           AS display_name,
       getvariable('as_of')::DATE AS as_of,
       t.gives, t.asks, t.gives_received, t.asks_received,
       t.gives - t.asks AS balance,
       t.gives_received - t.asks_received AS balance_received,
       t.asks_specific_time_bound,
       round(t.asks_specific_time_bound / nullif(t.asks, 0), 3) AS specific_ask_share,
       t.invitations_sent, t.invitations_with_note,
       round(t.invitations_with_note / nullif(t.invitations_sent, 0), 3) AS personal_invite_share
FROM with_total AS t
LEFT JOIN person AS p USING (person_id)
ORDER BY t.person_id NULLS FIRST
