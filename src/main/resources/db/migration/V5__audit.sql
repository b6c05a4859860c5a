-- The audit log of issue 11: who changed what for a tenant, and when. A platform's backend acts for any tenant
-- (the platform role and the Hookline-Tenant header), support staff too, and the tenant's own tokens and portal
-- sessions change the same objects: each change writes one row here, in the transaction of the change, so a
-- change and its entry commit or roll back together.
--
-- No secret is ever stored here: the service writes object ids, the names of changed fields and small numbers
-- (a grace period), never a URL, a payload or a secret. Rows are never updated; the retention job does not delete
-- them (an audit log is kept for as long as the operator decides).

CREATE TABLE audit_entry (
    id            text        PRIMARY KEY,
    tenant        text        NOT NULL,
    created_at    timestamptz NOT NULL,
    -- what was done (created, changed, rotated, revoked, redelivered, tested, issued, …) to what (webhook, …)
    action        text        NOT NULL CHECK (action ~ '^[a-z_]{1,40}$'),
    object_type   text        NOT NULL CHECK (object_type ~ '^[a-z_]{1,40}$'),
    object_id     text        CHECK (length(object_id) <= 64),
    -- how the actor reached the tenant, and who it was: the token's sub and its client (azp)
    actor_via     text        NOT NULL CHECK (actor_via IN ('tenant', 'platform', 'portal', 'system')),
    actor_subject text        CHECK (length(actor_subject) <= 255),
    actor_client  text        CHECK (length(actor_client) <= 255),
    detail        text        CHECK (length(detail) <= 500)
);
-- Serves GET /v1/audit: one tenant's entries, newest first, cursor on id (ids sort by creation time).
CREATE INDEX audit_entry_tenant ON audit_entry (tenant, id DESC);
