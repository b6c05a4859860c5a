-- Endpoint health after a batch, one array element per webhook the batch touched: a success resets the failure run,
-- a failure starts it (failing_since), a delivery that ran out of attempts adds to consecutive_failures. Healthy
-- webhooks with only successes are not written at all (the last condition), so a healthy endpoint costs no row
-- version. Runs in the transaction of record.sql; the recorder reads the returned counters to disable an endpoint.
--
-- Index: webhook_pkey (w.id = h.id).
--
-- Parameters: arrays of the same length: :webhook_ids text[], :succeeded boolean[], :exhausted int[],
-- :first_failures (ISO-8601 text[], cast here). Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
UPDATE webhook w
SET consecutive_failures = CASE WHEN h.succeeded THEN 0 ELSE w.consecutive_failures + h.exhausted END,
    failing_since = CASE WHEN h.succeeded THEN NULL ELSE COALESCE(w.failing_since, h.first_failure) END
FROM unnest(:webhook_ids::text[], :succeeded::boolean[], :exhausted::int[], :first_failures::timestamptz[])
    AS h(id, succeeded, exhausted, first_failure)
WHERE w.id = h.id AND w.revoked_at IS NULL
  AND (NOT h.succeeded OR w.consecutive_failures > 0 OR w.failing_since IS NOT NULL)
RETURNING w.id, w.consecutive_failures, w.failing_since, w.enabled;
