-- Deletes up to :limit portal sessions expired before :now, oldest first: a small batch on each session start, so the
-- table stays small without a job of its own.
--
-- Index: portal_session_expires (V11), (expires_at): a range scan in expiry order that stops after :limit rows; the
-- DELETE then finds them by portal_session_pkey.
--
-- Parameters: :now timestamptz, :limit int. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
DELETE FROM portal_session WHERE id_hash IN (
    SELECT id_hash FROM portal_session WHERE expires_at < :now ORDER BY expires_at LIMIT :limit);
