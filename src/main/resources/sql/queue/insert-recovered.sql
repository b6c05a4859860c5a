-- Recovery, step 2: each failed delivery :originals[i] is queued again as the new pending delivery :ids[i] of the same
-- event and webhook, due at once and naming the one it recovers. A concurrent recover of the same rows loses on the
-- unique index and inserts nothing for them; the count of rows inserted is what the caller reports.
--
-- Index: delivery_pkey finds the originals; delivery_recovered_once (V9) is the ON CONFLICT target; the new rows join
-- delivery_due, where the claim finds them.
--
-- Parameters: :ids text[], :originals text[], :now timestamptz. Writes: run it in BEGIN … ROLLBACK by hand
-- (sql/README.md).
INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at, recovered_from)
SELECT r.id, f.event_id, f.webhook_id, f.tenant, 'pending', :now, :now, f.id
FROM unnest(:ids::text[], :originals::text[]) AS r(id, original)
JOIN delivery f ON f.id = r.original
ON CONFLICT (recovered_from) WHERE recovered_from IS NOT NULL AND status IN ('pending', 'in_flight', 'succeeded')
    DO NOTHING
