-- Returns the claims of replicas that died (lease expired before :now) to the queue, at most 1,000 per run; the
-- attempt they spent still counts, and a delivery that has spent :max_attempts that way is failed.
--
-- Index: delivery_lease (V1), (lease_until) WHERE status = 'in_flight': a range scan over the in-flight rows only,
-- oldest lease first.
--
-- Parameters: :now timestamptz, :max_attempts int. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
WITH expired AS (
    SELECT id FROM delivery
    WHERE status = 'in_flight' AND lease_until < :now
    ORDER BY lease_until
    LIMIT 1000
    FOR UPDATE SKIP LOCKED
)
UPDATE delivery d
SET status = CASE WHEN d.attempts >= :max_attempts THEN 'failed' ELSE 'pending' END,
    next_attempt_at = :now,
    completed_at = CASE WHEN d.attempts >= :max_attempts THEN :now END,
    last_error = 'lease expired: the replica sending it stopped',
    lease_until = NULL, lease_token = NULL
FROM expired WHERE d.id = expired.id;
