-- A whole publish in one statement: the event row and one pending delivery, due at once, per live webhook of the
-- tenant whose filter matches :type (an empty filter, the exact type, or a prefix pattern ending in '*'), or nothing
-- at all when the idempotency key is taken (first writer wins, as in insert-event.sql; the service then reads the
-- first event with find-by-key.sql).
-- Answers (inserted, deliveries): (1, n) for a new event, (0, 0) for a replay. One statement is all or nothing, so the
-- service runs it on an auto-commit connection, where it is its own transaction and the publish costs one round trip
-- (insert-event, a webhook lookup, queue/insert-pending and COMMIT took four), or inside a caller's transaction.
-- Delivery ids are made here, as the webhooks are found: 'dlv_', the event id's 10 characters of milliseconds (so the
-- ids sort by creation time like every id of common.Ids) and 16 hex digits of md5(event id, webhook id): distinct for
-- the distinct webhooks of one event, and the event id carries 80 random bits.
--
-- Index: event_idempotency (V1), unique (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL: the ON CONFLICT
-- arbiter; webhook_tenant_live (V1), (tenant, id DESC) WHERE revoked_at IS NULL: the tenant's live webhooks, each
-- filter checked (at most 100 patterns a webhook). The inserts check event_pkey, delivery_pkey and the foreign keys,
-- and add rows to event_feed (V13) and delivery_due, where the claim finds them.
--
-- Parameters: :id text, :tenant text, :type text, :body bytea, :idempotency_key text (or null), :now timestamptz.
-- Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
WITH inserted AS (
    INSERT INTO event (id, tenant, type, body, idempotency_key, created_at, xid)
    VALUES (:id, :tenant, :type, :body, :idempotency_key, :now, pg_current_xact_id())
    ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING id
), queued AS (
    INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at)
    SELECT 'dlv_' || substr(e.id, 5, 10) || left(md5(e.id || w.id), 16), e.id, w.id, :tenant, 'pending', :now, :now
    FROM inserted e
    JOIN webhook w ON w.tenant = :tenant AND w.enabled AND w.revoked_at IS NULL
        AND (cardinality(w.event_types) = 0 OR EXISTS (
            SELECT 1 FROM unnest(w.event_types) AS f(t)
            WHERE f.t = :type OR (right(f.t, 1) = '*' AND starts_with(:type, left(f.t, -1)))))
    RETURNING 1
)
SELECT (SELECT count(*) FROM inserted)::int, (SELECT count(*) FROM queued)::int;
