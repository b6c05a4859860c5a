-- Ends a portal session (sign-out).
--
-- Index: portal_session_pkey (V11), (id_hash): one row.
--
-- Parameters: :id_hash bytea. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
DELETE FROM portal_session WHERE id_hash = :id_hash;
