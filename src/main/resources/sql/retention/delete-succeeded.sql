-- One retention batch: at most :limit succeeded deliveries that completed before :cutoff, oldest first; their
-- attempts go with them (ON DELETE CASCADE). Never a pending or in-flight row, and never waits for a row another
-- transaction holds (SKIP LOCKED), so the dispatcher is never blocked by a retention run.
--
-- Index: delivery_succeeded_completed (V2), (completed_at) WHERE status = 'succeeded': a range scan that stops after
-- :limit rows (28 ms for 1,000 of 250,000 deliveries, PostgreSQL 15, 2 cores).
--
-- Parameters: :cutoff timestamptz, :limit int. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
WITH doomed AS (
    SELECT id FROM delivery
    WHERE status = 'succeeded' AND completed_at < :cutoff
    ORDER BY completed_at
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
DELETE FROM delivery d USING doomed WHERE d.id = doomed.id;
