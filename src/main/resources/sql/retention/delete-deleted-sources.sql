-- One retention batch of deleted sources: at most :limit sources deleted before :cutoff whose ingest log is empty
-- (their rows are kept while the log refers to them), oldest first.
--
-- Index: source_deleted (V10) for the range; source_request_dedup (V10) for the NOT EXISTS.
--
-- Parameters: :cutoff timestamptz, :limit int. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
WITH doomed AS (
    SELECT s.id FROM source s
    WHERE s.deleted_at < :cutoff
      AND NOT EXISTS (SELECT 1 FROM source_request r WHERE r.source_id = s.id)
    ORDER BY s.deleted_at
    LIMIT :limit
    FOR UPDATE OF s SKIP LOCKED
)
DELETE FROM source s USING doomed WHERE s.id = doomed.id;
