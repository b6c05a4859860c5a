-- The pending deliveries of a batch publish, on the caller's transaction: row i is delivery :ids[i] of event
-- :event_ids[i] to webhook :webhook_ids[i], due at once (insert-pending.sql for many events in one statement).
--
-- Index: none read; the insert checks delivery_pkey and the foreign keys (event_pkey, webhook_pkey), and adds the
-- rows to delivery_due, where the claim finds them.
--
-- Parameters: :tenant text, :now timestamptz, :ids text[], :event_ids text[], :webhook_ids text[]. Writes: run it in
-- BEGIN … ROLLBACK by hand (sql/README.md).
INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at)
SELECT d.id, d.event_id, d.webhook_id, :tenant, 'pending', :now, :now
FROM unnest(:ids::text[], :event_ids::text[], :webhook_ids::text[]) AS d(id, event_id, webhook_id);
