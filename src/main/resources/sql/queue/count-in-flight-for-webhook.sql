-- In-flight deliveries of a webhook whose lease has not expired at :now: a revoke waits until there are none.
--
-- Index: delivery_lease (V1), (lease_until) WHERE status = 'in_flight': only the unexpired claims of the whole queue
-- (a few batches), the webhook filtered on them; delivery_by_webhook (V1) when the planner finds it cheaper.
--
-- Parameters: :webhook_id text, :now timestamptz.
SELECT count(*) FROM delivery WHERE webhook_id = :webhook_id AND status = 'in_flight' AND lease_until >= :now;
