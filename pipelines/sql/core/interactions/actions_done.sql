-- Actions you marked done in the dashboard (user_state.action_feedback): each is a touch from
-- you, when you marked it, so health, cadence and follow-ups reflect it. Only the latest event
-- per action counts (undo takes it back); an introduction touches both people. Kind: offering
-- help, congratulating and introducing are gives; the rest are neutral check-ins.
WITH latest AS (
    SELECT * FROM user_state.action_feedback
    QUALIFY row_number() OVER (PARTITION BY action_id ORDER BY recorded_at DESC) = 1
), done AS (
    SELECT action_id, action_type, recorded_at, person_id FROM latest WHERE status = 'done'
    UNION ALL
    SELECT action_id, action_type, recorded_at, other_person_id FROM latest
    WHERE status = 'done' AND other_person_id IS NOT NULL
)
SELECT d.person_id, d.recorded_at AS occurred_at, 'other' AS channel, 'outbound' AS direction,
       NULL::VARCHAR AS thread_id, d.action_type = 'reply_owed' AS is_reply,
       NULL::DOUBLE AS reply_latency_hours, NULL::VARCHAR AS text,
       CASE WHEN d.action_type IN ('give_first', 'congratulate', 'introduce') THEN 'give'
            ELSE 'neutral' END AS kind,
       coalesce(d.action_type, 'action') AS subkind,
       'an action you marked done' AS reason,
       NULL::VARCHAR AS noise_reason,
       'user_state.action_feedback' AS source_table, d.action_id AS source_key
FROM done AS d
JOIN core.people AS p ON p.person_id = d.person_id AND NOT p.is_owner
