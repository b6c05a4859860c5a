-- The distinct event types among a tenant's latest :scanned events, sorted, without :except_type (the test sends'
-- webhook.test): what the portal offers as filters. A type last published before those events is not offered.
--
-- Index: event_tenant (V1), (tenant, id DESC): the tenant's newest events, stopping after :scanned, so the cost is
-- bounded whatever the tenant's history.
--
-- Parameters: :tenant text, :scanned int, :except_type text.
SELECT DISTINCT type FROM (
    SELECT type FROM event WHERE tenant = :tenant ORDER BY id DESC LIMIT :scanned) recent
WHERE type <> :except_type
ORDER BY type;
