-- Claims up to :limit due deliveries for this replica: pending → in_flight, with a lease until :lease_until and a
-- fresh fencing token (every result is written only while the row still holds it). The attempt is counted here, so
-- a delivery that crashes its replica on every try still runs out of attempts. SKIP LOCKED lets any number of
-- replicas claim at once without waiting on each other.
-- Claims match what this replica can send soon: webhooks it cannot send more to (at their concurrency limit with as
-- many claims waiting as they can start soon, or paused by a Retry-After) get nothing (:skip_webhooks, may be empty),
-- and of the others each gets at most its room (:room_ids[i] gets :room_sizes[i]; a webhook without a lane here gets
-- :default_room) in due order; the rows beyond it were locked for the statement only and stay pending, untouched.
--
-- Two ways to find the rows, by :webhooks:
-- - empty: the head of the queue, the first :limit due rows whoever they are for. The head is read whole, also the
--   rows of skipped webhooks, so the cost of a claim does not grow with their backlog: a slow endpoint with a million
--   deliveries due would otherwise make every claim read past its million rows to reach anyone else's.
--   head_rows in the result says how many rows the head held: :limit means more may be due behind it.
-- - the webhooks listed: each one's own due rows, oldest first, up to its room. DeliveryQueue uses it after a head
--   taken by webhooks that could not take more, for webhooks found by webhooks-with-pending.sql: their deliveries are
--   claimed although older ones of a busy endpoint are due.
--
-- Index: delivery_due (V1), (next_attempt_at) WHERE status = 'pending', for the head: a range scan in due order that
-- stops after :limit rows, however many finished rows the table holds (they are outside the partial index);
-- delivery_pending_by_webhook (V15), (webhook_id, next_attempt_at, id) WHERE status = 'pending', walked for a listed
-- webhook's due rows; they are then locked by primary key. The joins to event and webhook go by their primary keys.
--
-- Parameters: :now timestamptz, :skip_webhooks text[], :limit int, :default_room int, :room_ids text[],
-- :room_sizes int[], :webhooks text[], :lease_until timestamptz. Writes: run it in BEGIN … ROLLBACK by hand
-- (sql/README.md).
WITH RECURSIVE room AS (
    SELECT * FROM unnest(:room_ids::text[], :room_sizes::int[]) AS r(webhook_id, n)
), head AS (
    SELECT id, webhook_id, next_attempt_at FROM delivery
    WHERE cardinality(:webhooks::text[]) = 0 AND status = 'pending' AND next_attempt_at <= :now
    ORDER BY next_attempt_at
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
), walk(webhook_id, next_attempt_at, id, n) AS (
    -- each listed webhook's due rows, oldest first, one index step at a time up to its room: the row comparison in
    -- the order of delivery_pending_by_webhook can only be served by that index, whatever the planner thinks of how
    -- the webhook's rows spread over time (with ORDER BY next_attempt_at LIMIT it would read delivery_due instead,
    -- through the very backlog this avoids)
    SELECT first.webhook_id, first.next_attempt_at, first.id, 1
    FROM unnest(:webhooks::text[]) AS listed_webhook(id)
    CROSS JOIN LATERAL (
        SELECT d.webhook_id, d.next_attempt_at, d.id FROM delivery d
        WHERE d.status = 'pending'
          AND (d.webhook_id, d.next_attempt_at, d.id) > (listed_webhook.id, '-infinity'::timestamptz, '')
        ORDER BY d.webhook_id, d.next_attempt_at, d.id
        LIMIT 1
    ) first
    WHERE first.webhook_id = listed_webhook.id AND first.next_attempt_at <= :now
    UNION ALL
    SELECT next.webhook_id, next.next_attempt_at, next.id, walk.n + 1
    FROM walk
    CROSS JOIN LATERAL (
        SELECT d.webhook_id, d.next_attempt_at, d.id FROM delivery d
        WHERE d.status = 'pending'
          AND (d.webhook_id, d.next_attempt_at, d.id) > (walk.webhook_id, walk.next_attempt_at, walk.id)
        ORDER BY d.webhook_id, d.next_attempt_at, d.id
        LIMIT 1
    ) next
    WHERE next.webhook_id = walk.webhook_id AND next.next_attempt_at <= :now
      AND walk.n < (SELECT COALESCE(max(room.n), :default_room) FROM room WHERE room.webhook_id = walk.webhook_id)
), listed AS (
    SELECT d.id, d.webhook_id, d.next_attempt_at FROM delivery d
    WHERE d.id IN (SELECT walk.id FROM walk) AND d.status = 'pending'
    FOR UPDATE SKIP LOCKED
), fits AS (
    SELECT ranked.id FROM (
        SELECT due.id, due.webhook_id, due.next_attempt_at, COALESCE(room.n, :default_room) AS room,
               row_number() OVER (PARTITION BY due.webhook_id ORDER BY due.next_attempt_at) AS nth
        FROM (SELECT * FROM head UNION ALL SELECT * FROM listed) due
        LEFT JOIN room ON room.webhook_id = due.webhook_id
    ) ranked
    WHERE ranked.nth <= ranked.room AND ranked.webhook_id <> ALL (:skip_webhooks::text[])
    ORDER BY ranked.next_attempt_at
    LIMIT :limit
)
UPDATE delivery d
SET status = 'in_flight', attempts = d.attempts + 1, lease_until = :lease_until,
    lease_token = nextval('delivery_lease_token')
FROM fits, event e, webhook w
WHERE d.id = fits.id AND e.id = d.event_id AND w.id = d.webhook_id
RETURNING d.id, d.event_id, d.webhook_id, d.tenant, d.attempts, d.lease_token, d.lease_until,
          e.type, e.body, w.url, (w.enabled AND w.revoked_at IS NULL), e.created_at, w.max_concurrency,
          (SELECT count(*) FROM head) AS head_rows;
