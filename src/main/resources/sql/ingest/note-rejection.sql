-- Notes a refused request on its source (lastRejection), but only when the last note is older than :noted_before
-- (a minute before :now): a flood of refusals is one write a minute. A deleted source is not touched.
--
-- Index: source_pkey (V10), (id): one row.
--
-- Parameters: :now timestamptz, :reason text, :source_id text, :noted_before timestamptz. Writes: run it in
-- BEGIN … ROLLBACK by hand (sql/README.md).
UPDATE source SET last_rejected_at = :now, last_rejection = :reason
WHERE id = :source_id AND deleted_at IS NULL AND (last_rejected_at IS NULL OR last_rejected_at < :noted_before);
