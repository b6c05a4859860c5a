-- One retention batch: at most :limit events created before :cutoff that no delivery refers to any more, oldest
-- first. An event that still has a delivery, in any status, is never deleted: deleting it would cascade to that
-- delivery. A delivery being inserted for the event holds a key-share lock on it, which FOR UPDATE SKIP LOCKED steps
-- around.
--
-- Index: event_created (V2), (created_at): oldest first; delivery_by_event (V1), (event_id), answers the NOT EXISTS
-- (80 ms for 1,000 of 300,000 events, PostgreSQL 15, 2 cores).
--
-- Parameters: :cutoff timestamptz, :limit int. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
WITH doomed AS (
    SELECT e.id FROM event e
    WHERE e.created_at < :cutoff
      AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.event_id = e.id)
    ORDER BY e.created_at
    LIMIT :limit
    FOR UPDATE OF e SKIP LOCKED
)
DELETE FROM event e USING doomed WHERE e.id = doomed.id;
