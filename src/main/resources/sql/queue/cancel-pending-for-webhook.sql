-- Cancels a webhook's deliveries that are waiting (revoke), on the caller's transaction. In-flight ones are left to
-- finish (the revoke waits for them with count-in-flight-for-webhook.sql).
--
-- Index: delivery_by_webhook (V1), (webhook_id, id DESC), for the webhook's rows, ANDed with delivery_due (V1),
-- partial on status = 'pending' (a bitmap scan of both).
--
-- Parameters: :now timestamptz, :reason text, :webhook_id text. Writes: run it in BEGIN … ROLLBACK by hand
-- (sql/README.md).
UPDATE delivery SET status = 'cancelled', completed_at = :now, last_error = :reason
WHERE webhook_id = :webhook_id AND status = 'pending';
