-- A delivery created already claimed by the caller, on the caller's transaction: the synchronous test send, which
-- bypasses the queue but is recorded through it (record.sql) like any other attempt. Returns its fencing token.
--
-- Index: none read; the insert checks delivery_pkey and the foreign keys (event_pkey, webhook_pkey).
--
-- Parameters: :id text, :event_id text, :webhook_id text, :tenant text, :now timestamptz, :lease_until timestamptz.
-- Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
INSERT INTO delivery (id, event_id, webhook_id, tenant, status, attempts, next_attempt_at, lease_until,
                      lease_token, created_at)
VALUES (:id, :event_id, :webhook_id, :tenant, 'in_flight', 1, :now, :lease_until, nextval('delivery_lease_token'), :now)
RETURNING lease_token;
