-- The pending deliveries of each webhook in due order (id last, so that a walk can go on from any row), for the
-- claims that look past the head of the queue (sql/queue/claim-for-webhooks.sql, sql/queue/webhooks-with-pending.sql):
-- when the oldest due deliveries all belong to endpoints that cannot take more (a slow endpoint with a large backlog),
-- the other webhooks' due deliveries are found webhook by webhook instead of by reading past that backlog at every
-- claim. Partial, like delivery_due: only pending rows, never the finished ones the table mostly holds.
--
-- Plain CREATE INDEX blocks writes to delivery while it builds, which takes as long as reading the pending rows. Where
-- that is too long, create it by hand beforehand with CREATE INDEX CONCURRENTLY and this exact name (see V2).
CREATE INDEX IF NOT EXISTS delivery_pending_by_webhook ON delivery (webhook_id, next_attempt_at, id)
    WHERE status = 'pending';
