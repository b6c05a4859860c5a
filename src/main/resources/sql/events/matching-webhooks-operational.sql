-- The tenant's live webhooks that subscribed to one of Hookline's own events (:type under 'hookline.') by name: the
-- exact type, or a prefix pattern that itself starts with 'hookline.' ('hookline.*', 'hookline.webhook.*'). An empty
-- filter or '*' (every type) does not include them, so existing receivers see no new types. :except_id (the webhook
-- the event is about) never gets it.
--
-- Index: webhook_tenant_live (V1), (tenant, id DESC) WHERE revoked_at IS NULL, as for a publish.
--
-- Parameters: :tenant text, :type text, :except_id text.
SELECT id FROM webhook
WHERE tenant = :tenant AND enabled AND revoked_at IS NULL AND id <> :except_id
  AND EXISTS (
        SELECT 1 FROM unnest(event_types) AS f(t)
        WHERE f.t = :type
           OR (right(f.t, 1) = '*' AND starts_with(f.t, 'hookline.') AND starts_with(:type, left(f.t, -1))));
