-- Claims up to :limit due deliveries for this replica from the head of the queue: pending → in_flight, with a lease
-- until :lease_until and a fresh fencing token (every result is written only while the row still holds it). The
-- attempt is counted here, so a delivery that crashes its replica on every try still runs out of attempts. SKIP
-- LOCKED lets any number of replicas claim at once without waiting on each other.
-- Claims match what this replica can send soon: webhooks it cannot send more to (at their concurrency limit with as
-- many claims waiting as they can start soon, or paused by a Retry-After) get nothing (:skip_webhooks, may be empty),
-- and of the others each gets at most its room (:room_ids[i] gets :room_sizes[i]; a webhook without a lane here gets
-- :default_room) in due order; the rows beyond it were locked for the statement only and stay pending, untouched.
-- The head is the first :limit due rows whoever they are for, read whole, also the rows of skipped webhooks, so the
-- cost of a claim does not grow with their backlog: a slow endpoint with a million deliveries due would otherwise make
-- every claim read past its million rows to reach anyone else's. head_rows and head_skipped in the result say how many
-- rows the head held and how many of them were for skipped webhooks: a full head mostly theirs stays where it is claim
-- after claim, and DeliveryQueue then claims what is due behind it with claim-for-webhooks.sql.
--
-- Index: delivery_due (V1), (next_attempt_at) WHERE status = 'pending': a range scan in due order that stops after
-- :limit rows, however many finished rows the table holds (they are outside the partial index). The joins to event
-- and webhook go by their primary keys.
--
-- Parameters: :now timestamptz, :skip_webhooks text[], :limit int, :default_room int, :room_ids text[],
-- :room_sizes int[], :lease_until timestamptz. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
WITH head AS (
    SELECT id, webhook_id, next_attempt_at FROM delivery
    WHERE status = 'pending' AND next_attempt_at <= :now
    ORDER BY next_attempt_at
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
), fits AS (
    SELECT ranked.id FROM (
        SELECT head.id, head.webhook_id, COALESCE(room.n, :default_room) AS room,
               row_number() OVER (PARTITION BY head.webhook_id ORDER BY head.next_attempt_at) AS nth
        FROM head LEFT JOIN unnest(:room_ids::text[], :room_sizes::int[]) AS room(webhook_id, n)
            ON room.webhook_id = head.webhook_id
    ) ranked
    WHERE ranked.nth <= ranked.room AND ranked.webhook_id <> ALL (:skip_webhooks::text[])
)
UPDATE delivery d
SET status = 'in_flight', attempts = d.attempts + 1, lease_until = :lease_until,
    lease_token = nextval('delivery_lease_token')
FROM fits, event e, webhook w
WHERE d.id = fits.id AND e.id = d.event_id AND w.id = d.webhook_id
RETURNING d.id, d.event_id, d.webhook_id, d.tenant, d.attempts, d.lease_token, d.lease_until,
          e.type, e.body, w.url, (w.enabled AND w.revoked_at IS NULL), e.created_at, w.max_concurrency,
          (SELECT count(*) FROM head) AS head_rows,
          (SELECT count(*) FROM head WHERE head.webhook_id = ANY (:skip_webhooks::text[])) AS head_skipped;
