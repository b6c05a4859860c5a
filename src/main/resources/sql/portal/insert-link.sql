-- Stores a new portal link: the SHA-256 of its token (never the token), its tenant and its lifetime.
--
-- Index: portal_link_pkey (V11), (token_hash): the insert checks it; the row also joins portal_link_expires.
--
-- Parameters: :token_hash bytea (32 bytes), :tenant text, :now timestamptz, :expires_at timestamptz. Writes: run it
-- in BEGIN … ROLLBACK by hand (sql/README.md).
INSERT INTO portal_link (token_hash, tenant, created_at, expires_at) VALUES (:token_hash, :tenant, :now, :expires_at);
