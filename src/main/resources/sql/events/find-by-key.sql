-- The event a tenant already published under an idempotency key, with how many deliveries it has: the answer to a
-- replayed publish.
--
-- Index: event_idempotency (V1), unique (tenant, idempotency_key): one row; delivery_by_event (V1), (event_id), for
-- the count.
--
-- Parameters: :tenant text, :idempotency_key text.
SELECT e.id, e.type, e.created_at, (SELECT count(*) FROM delivery d WHERE d.event_id = e.id)
FROM event e WHERE e.tenant = :tenant AND e.idempotency_key = :idempotency_key;
