-- Inbound sources (issue 13): a provider (Stripe, GitHub, a Standard Webhooks sender, anything that signs a hex
-- HMAC) posts to /ingest/{source id}; a request that verifies under the source's secret is stored here in the same
-- transaction that answers it, then turned into an event of the tenant by a separate step. Storing first is what makes
-- the answer fast and the hand-off crash-safe: a replica that dies after the answer leaves a pending row that any
-- replica's sweep publishes later (a crash can duplicate the work, never lose it; the event's idempotency key, made
-- from the source and the provider's event id, keeps it one event).

CREATE TABLE source (
    -- src_ + 42 characters: 160 random bits, since the id is the capability in the public ingest URL
    id               text        PRIMARY KEY,
    tenant           text        NOT NULL,
    provider         text        NOT NULL CHECK (provider IN ('stripe', 'github', 'standard-webhooks', 'hmac-sha256')),
    description      text        CHECK (length(description) <= 512),
    -- the header holding the signature, for the hmac-sha256 scheme only
    signature_header text        CHECK (length(signature_header) BETWEEN 1 AND 100),
    -- provider event type -> Hookline event type, overriding or extending the built-in mapping
    type_mapping     jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(type_mapping) = 'object'),
    -- the provider's signing secret, AES-256-GCM under the master key named by key_id, the source id as associated
    -- data (as webhook_secret); destroyed when the source is deleted
    key_id           text,
    nonce            bytea       CHECK (length(nonce) = 12),
    ciphertext       bytea,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    deleted_at       timestamptz,
    -- the latest refused request (nothing of the request itself is stored), written at most once a minute
    last_rejected_at timestamptz,
    last_rejection   text        CHECK (last_rejection IN ('missing_signature', 'bad_signature', 'stale_timestamp',
                                                           'too_large', 'malformed')),
    CONSTRAINT source_header_is_for_hmac CHECK ((provider = 'hmac-sha256') = (signature_header IS NOT NULL)),
    CONSTRAINT source_secret_while_live CHECK (
        (deleted_at IS NULL) = (key_id IS NOT NULL AND nonce IS NOT NULL AND ciphertext IS NOT NULL))
);
-- The tenant's list, newest first, cursor on id.
CREATE INDEX source_tenant_live ON source (tenant, id DESC) WHERE deleted_at IS NULL;
-- Retention: deleted sources whose log is empty.
CREATE INDEX source_deleted ON source (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE source_request (
    id                  text        PRIMARY KEY,
    source_id           text        NOT NULL REFERENCES source (id),
    tenant              text        NOT NULL,
    received_at         timestamptz NOT NULL,
    -- Stripe's evt_…, X-GitHub-Delivery, webhook-id, or sha256:<hex of the body> for the plain scheme
    provider_event_id   text        NOT NULL CHECK (length(provider_event_id) BETWEEN 1 AND 200),
    provider_event_type text        NOT NULL CHECK (length(provider_event_type) BETWEEN 1 AND 255),
    -- the verified body; dropped once the event holds it
    body                bytea,
    status              text        NOT NULL DEFAULT 'pending',
    -- retries of the same provider event that were answered and de-duplicated onto this row
    duplicates          integer     NOT NULL DEFAULT 0 CHECK (duplicates >= 0),
    -- publish attempts that failed (a database error, or a bug); after 10 the row is failed
    attempts            integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- the event it became (no foreign key: events have their own retention)
    event_id            text,
    event_type          text,
    published_at        timestamptz,
    error               text,
    CONSTRAINT source_request_status CHECK (status IN ('pending', 'published', 'failed')),
    CONSTRAINT source_request_pending_has_body CHECK (status <> 'pending' OR body IS NOT NULL),
    CONSTRAINT source_request_published_has_event CHECK (
        (status = 'published') = (event_id IS NOT NULL AND event_type IS NOT NULL AND published_at IS NOT NULL)),
    CONSTRAINT source_request_failed_has_error CHECK (status <> 'failed' OR error IS NOT NULL)
);
-- De-duplication: one row per provider event and source (INSERT … ON CONFLICT DO NOTHING on this index).
CREATE UNIQUE INDEX source_request_dedup ON source_request (source_id, provider_event_id);
-- The ingest log of a source, newest first.
CREATE INDEX source_request_by_source ON source_request (source_id, id DESC);
-- The sweep: stored but not yet published.
CREATE INDEX source_request_pending ON source_request (received_at) WHERE status = 'pending';
-- Retention: finished rows, oldest first.
CREATE INDEX source_request_finished ON source_request (received_at) WHERE status <> 'pending';
