-- Claims up to :limit due deliveries for this replica: pending → in_flight, with a lease until :lease_until and a
-- fresh fencing token (every result is written only while the row still holds it). The attempt is counted here, so
-- a delivery that crashes its replica on every try still runs out of attempts. Webhooks this replica cannot send
-- more to right now (slow, at their in-flight limit) are skipped (:skip_webhooks, may be empty).
-- SKIP LOCKED lets any number of replicas claim at once without waiting on each other.
--
-- Index: delivery_due (V1), (next_attempt_at) WHERE status = 'pending': the inner SELECT is a range scan in due
-- order that stops after :limit rows, however many finished rows the table holds (they are outside the partial
-- index). The joins to event and webhook go by their primary keys.
--
-- Parameters: :now timestamptz, :skip_webhooks text[], :limit int, :lease_until timestamptz. Writes: run it in
-- BEGIN … ROLLBACK by hand (sql/README.md).
WITH due AS (
    SELECT id FROM delivery
    WHERE status = 'pending' AND next_attempt_at <= :now AND webhook_id <> ALL (:skip_webhooks::text[])
    ORDER BY next_attempt_at
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
UPDATE delivery d
SET status = 'in_flight', attempts = d.attempts + 1, lease_until = :lease_until,
    lease_token = nextval('delivery_lease_token')
FROM due, event e, webhook w
WHERE d.id = due.id AND e.id = d.event_id AND w.id = d.webhook_id
RETURNING d.id, d.event_id, d.webhook_id, d.tenant, d.attempts, d.lease_token, d.lease_until,
          e.type, e.body, w.url, (w.enabled AND w.revoked_at IS NULL), e.created_at;
