-- The events a tenant already published under some idempotency keys, with how many deliveries each has: the answer
-- to the replayed items of a batch publish (find-by-key.sql for many keys at once).
--
-- Index: event_idempotency (V1), unique (tenant, idempotency_key): one probe per key; delivery_by_event (V1),
-- (event_id), for each count.
--
-- Parameters: :tenant text, :idempotency_keys text[].
SELECT e.idempotency_key, e.id, e.type, e.created_at, (SELECT count(*) FROM delivery d WHERE d.event_id = e.id)
FROM event e WHERE e.tenant = :tenant AND e.idempotency_key = ANY(:idempotency_keys::text[]);
