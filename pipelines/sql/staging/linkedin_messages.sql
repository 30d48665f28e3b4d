-- One row per message (message_key) across every file and export. Overlapping exports repeat
-- the same messages: keep the copy from the newest export snapshot (then the latest file path,
-- then the first record) and say how many copies were found. Only some eras say whether a
-- message is a draft, so a copy that does not say takes the answer of one that does.
-- `content_text` is the content as a reader sees it: 2026 exports often write HTML
-- (`<p>Hi Ann,</p><p><br></p>`); tags become line breaks or nothing, the common entities their
-- characters. Everything that reads or quotes a message uses it; `content` keeps the file's text.
SELECT
    * REPLACE (
        coalesce(is_draft, bool_or(is_draft) OVER (PARTITION BY message_key)) AS is_draft
    ),
    count(*) OVER (PARTITION BY message_key) AS copies,
    -- HTML is told by a closing tag, a <br> or a <p>: "x<a and b>y" in plain text is not
    CASE WHEN regexp_matches(content, '</(p|div|span|li|b|i|a|ul|ol)>|<br\s*/?>|<p[\s>]', 'i') THEN
        nullif(trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
            regexp_replace(regexp_replace(regexp_replace(
                regexp_replace(content, '<\s*(br|/p|/div|/li)\s*/?>', chr(10), 'gi'),
                '<[^>]+>', '', 'g'),
            '&nbsp;', ' ', 'g'), '&quot;', '"', 'g'), '&#39;|&apos;', chr(39), 'g'),
            '&lt;', '<', 'g'), '&gt;', '>', 'g'), '&amp;', '&', 'g'),
            '\n([ \t]*\n)+', chr(10) || chr(10), 'g'), chr(10) || ' '), '')
    ELSE content END AS content_text
FROM raw.linkedin_messages
QUALIFY row_number() OVER (
    PARTITION BY message_key
    ORDER BY snapshot_date DESC NULLS LAST, source_path DESC, record_number
) = 1
