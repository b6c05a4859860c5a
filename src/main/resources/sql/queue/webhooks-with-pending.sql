-- The webhooks with pending deliveries, in id order after :after, at most :budget of them, and whether each has one
-- due by :now.
-- DeliveryQueue runs it when the head of the queue was taken by webhooks that could not take more, and claims for the
-- due ones (claim-for-webhooks.sql); the next run goes on after the last id returned, and from the start once
-- fewer than :budget came back, so every webhook is visited in turn however many have deliveries pending.
--
-- Index: delivery_pending_by_webhook (V15), (webhook_id, next_attempt_at, id) WHERE status = 'pending': each step is
-- one descent to the next webhook id's oldest pending row (a loose index scan; the ORDER BY is the index's, so no
-- other path can serve it), so the cost follows the number of webhooks visited, never the number of deliveries they
-- have pending.
--
-- Parameters: :after text ('' for the start), :budget int, :now timestamptz.
WITH RECURSIVE visited(id, first_due, n) AS (
    (SELECT webhook_id, next_attempt_at, 1 FROM delivery
     WHERE status = 'pending' AND webhook_id > :after
     ORDER BY webhook_id, next_attempt_at, id
     LIMIT 1)
    UNION ALL
    SELECT next.webhook_id, next.next_attempt_at, visited.n + 1
    FROM visited
    CROSS JOIN LATERAL (
        SELECT d.webhook_id, d.next_attempt_at FROM delivery d
        WHERE d.status = 'pending' AND d.webhook_id > visited.id
        ORDER BY d.webhook_id, d.next_attempt_at, d.id
        LIMIT 1
    ) next
    WHERE visited.n < :budget
)
SELECT visited.id, visited.first_due <= :now AS due
FROM visited
ORDER BY visited.id;
