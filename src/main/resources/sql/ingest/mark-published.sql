-- Marks a locked request published, with the event it became; the body is dropped (the event holds it). Runs in the
-- transaction that locked it (lock-pending.sql) and published the event.
--
-- Index: source_request_pkey (V10), (id): one row. The row leaves source_request_pending and joins
-- source_request_finished.
--
-- Parameters: :event_id text, :event_type text, :published_at timestamptz, :id text. Writes: run it in
-- BEGIN … ROLLBACK by hand (sql/README.md).
UPDATE source_request
SET status = 'published', event_id = :event_id, event_type = :event_type, published_at = :published_at, body = NULL,
    error = NULL
WHERE id = :id;
