-- The event feed (GET /v1/events, io.hookline.service.EventFeed): a tenant's events, oldest first, read with a cursor,
-- never skipping one.
--
-- Why not ORDER BY id: ids are minted before the insert and transactions commit in any order, so a consumer that
-- read evt_B (id 2) may later see evt_A (id 1) commit, behind its cursor, and miss it for ever. Instead each row
-- records the transaction that inserted it (xid8: 64 bits, never wraps), the feed is ordered by (xid, id), and a read
-- only returns rows whose xid is below pg_snapshot_xmin(pg_current_snapshot()), the oldest transaction still running
-- anywhere in the cluster. Every transaction below that line has finished, and every transaction that writes later
-- gets a larger xid, so no row can ever appear behind a cursor handed out. The price: an event is held back while an
-- older write transaction is still open (milliseconds for Hookline's own; see the README on idle sessions).
--
-- NULL = not in the feed: Hookline's own test event (webhook.test, POST /v1/webhooks/{id}/test) is written with NULL.
--
-- Cost on an existing table: pg_current_xact_id() is STABLE, so ADD COLUMN stores the default once in the catalog
-- (no rewrite; under 1 ms on 1,000,000 events, PostgreSQL 15) and every existing event gets this migration's xid: they
-- all come before any later event and keep their id order among themselves. Nothing in the old rows tells a test event
-- from a published event of type webhook.test, so old rows of that type are all taken out of the feed. The UPDATE and
-- the CHECK each read the table once (124 ms and 115 ms on 1,000,000 events).
ALTER TABLE event ADD COLUMN xid xid8 DEFAULT pg_current_xact_id();
UPDATE event SET xid = NULL WHERE type = 'webhook.test';
ALTER TABLE event ADD CONSTRAINT event_feed_or_test CHECK (xid IS NOT NULL OR type = 'webhook.test');

-- The feed's one query: a tenant's events after the cursor (xid, id), in that order, below the horizon. type is
-- included so the `types` filter is evaluated in the index (an index-only scan, no heap visit for events filtered
-- out). Building it reads the table once and blocks writes to event meanwhile (1.7 s for 1,000,000 events; the index is 74 MB, the table 372 MB); where that
-- is too long, create it beforehand with CREATE INDEX CONCURRENTLY under this name (after adding the column above by
-- hand, which is instant): IF NOT EXISTS then skips it here (see V2 for why CONCURRENTLY cannot run in a migration).
CREATE INDEX IF NOT EXISTS event_feed ON event (tenant, xid, id) INCLUDE (type) WHERE xid IS NOT NULL;
