-- The tenant's live webhooks whose filter matches an event :type: an empty filter (every type), the exact type, or
-- a prefix pattern ending in '*' ('invoice.*' matches 'invoice.paid').
--
-- Index: webhook_tenant_live (V1), (tenant, id DESC) WHERE revoked_at IS NULL: the tenant's live webhooks only; the
-- filter is checked on each of them (at most 100 patterns a webhook).
--
-- Parameters: :tenant text, :type text.
SELECT id FROM webhook
WHERE tenant = :tenant AND enabled AND revoked_at IS NULL
  AND (cardinality(event_types) = 0 OR EXISTS (
        SELECT 1 FROM unnest(event_types) AS f(t)
        WHERE f.t = :type OR (right(f.t, 1) = '*' AND starts_with(:type, left(f.t, -1)))));
