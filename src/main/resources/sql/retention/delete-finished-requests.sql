-- One retention batch of the ingest log: at most :limit published or failed source requests received before :cutoff
-- (hookline.ingest.log-retention), oldest first. Pending ones are never deleted: they have not become events yet.
-- SKIP LOCKED: a publisher holding a row is never waited for.
--
-- Index: source_request_finished (V10), (received_at) WHERE status <> 'pending'.
--
-- Parameters: :cutoff timestamptz, :limit int. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
WITH doomed AS (
    SELECT id FROM source_request
    WHERE status <> 'pending' AND received_at < :cutoff
    ORDER BY received_at
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
DELETE FROM source_request r USING doomed WHERE r.id = doomed.id;
