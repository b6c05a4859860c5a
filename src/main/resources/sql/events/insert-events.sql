-- The event rows of a batch publish (POST /v1/events/batch), one statement for the whole batch, on the caller's
-- transaction: row i is (:ids[i], :types[i], :bodies[i], :idempotency_keys[i]), all in the tenant's feed (xid of this
-- transaction) and created at :now. As in insert-event.sql, the first writer of an idempotency key wins and a taken
-- key inserts nothing; RETURNING names the rows inserted, so the service reads the others with find-by-keys.sql. The
-- caller sends each key at most once. Rows go in in key order, so two batches sharing keys wait for each other's keys
-- in the same order and cannot deadlock.
--
-- Index: event_idempotency (V1), unique (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL: the ON CONFLICT
-- arbiter. The insert also checks event_pkey and adds the rows to event_feed (V13).
--
-- Parameters: :tenant text, :now timestamptz, :ids text[], :types text[], :bodies bytea[], :idempotency_keys text[]
-- (null where an event has none). Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
INSERT INTO event (id, tenant, type, body, idempotency_key, created_at, xid)
SELECT e.id, :tenant, e.type, e.body, e.idempotency_key, :now, pg_current_xact_id()
FROM unnest(:ids::text[], :types::text[], :bodies::bytea[], :idempotency_keys::text[]) AS e(id, type, body, idempotency_key)
ORDER BY e.idempotency_key NULLS LAST, e.id
ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
RETURNING id;
