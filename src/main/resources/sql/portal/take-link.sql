-- Opens a portal link: deletes its row and returns its tenant and end. Single use: of two callers at once (on one
-- replica or two) exactly one gets the row. An expired row is deleted too; the service refuses it.
--
-- Index: portal_link_pkey (V11), (token_hash): one row.
--
-- Parameters: :token_hash bytea. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
DELETE FROM portal_link WHERE token_hash = :token_hash RETURNING tenant, expires_at;
