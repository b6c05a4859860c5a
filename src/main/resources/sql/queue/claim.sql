-- Claims up to :limit due deliveries for this replica: pending → in_flight, with a lease until :lease_until and a
-- fresh fencing token (every result is written only while the row still holds it). The attempt is counted here, so
-- a delivery that crashes its replica on every try still runs out of attempts. SKIP LOCKED lets any number of
-- replicas claim at once without waiting on each other.
-- Claims match what this replica can send soon: webhooks it cannot send more to (at their concurrency limit with as
-- many claims waiting as they can start soon, or paused by a Retry-After) are skipped (:skip_webhooks, may be empty),
-- and of the others each gets at most its room (:room_ids[i] gets :room_sizes[i]; a webhook without a lane here gets
-- :default_room) in due order; the rows beyond it were locked for the statement only and stay pending, untouched.
--
-- Index: delivery_due (V1), (next_attempt_at) WHERE status = 'pending': the inner SELECT is a range scan in due
-- order that stops after :limit rows, however many finished rows the table holds (they are outside the partial
-- index). The joins to event and webhook go by their primary keys.
--
-- Parameters: :now timestamptz, :skip_webhooks text[], :limit int, :default_room int, :room_ids text[],
-- :room_sizes int[], :lease_until timestamptz. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
WITH due AS (
    SELECT id, webhook_id, next_attempt_at FROM delivery
    WHERE status = 'pending' AND next_attempt_at <= :now AND webhook_id <> ALL (:skip_webhooks::text[])
    ORDER BY next_attempt_at
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
), fits AS (
    SELECT ranked.id FROM (
        SELECT due.id, COALESCE(room.n, :default_room) AS room,
               row_number() OVER (PARTITION BY due.webhook_id ORDER BY due.next_attempt_at) AS nth
        FROM due LEFT JOIN unnest(:room_ids::text[], :room_sizes::int[]) AS room(webhook_id, n)
            ON room.webhook_id = due.webhook_id
    ) ranked
    WHERE ranked.nth <= ranked.room
)
UPDATE delivery d
SET status = 'in_flight', attempts = d.attempts + 1, lease_until = :lease_until,
    lease_token = nextval('delivery_lease_token')
FROM fits, event e, webhook w
WHERE d.id = fits.id AND e.id = d.event_id AND w.id = d.webhook_id
RETURNING d.id, d.event_id, d.webhook_id, d.tenant, d.attempts, d.lease_token, d.lease_until,
          e.type, e.body, w.url, (w.enabled AND w.revoked_at IS NULL), e.created_at, w.max_concurrency;
