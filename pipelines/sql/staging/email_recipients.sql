-- The To, Cc and Bcc recipients of each message of staging.email_messages, taken from the copy
-- that staging kept (a message stored in several files counts its recipients once).
SELECT
    m.message_key,
    r.address,
    r.name,
    r.x_name,
    r.role,
    r.position
FROM staging.email_messages AS m
JOIN raw.email_recipients AS r
    ON r.source_path = m.source_path AND r.record_number = m.record_number
