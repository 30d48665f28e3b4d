-- One row per message, however many files, folders and exports hold a copy.
-- Copies are recognised three ways: the same message_key (Message-ID + sender + date), the
-- same content (date, sender, subject, body hash) — some archives give each copy its own
-- Message-ID — and a copy stamped whole hours off (`shifted_copy` below). A message takes the
-- smallest message_key of its content group, then of its key group, as `message_key`. The
-- kept copy prefers one with a Gmail thread id, then the earliest date (a shifted copy is
-- later), then the newest export, then the file path and position. `copies`, `folders` and
-- `gmail_labels` gather every copy. A reply's `root:<Message-ID>` thread becomes the thread of
-- that root message when the root is in the warehouse, so a thread's first message and its
-- replies share a thread_id.
-- Mail without reply headers is threaded by subject and shared people (`subject_mail` below);
-- `parent_message_key` is the message it follows, `answers_something` says the message itself
-- (its reply headers, a Re:/AW:/SV: subject, or a quoted original in its body) is a reply.
-- `noise_reason` says why a message is not a sign of a relationship (a draft, list or bulk mail,
-- an automatic message, a no-reply sender, mail to more than `[email] many_recipients`
-- people, mail that did not name you from someone you never wrote to); the first rule that
-- applies wins. It is NULL for mail between people.
-- Copies are found, and the copy to keep chosen, on the few columns each rule reads (`rid` is
-- the raw row); the kept copy's other columns are joined once, at the end: carrying every
-- column through the window functions and joins made DuckDB spill on a large mailbox.
WITH group_of AS (
    SELECT rid, min(content_key) OVER (PARTITION BY message_key) AS group_key
    FROM (
        SELECT
            rowid AS rid,
            message_key,
            min(message_key) OVER (
                PARTITION BY date_utc, from_address, subject, content_hash
            ) AS content_key
        FROM raw.email_messages
    )
),
grouped AS (
    SELECT g.rid, g.group_key, m.date_utc, m.from_address, m.subject, m.recipient_count,
           m.snippet
    FROM raw.email_messages AS m
    JOIN group_of AS g ON m.rowid = g.rid
),
-- Some archives keep a second copy of a sent message stamped whole hours off (the Enron Notes
-- folders: 10 or 11 hours) and re-wrapped, so its body hash differs. Such a copy is the same
-- message: same sender, subject, number of recipients and start of the new text, the same
-- minute and second, 1 to 24 whole hours later. The earliest copy's group takes it.
group_head AS (
    SELECT group_key, min(date_utc) AS date_utc, any_value(from_address) AS from_address,
           any_value(subject) AS subject, any_value(recipient_count) AS recipient_count,
           any_value(left(snippet, 60)) AS snippet_head
    FROM grouped
    WHERE date_utc IS NOT NULL AND coalesce(subject, '') <> '' AND coalesce(snippet, '') <> ''
    GROUP BY group_key
),
shifted_copy AS (
    SELECT later.group_key, min(earlier.group_key) AS original_key
    FROM group_head AS earlier
    JOIN group_head AS later
        ON later.from_address = earlier.from_address AND later.subject = earlier.subject
        AND later.recipient_count = earlier.recipient_count
        AND later.snippet_head = earlier.snippet_head
        AND later.date_utc > earlier.date_utc
        AND later.date_utc <= earlier.date_utc + INTERVAL 24 HOUR
        AND (epoch(later.date_utc) - epoch(earlier.date_utc)) % 3600 = 0
    GROUP BY later.group_key
),
regrouped AS (
    SELECT grouped.rid, coalesce(shifted_copy.original_key, grouped.group_key) AS group_key
    FROM grouped LEFT JOIN shifted_copy USING (group_key)
),
kept_copy AS (
    SELECT r.rid, r.group_key, count(*) OVER (PARTITION BY r.group_key) AS copies
    FROM regrouped AS r
    JOIN raw.email_messages AS m ON m.rowid = r.rid
    QUALIFY row_number() OVER (
        PARTITION BY r.group_key
        ORDER BY (m.thread_id LIKE 'gmail:%') DESC, m.date_utc NULLS LAST,
                 m.snapshot_date DESC NULLS LAST, m.source_path, m.record_number
    ) = 1
),
-- The folders and labels of every copy, gathered for the messages with more than one copy
-- only: nearly every message has a single copy, whose own folder and labels are its lists.
gathered AS (
    SELECT
        r.group_key,
        list_sort(list_distinct(list(m.folder))) AS folders,
        CASE WHEN count(m.gmail_labels) > 0
            THEN list_sort(list_distinct(flatten(list(m.gmail_labels))))
        END AS all_labels
    FROM regrouped AS r
    JOIN raw.email_messages AS m ON m.rowid = r.rid
    WHERE r.group_key IN (SELECT group_key FROM kept_copy WHERE copies > 1)
    GROUP BY r.group_key
),
kept AS (
    SELECT m.* EXCLUDE (message_key, gmail_labels), m.message_key AS raw_message_key,
           k.group_key, k.copies,
           CASE WHEN k.copies > 1 THEN g.folders ELSE list_sort(list_distinct([m.folder])) END
               AS folders,
           CASE WHEN k.copies > 1 THEN g.all_labels
                WHEN m.gmail_labels IS NOT NULL THEN list_sort(list_distinct(m.gmail_labels))
           END AS all_labels
    FROM kept_copy AS k
    JOIN raw.email_messages AS m ON m.rowid = k.rid
    LEFT JOIN gathered AS g ON g.group_key = k.group_key
),
-- Mail without reply headers (thread ids `subject:`) is threaded again: a message follows the
-- latest earlier message (at most 60 days before) with the same subject once RE:/FW:/AW:/SV:/
-- Re[2]:... prefixes are dropped, on which at least one of its people also was (sender or
-- recipient, the owner aside); the thread is that chain's first message. A reply that drops a
-- Cc, or answers one person of many, stays in its thread. A message with a bare subject (no
-- RE:/FW: prefix) that quotes nothing never follows an earlier message of its own sender: that
-- is the same sender writing the same subject again (a weekly "Staff Meeting" notice, a
-- newsletter, an automatic report), not a reply. In a hand-checked sample of 52 subject matches
-- on the four Enron development mailboxes (docs/email.md), 22 of the 25 wrong ones were such.
subject_mail AS (
    SELECT group_key, date_utc, from_address,
           regexp_matches(subject, '^\s*(re|fw|fwd|aw|wg|sv|vs|antw|tr|rif)\s*(\[\d+\])?\s*:', 'i')
               OR coalesce(quotes_earlier_message, false) AS follows_up,
           regexp_replace(
               lower(trim(regexp_replace(subject, '\s+', ' ', 'g'))),
               '^\s*((re|fw|fwd|aw|wg|sv|vs|antw|tr|rif)\s*(\[\d+\])?\s*:\s*)+', ''
           ) AS topic
    FROM kept
    WHERE thread_id LIKE 'subject:%' AND date_utc IS NOT NULL
),
subject_person AS (
    SELECT DISTINCT k.group_key, a.address
    FROM kept AS k
    JOIN subject_mail USING (group_key)
    CROSS JOIN LATERAL (
        SELECT k.from_address AS address
        UNION ALL
        SELECT r.address FROM raw.email_recipients AS r
        WHERE r.source_path = k.source_path AND r.record_number = k.record_number
    ) AS a
    WHERE a.address IS NOT NULL
),
-- The owner is on every message, so sharing them says nothing: their configured addresses
-- (`[owner] emails`; without them, any address on more than half of the messages, and on
-- more than 10) are left out of the people two messages must share.
everyday_address AS (
    SELECT unnest(coalesce(getvariable('email_owner_addresses'), []::VARCHAR[])) AS address
    UNION
    SELECT address FROM subject_person
    WHERE len(coalesce(getvariable('email_owner_addresses'), []::VARCHAR[])) = 0
    GROUP BY address
    HAVING count(*) > greatest((SELECT count(*) FROM subject_mail) / 2, 10)
),
shared_person AS (
    SELECT * FROM subject_person WHERE address NOT IN (SELECT address FROM everyday_address)
),
-- The parent is found per subject and shared person in one ordered pass, not by pairing every
-- message with every earlier one of its subject: a mailbox with thousands of "Daily report"
-- mails would otherwise pair millions. Per subject and person, in time order: a follow-up's
-- candidate is the message just before it; a bare subject's is the last one before its
-- sender's run of consecutive messages (the latest earlier message of another sender). The
-- latest candidate over the message's people, at most 60 days before it, is its parent.
topic_person AS (
    SELECT m.group_key, m.date_utc, m.from_address, m.follows_up, m.topic, s.address
    FROM subject_mail AS m
    JOIN shared_person AS s USING (group_key)
    WHERE m.topic <> ''
),
topic_person_before AS (
    SELECT *,
           lag(group_key) OVER by_time AS previous_key,
           lag(date_utc) OVER by_time AS previous_date,
           lag(from_address) OVER by_time AS previous_from
    FROM topic_person
    WINDOW by_time AS (PARTITION BY topic, address ORDER BY date_utc, group_key)
),
sender_runs AS (
    SELECT *,
           sum((from_address IS DISTINCT FROM previous_from)::INTEGER) OVER (
               PARTITION BY topic, address ORDER BY date_utc, group_key
               ROWS UNBOUNDED PRECEDING
           ) AS sender_run
    FROM topic_person_before
),
candidate AS (
    SELECT group_key, date_utc,
           CASE WHEN follows_up THEN previous_key ELSE first_value(previous_key) OVER run END
               AS parent_key,
           CASE WHEN follows_up THEN previous_date ELSE first_value(previous_date) OVER run END
               AS parent_date
    FROM sender_runs
    WINDOW run AS (PARTITION BY topic, address, sender_run ORDER BY date_utc, group_key)
),
parent AS (
    SELECT group_key, parent_key
    FROM candidate
    WHERE parent_key IS NOT NULL AND parent_date >= date_utc - INTERVAL 60 DAY
    QUALIFY row_number() OVER (
        PARTITION BY group_key ORDER BY parent_date DESC, parent_key DESC
    ) = 1
),
subject_thread AS (
    WITH RECURSIVE chain (group_key, root_key) AS (
        SELECT group_key, group_key FROM subject_mail
        WHERE group_key NOT IN (SELECT group_key FROM parent)
        UNION ALL
        SELECT parent.group_key, chain.root_key
        FROM parent JOIN chain ON parent.parent_key = chain.group_key
    )
    SELECT chain.group_key, 'subject:' || chain.root_key AS thread_id, parent.parent_key
    FROM chain LEFT JOIN parent USING (group_key)
),
-- Mail that reached you through a list or a Bcc from someone you never wrote to is bulk mail,
-- even without List-Id (old archives, company announcements, newsletters sent from a new
-- address each issue): none of your configured addresses (`[owner] emails`) is among its
-- recipients, no message of yours went to its sender, and it does not answer anything. It
-- applies only when the mailbox holds mail of yours (a Sent folder), with your addresses set.
owner_address AS (
    SELECT unnest(coalesce(getvariable('email_owner_addresses'), []::VARCHAR[])) AS address
),
written_to AS (
    SELECT DISTINCT r.address
    FROM kept AS k
    JOIN raw.email_recipients AS r
        ON r.source_path = k.source_path AND r.record_number = k.record_number
    WHERE k.from_address IN (SELECT address FROM owner_address)
),
not_addressed_to_you AS (
    SELECT k.group_key
    FROM kept AS k
    -- only where your own mail is in the mailbox too: without it nobody is known to be written to
    WHERE EXISTS (SELECT 1 FROM written_to)
      AND NOT EXISTS (SELECT 1 FROM owner_address AS o WHERE o.address = k.from_address)
      AND NOT EXISTS (SELECT 1 FROM written_to AS w WHERE w.address = k.from_address)
      -- an answer is personal, even to an address of yours not configured
      AND k.in_reply_to IS NULL AND len(coalesce(k."references", [])) = 0
      AND NOT coalesce(k.quotes_earlier_message, false)
      AND NOT regexp_matches(coalesce(k.subject, ''), '^\s*(re|aw|sv|vs|antw|rif)\s*(\[\d+\])?\s*:', 'i')
      AND NOT EXISTS (
          SELECT 1 FROM raw.email_recipients AS r
          WHERE r.source_path = k.source_path AND r.record_number = k.record_number
            AND r.address IN (SELECT address FROM owner_address)
      )
),
roots AS (
    -- the thread of each message a `root:` thread names (the others are never looked up)
    SELECT message_id, min(coalesce(subject_thread.thread_id, kept.thread_id)) AS root_thread
    FROM kept LEFT JOIN subject_thread USING (group_key)
    WHERE message_id IN (SELECT substr(thread_id, 6) FROM kept WHERE thread_id LIKE 'root:%')
    GROUP BY message_id
)
SELECT
    kept.group_key AS message_key,
    kept.* EXCLUDE (group_key, all_labels, thread_id, copies, folders),
    CASE
        WHEN kept.thread_id LIKE 'root:%' THEN coalesce(roots.root_thread, kept.thread_id)
        ELSE coalesce(subject_thread.thread_id, kept.thread_id)
    END AS thread_id,
    subject_thread.parent_key AS parent_message_key,
    -- the message says it answers something, whether or not that message is here
    kept.in_reply_to IS NOT NULL OR len(coalesce(kept."references", [])) > 0
        OR regexp_matches(kept.subject, '^\s*(re|aw|sv|vs|antw|rif)\s*(\[\d+\])?\s*:', 'i')
        OR (coalesce(kept.quotes_earlier_message, false)
            AND NOT regexp_matches(
                coalesce(kept.subject, ''), '^\s*(fw|fwd|wg|tr)\s*(\[\d+\])?\s*:', 'i'))
        AS answers_something,
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
        WHEN kept.group_key IN (SELECT group_key FROM not_addressed_to_you)
            THEN 'sent to a list or Bcc by someone you never wrote to'
    END AS noise_reason
FROM kept
LEFT JOIN roots ON kept.thread_id LIKE 'root:%' AND roots.message_id = substr(kept.thread_id, 6)
LEFT JOIN subject_thread USING (group_key)
