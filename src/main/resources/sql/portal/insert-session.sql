-- Starts a portal session: the SHA-256 of its id (the cookie value, never stored), its tenant and its lifetime.
--
-- Index: portal_session_pkey (V11), (id_hash): the insert checks it; the row also joins portal_session_expires.
--
-- Parameters: :id_hash bytea (32 bytes), :tenant text, :now timestamptz, :expires_at timestamptz. Writes: run it in
-- BEGIN … ROLLBACK by hand (sql/README.md).
INSERT INTO portal_session (id_hash, tenant, created_at, expires_at) VALUES (:id_hash, :tenant, :now, :expires_at);
