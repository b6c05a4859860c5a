-- Disables a webhook with a reason (410 Gone, or failing for too long); a webhook already disabled or revoked is
-- left as it is, so the caller learns from the row count whether it was this call that disabled it.
--
-- Index: webhook_pkey.
--
-- Parameters: :reason text, :now timestamptz, :webhook_id text.
UPDATE webhook SET enabled = false, disabled_reason = :reason, updated_at = :now
WHERE id = :webhook_id AND enabled AND revoked_at IS NULL;
