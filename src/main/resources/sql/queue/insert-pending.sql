-- The pending deliveries of a publish or a redelivery, on the caller's transaction: one row per webhook
-- (:ids[i] goes to :webhook_ids[i]), due at once.
--
-- Index: none read; the insert checks delivery_pkey and the foreign keys (event_pkey, webhook_pkey), and adds the
-- row to delivery_due, where the claim finds it.
--
-- Parameters: :event_id text, :tenant text, :now timestamptz, :ids text[], :webhook_ids text[]. Writes: run it in
-- BEGIN … ROLLBACK by hand (sql/README.md).
INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at)
SELECT d.id, :event_id, d.webhook_id, :tenant, 'pending', :now, :now
FROM unnest(:ids::text[], :webhook_ids::text[]) AS d(id, webhook_id);
