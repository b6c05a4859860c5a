-- Indexes for the retention job (io.hookline.retention.RetentionStatements). Each one matches the filter and order
-- of the DELETE it serves, so a batch finds its 1,000 oldest rows by an index range scan instead of scanning the
-- whole table, however many rows are kept. They are partial where the query is: the finished deliveries of one
-- kind only, never the pending/in_flight rows the dispatcher works on.
--
-- Plain CREATE INDEX blocks writes to the table while it builds (seconds per few million rows). Where that is too
-- long, create the same indexes by hand beforehand with CREATE INDEX CONCURRENTLY and these exact names: IF NOT EXISTS
-- then makes this migration a no-op. (CONCURRENTLY is not used here: Flyway holds its migration lock in an open
-- transaction, and CREATE INDEX CONCURRENTLY waits for every open transaction, so the migration would hang.)

-- DELETE_SUCCEEDED: succeeded deliveries, oldest completion first.
CREATE INDEX IF NOT EXISTS delivery_succeeded_completed ON delivery (completed_at) WHERE status = 'succeeded';

-- DELETE_FAILED: failed and cancelled deliveries, oldest completion first.
CREATE INDEX IF NOT EXISTS delivery_failed_completed ON delivery (completed_at)
    WHERE status IN ('failed', 'cancelled');

-- DELETE_ORPHANED_EVENTS: old events, oldest first (whether a delivery still refers to one is answered by the
-- existing delivery_by_event index).
CREATE INDEX IF NOT EXISTS event_created ON event (created_at);
