-- The customer portal (/portal, io.hookline.portal): one-time portal links and the browser sessions they start.
-- Both tables hold only SHA-256 hashes of the random values handed out, never the values themselves: someone who can
-- read the database (a backup, a replica, a support query) cannot open a portal with what is stored. Every replica
-- shares these rows, so a link issued through one replica opens a session any replica honours.

CREATE TABLE portal_link (
    -- SHA-256 of the 32 random bytes in the link's URL
    token_hash  bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    tenant      text        NOT NULL CHECK (length(tenant) BETWEEN 1 AND 255),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    CONSTRAINT portal_link_expires_after_creation CHECK (expires_at > created_at)
);
-- Expired links are deleted in small batches (PortalSessions.DELETE_EXPIRED_LINKS), oldest first.
CREATE INDEX portal_link_expires ON portal_link (expires_at);

CREATE TABLE portal_session (
    -- SHA-256 of the 32 random bytes in the session cookie
    id_hash     bytea       PRIMARY KEY CHECK (length(id_hash) = 32),
    tenant      text        NOT NULL CHECK (length(tenant) BETWEEN 1 AND 255),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    CONSTRAINT portal_session_expires_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX portal_session_expires ON portal_session (expires_at);
