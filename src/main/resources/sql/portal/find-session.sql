-- The tenant and end of a session still live at :now; no row when it is unknown, ended or expired.
--
-- Index: portal_session_pkey (V11), (id_hash): one row; expires_at is checked on it.
--
-- Parameters: :id_hash bytea, :now timestamptz.
SELECT tenant, expires_at FROM portal_session WHERE id_hash = :id_hash AND expires_at > :now;
