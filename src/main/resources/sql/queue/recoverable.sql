-- Recovery of one webhook after an outage, step 1: its failed deliveries created in [:since, :until) that have no
-- waiting, in-flight or successful copy yet (so a second recover of the same window finds nothing), oldest first,
-- at most :max.
--
-- Index: delivery_by_webhook (webhook_id, id DESC) finds the webhook's deliveries, filtered on status and created_at
-- (a recover is rare and bounded to one webhook); the NOT EXISTS probes delivery_recovered_once (V9).
--
-- Parameters: :webhook_id text, :tenant text, :since timestamptz, :until timestamptz, :max int.
SELECT f.id
FROM delivery f
WHERE f.webhook_id = :webhook_id AND f.tenant = :tenant AND f.status = 'failed'
  AND f.created_at >= :since AND f.created_at < :until
  AND NOT EXISTS (SELECT 1 FROM delivery c
                  WHERE c.recovered_from = f.id AND c.status IN ('pending', 'in_flight', 'succeeded'))
ORDER BY f.created_at, f.id
LIMIT :max
