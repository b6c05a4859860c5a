-- Gives claims that were never started back to the queue, uncounted (shutdown, too little lease left, or the
-- webhook at its in-flight limit: then due again at :not_before, else at once). Fenced by the lease token like
-- record.sql.
--
-- Index: delivery_pkey (d.id = r.id).
--
-- Parameters: arrays of the same length: :ids text[], :tokens bigint[], :not_before (ISO-8601 text[], cast here,
-- null = due at once). Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
UPDATE delivery d
SET status = 'pending', attempts = d.attempts - 1, lease_until = NULL, lease_token = NULL,
    next_attempt_at = COALESCE(r.not_before, d.next_attempt_at)
FROM unnest(:ids::text[], :tokens::bigint[], :not_before::timestamptz[]) AS r(id, token, not_before)
WHERE d.id = r.id AND d.lease_token = r.token AND d.status = 'in_flight';
