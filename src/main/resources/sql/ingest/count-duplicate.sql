-- Counts a retry of a provider event already stored, and returns the id of its stored request (the answer to the
-- retry). Runs after insert-request.sql inserted nothing, in the same transaction, so the row exists.
--
-- Index: source_request_dedup (V10), unique (source_id, provider_event_id): one row.
--
-- Parameters: :source_id text, :provider_event_id text. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
UPDATE source_request SET duplicates = duplicates + 1
WHERE source_id = :source_id AND provider_event_id = :provider_event_id
RETURNING id;
