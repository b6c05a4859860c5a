package io.hookline.retention;

/**
 * The retention job's statements for the ingest log (issue 13), kept apart from {@link RetentionStatements} so the two
 * can move independently. Same contract: parameters are the cut-off time, then the batch size; each runs in its own
 * short transaction with the job's advisory lock; SKIP LOCKED, so a publisher holding a row is never waited for.
 */
final class IngestLogRetention {
    private IngestLogRetention() {}

    /**
     * Published and failed requests received before the cut-off ({@code hookline.ingest.log-retention}), oldest first.
     * Pending ones are never deleted: they have not become events yet. Served by {@code source_request_finished} (V4).
     */
    static final String DELETE_FINISHED_REQUESTS = """
            WITH doomed AS (
                SELECT id FROM source_request
                WHERE status <> 'pending' AND received_at < ?
                ORDER BY received_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            )
            DELETE FROM source_request r USING doomed WHERE r.id = doomed.id
            """;

    /**
     * Sources deleted before the cut-off whose log is empty (their rows are kept while the log refers to them). Served
     * by {@code source_deleted} (V4) and, for the NOT EXISTS, {@code source_request_dedup}.
     */
    static final String DELETE_DELETED_SOURCES = """
            WITH doomed AS (
                SELECT s.id FROM source s
                WHERE s.deleted_at < ?
                  AND NOT EXISTS (SELECT 1 FROM source_request r WHERE r.source_id = s.id)
                ORDER BY s.deleted_at
                LIMIT ?
                FOR UPDATE OF s SKIP LOCKED
            )
            DELETE FROM source s USING doomed WHERE s.id = doomed.id
            """;
}
