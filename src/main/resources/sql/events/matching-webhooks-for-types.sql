-- For each of some event :types, the tenant's live webhooks whose filter matches it (the rule of
-- queue/publish.sql: an empty filter, the exact type, or a prefix pattern ending in '*'), as (type, webhook id)
-- pairs: the fan-out of a batch publish in one statement, whatever the number of events.
--
-- Index: webhook_tenant_live (V1), (tenant, id DESC) WHERE revoked_at IS NULL: the tenant's live webhooks, read once
-- and checked against each distinct type of the batch (at most 100 patterns a webhook).
--
-- Parameters: :tenant text, :types text[] (distinct).
SELECT t.type, w.id
FROM webhook w
CROSS JOIN unnest(:types::text[]) AS t(type)
WHERE w.tenant = :tenant AND w.enabled AND w.revoked_at IS NULL
  AND (cardinality(w.event_types) = 0 OR EXISTS (
        SELECT 1 FROM unnest(w.event_types) AS f(p)
        WHERE f.p = t.type OR (right(f.p, 1) = '*' AND starts_with(t.type, left(f.p, -1)))))
ORDER BY t.type, w.id;
