-- One row per message, however many files, folders and exports hold a copy.
-- Copies are recognised two ways: the same message_key (Message-ID + sender + date), and the
-- same content (date, sender, subject, body hash) — some archives give each copy its own
-- Message-ID. A message takes the smallest message_key of its content group, then of its key
-- group, as `message_key`. The kept copy prefers one with a Gmail thread id, then the newest
-- export, then the file path and position. `copies`, `folders` and `gmail_labels` gather every
-- copy. A reply's `root:<Message-ID>` thread becomes the thread of that root message when the
-- root is in the warehouse, so a thread's first message and its replies share a thread_id.
-- `noise_reason` says why a message is not a sign of a relationship (a draft, list or bulk mail,
-- an automatic message, a no-reply sender, mail to more than `[email] many_recipients`
-- people); the first rule that applies wins. It is NULL for mail between people.
WITH by_content AS (
    SELECT
        *,
        min(message_key) OVER (
            PARTITION BY date_utc, from_address, subject, content_hash
        ) AS content_key
    FROM raw.email_messages
),
grouped AS (
    SELECT
        * EXCLUDE (content_key),
        message_key AS raw_message_key,
        min(content_key) OVER (PARTITION BY message_key) AS group_key
    FROM by_content
),
gathered AS (
    SELECT
        group_key,
        count(*) AS copies,
        list_sort(list_distinct(list(folder))) AS folders,
        CASE WHEN count(gmail_labels) > 0
            THEN list_sort(list_distinct(flatten(list(gmail_labels))))
        END AS all_labels
    FROM grouped
    GROUP BY group_key
),
kept AS (
    SELECT grouped.* EXCLUDE (message_key, gmail_labels), gathered.* EXCLUDE (group_key)
    FROM grouped JOIN gathered USING (group_key)
    QUALIFY row_number() OVER (
        PARTITION BY group_key
        ORDER BY (thread_id LIKE 'gmail:%') DESC, snapshot_date DESC NULLS LAST,
                 source_path, record_number
    ) = 1
),
roots AS (
    SELECT message_id, min(thread_id) AS root_thread
    FROM kept
    WHERE message_id IS NOT NULL
    GROUP BY message_id
)
SELECT
    kept.group_key AS message_key,
    kept.* EXCLUDE (group_key, all_labels, thread_id, copies, folders),
    CASE
        WHEN kept.thread_id LIKE 'root:%' THEN coalesce(roots.root_thread, kept.thread_id)
        ELSE kept.thread_id
    END AS thread_id,
    kept.all_labels AS gmail_labels,
    kept.folders,
    kept.copies,
    CASE
        WHEN list_contains(kept.all_labels, 'Drafts')
            OR len(list_filter(kept.folders, lambda f: lower(f) LIKE '%draft%')) > 0
            THEN 'draft, never sent'
        WHEN list_contains(kept.all_labels, 'Spam') THEN 'spam'
        WHEN kept.list_id IS NOT NULL THEN 'mailing list (List-Id)'
        WHEN kept.list_unsubscribe THEN 'bulk mail (List-Unsubscribe)'
        WHEN kept.precedence IN ('bulk', 'list', 'junk')
            THEN 'bulk mail (Precedence: ' || kept.precedence || ')'
        WHEN coalesce(kept.auto_submitted, 'no') <> 'no'
            THEN 'automatic message (Auto-Submitted: ' || kept.auto_submitted || ')'
        WHEN regexp_matches(
                split_part(kept.from_address, '@', 1),
                '(^|[.+_-])(no-?reply|do-?not-?reply|donotreply)([.+_-]|$)'
                || '|^(notifications?|notify|mailer-daemon|bounces?|postmaster|news(letter)?'
                || '|alerts?|updates?)([.+_-].*)?$'
            )
            THEN 'no-reply or notification sender'
        WHEN list_has_any(
                kept.all_labels, ['Category Promotions', 'Category Updates', 'Category Forums']
            )
            THEN 'bulk mail (Gmail ' || list_filter(
                kept.all_labels, lambda l: l LIKE 'Category %' AND l <> 'Category Personal'
            )[1] || ')'
        WHEN kept.recipient_count > getvariable('email_many_recipients')
            THEN 'sent to more than ' || getvariable('email_many_recipients') || ' recipients'
    END AS noise_reason
FROM kept
LEFT JOIN roots ON kept.thread_id LIKE 'root:%' AND roots.message_id = substr(kept.thread_id, 6)
