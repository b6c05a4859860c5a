-- Writes a batch of results and their attempt rows in one statement: one array per column, one element per result
-- (the recorder's batch, up to a few hundred). The UPDATE only matches rows still holding the result's lease token
-- (fencing: a replica whose lease expired cannot overwrite a newer claim); attempt rows are inserted only for the
-- rows it matched, and only for results that made an attempt (:started_at not null). A result that made no attempt
-- (cancelled) gives back the attempt the claim counted.
--
-- Index: delivery_pkey (d.id = r.id) for the UPDATE; delivery_attempt_pkey (delivery_id, attempt) for the INSERT
-- and its ON CONFLICT.
--
-- Parameters: arrays of the same length, one element per result: :ids text[], :tokens bigint[], :statuses text[],
-- :next_at, :completed_at, :started_at (ISO-8601 text[], cast here), :durations int[], :codes int[], :bodies text[],
-- :error_classes text[], :error_messages text[]. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
WITH r AS (
    SELECT * FROM unnest(:ids::text[], :tokens::bigint[], :statuses::text[], :next_at::timestamptz[],
                         :completed_at::timestamptz[], :started_at::timestamptz[], :durations::int[], :codes::int[],
                         :bodies::text[], :error_classes::text[], :error_messages::text[])
        AS r(id, token, status, next_at, completed_at, started_at, duration_ms, code, body,
             error_class, error_message)
), done AS (
    UPDATE delivery d
    SET status = r.status,
        next_attempt_at = COALESCE(r.next_at, d.next_attempt_at),
        attempts = CASE WHEN r.started_at IS NULL THEN d.attempts - 1 ELSE d.attempts END,
        lease_until = NULL, lease_token = NULL,
        last_status_code = COALESCE(r.code, CASE WHEN r.started_at IS NULL THEN d.last_status_code END),
        last_error = r.error_message,
        completed_at = r.completed_at
    FROM r
    WHERE d.id = r.id AND d.lease_token = r.token AND d.status = 'in_flight'
    RETURNING d.id, d.attempts
)
INSERT INTO delivery_attempt (delivery_id, attempt, started_at, duration_ms, response_status, response_body,
                              error_class, error_message)
SELECT r.id, done.attempts, r.started_at, r.duration_ms, r.code, r.body, r.error_class, r.error_message
FROM r JOIN done ON done.id = r.id
WHERE r.started_at IS NOT NULL
ON CONFLICT DO NOTHING;
