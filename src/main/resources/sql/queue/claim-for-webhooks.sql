-- Claims up to :limit due deliveries of the webhooks listed (:webhooks), each one's oldest first and at most its room
-- (:room_ids[i] gets :room_sizes[i]), as claim.sql does from the head of the queue: pending → in_flight, a lease until
-- :lease_until, a fresh fencing token, the attempt counted, SKIP LOCKED. DeliveryQueue runs it after a head taken by
-- webhooks that could take no more, for the webhooks webhooks-with-pending.sql found with deliveries due: theirs are
-- claimed although older ones of a busy endpoint are due before them.
--
-- Index: delivery_pending_by_webhook (V15), (webhook_id, next_attempt_at, id) WHERE status = 'pending', walked one
-- step per row up to each webhook's room; the oldest :limit of them are then locked by primary key (an array of ids,
-- so no ORDER BY over delivery tempts the planner into delivery_due either). The row comparison in the index's
-- order can only be served by that index, whatever the planner thinks of how a webhook's rows spread over time (with
-- ORDER BY next_attempt_at LIMIT it would read delivery_due instead, through the very backlog this avoids). The joins
-- to event and webhook go by their primary keys.
--
-- Parameters: :webhooks text[], :room_ids text[], :room_sizes int[], :now timestamptz, :limit int,
-- :lease_until timestamptz. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
WITH RECURSIVE room AS (
    SELECT * FROM unnest(:room_ids::text[], :room_sizes::int[]) AS r(webhook_id, n)
), walk(webhook_id, next_attempt_at, id, n) AS (
    SELECT first.webhook_id, first.next_attempt_at, first.id, 1
    FROM unnest(:webhooks::text[]) AS listed(id)
    CROSS JOIN LATERAL (
        SELECT d.webhook_id, d.next_attempt_at, d.id FROM delivery d
        WHERE d.status = 'pending'
          AND (d.webhook_id, d.next_attempt_at, d.id) > (listed.id, '-infinity'::timestamptz, '')
        ORDER BY d.webhook_id, d.next_attempt_at, d.id
        LIMIT 1
    ) first
    WHERE first.webhook_id = listed.id AND first.next_attempt_at <= :now
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
      AND walk.n < (SELECT COALESCE(max(room.n), 0) FROM room WHERE room.webhook_id = walk.webhook_id)
), fits AS (
    SELECT d.id FROM delivery d
    WHERE d.id = ANY (ARRAY(SELECT walk.id FROM walk ORDER BY walk.next_attempt_at LIMIT :limit))
      AND d.status = 'pending'
    FOR UPDATE SKIP LOCKED
)
UPDATE delivery d
SET status = 'in_flight', attempts = d.attempts + 1, lease_until = :lease_until,
    lease_token = nextval('delivery_lease_token')
FROM fits, event e, webhook w
WHERE d.id = fits.id AND e.id = d.event_id AND w.id = d.webhook_id
RETURNING d.id, d.event_id, d.webhook_id, d.tenant, d.attempts, d.lease_token, d.lease_until,
          e.type, e.body, w.url, (w.enabled AND w.revoked_at IS NULL), e.created_at, w.max_concurrency;
