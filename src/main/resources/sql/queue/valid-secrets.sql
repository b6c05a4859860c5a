-- The secrets that sign a batch: every secret of the batch's webhooks still valid at :now (the current one and any
-- in its rotation grace period), newest first per webhook. One round trip per batch, not per delivery.
--
-- Index: webhook_secret_by_webhook (V1), (webhook_id, created_at DESC): a few rows per webhook (a small table is
-- read whole instead).
--
-- Parameters: :webhook_ids text[], :now timestamptz.
SELECT id, webhook_id, key_id, nonce, ciphertext, created_at, expires_at FROM webhook_secret
WHERE webhook_id = ANY(:webhook_ids) AND (expires_at IS NULL OR expires_at > :now)
ORDER BY webhook_id, created_at DESC, id DESC;
