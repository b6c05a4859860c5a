-- Deletes up to :limit portal links expired before :now, oldest first: a small batch on each issue, so the table
-- stays small without a job of its own.
--
-- Index: portal_link_expires (V11), (expires_at): a range scan in expiry order that stops after :limit rows; the
-- DELETE then finds them by portal_link_pkey.
--
-- Parameters: :now timestamptz, :limit int. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
DELETE FROM portal_link WHERE token_hash IN (
    SELECT token_hash FROM portal_link WHERE expires_at < :now ORDER BY expires_at LIMIT :limit);
