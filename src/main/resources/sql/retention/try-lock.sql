-- The advisory lock that lets one replica at a time run retention, taken at the start of every batch's transaction
-- and released by its commit, so a replica that dies mid-run holds nothing. False when another replica's batch (or
-- anyone holding the key) has it: the run then stops.
--
-- Index: none (no table).
--
-- Parameters: :lock_key bigint (Retention.LOCK_KEY, 7525356007711571969).
SELECT pg_try_advisory_xact_lock(:lock_key);
