-- The event row of a publish (or of a test send), on the caller's transaction. First writer of an idempotency key
-- wins; a concurrent second one waits for it, then inserts nothing (no error, no duplicate) and the service reads
-- the first one's row with find-by-key.sql. A null :idempotency_key never conflicts. :in_feed says whether the event
-- is in the tenant's feed (GET /v1/events): its xid is then this transaction's (see service.EventFeed), else null
-- (the test event).
--
-- Index: event_idempotency (V1), unique (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL: the ON CONFLICT
-- arbiter. The insert also checks event_pkey and adds the row to event_feed (V13).
--
-- Parameters: :id text, :tenant text, :type text, :body bytea, :idempotency_key text (or null), :now timestamptz,
-- :in_feed boolean. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
INSERT INTO event (id, tenant, type, body, idempotency_key, created_at, xid)
VALUES (:id, :tenant, :type, :body, :idempotency_key, :now, CASE WHEN :in_feed THEN pg_current_xact_id() END)
ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING;
