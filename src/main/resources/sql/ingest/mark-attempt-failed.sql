-- Counts a failed publish attempt of a pending request, with its reason. A permanent failure (:permanent), or the
-- last allowed attempt (:max_attempts), ends the row as failed; the body is kept for inspection. Else it stays pending
-- for the sweep.
--
-- Index: source_request_pkey (V10), (id): one row.
--
-- Parameters: :error text, :permanent boolean, :max_attempts int, :id text. Writes: run it in BEGIN … ROLLBACK by
-- hand (sql/README.md).
UPDATE source_request
SET attempts = attempts + 1, error = :error,
    status = CASE WHEN :permanent OR attempts + 1 >= :max_attempts THEN 'failed' ELSE status END
WHERE id = :id AND status = 'pending';
