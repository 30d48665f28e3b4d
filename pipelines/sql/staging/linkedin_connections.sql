-- One row per connection per export snapshot. The same export dropped twice (say as the zip and
-- as its unpacked folder) counts once; two exports at different dates keep a row each, which is
-- how job changes between exports are found. Hidden profiles (no name, no URL) are kept, keyed
-- by their position in the file, since they cannot be told apart otherwise.
SELECT
    md5(concat_ws('|', coalesce(snapshot_date::VARCHAR, source_path),
        coalesce(profile_slug, lower(full_name), 'hidden#' || record_number::VARCHAR),
        connected_on::VARCHAR)) AS connection_key,
    * EXCLUDE (source_sha256),
    count(*) OVER (PARTITION BY connection_key) AS copies
FROM raw.linkedin_connections
QUALIFY row_number() OVER (PARTITION BY connection_key ORDER BY source_path) = 1
