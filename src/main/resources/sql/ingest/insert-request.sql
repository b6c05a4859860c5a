-- Stores one verified inbound request, pending until the IngestPublisher makes it an event. A retry of a provider
-- event already stored inserts nothing (no error): the service then counts it with count-duplicate.sql.
--
-- Index: source_request_dedup (V10), unique (source_id, provider_event_id): the ON CONFLICT arbiter. The insert also
-- checks source_request_pkey and adds the row to source_request_pending.
--
-- Parameters: :id text, :source_id text, :tenant text, :received_at timestamptz, :provider_event_id text,
-- :provider_event_type text, :body bytea. Writes: run it in BEGIN … ROLLBACK by hand (sql/README.md).
INSERT INTO source_request
    (id, source_id, tenant, received_at, provider_event_id, provider_event_type, body)
VALUES (:id, :source_id, :tenant, :received_at, :provider_event_id, :provider_event_type, :body)
ON CONFLICT (source_id, provider_event_id) DO NOTHING;
