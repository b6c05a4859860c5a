-- One read of a tenant's event feed (GET /v1/events, service.EventFeed): the events after the cursor (:after_xid,
-- :after_id) in feed order (xid, id), below the feed's horizon, that pass the types filter: everything (:all), one of
-- the exact types (:exact) or a type starting with one of the prefixes (:prefixes). :page_size is the limit + 1 (the
-- extra one only says that the page is full); :scan is how many index entries to look at, at most.
-- horizon: pg_snapshot_xmin of this statement's own snapshot, so every event below it that was committed is visible
-- to the scan. scanned: the events after the cursor. The answer has at least one row, so the horizon and where the
-- scan stopped (the last scanned xid and id) come back even when no event does; each row repeats them. xid8 values
-- go in and out as text (decimal).
--
-- Index: event_feed (V13), (tenant, xid, id) INCLUDE (type) WHERE xid IS NOT NULL: scanned is an index-only scan
-- from the cursor on, type filter included, stopping after :scan entries; the page's events are then read by
-- event_pkey.
--
-- Parameters: :all boolean, :exact text[], :prefixes text[], :tenant text, :after_xid text (an xid8, cast here),
-- :after_id text, :scan int, :page_size int.
WITH horizon AS MATERIALIZED (
    SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin
), scanned AS MATERIALIZED (
    SELECT e.xid, e.id,
           (:all OR e.type = ANY (:exact::text[])
              OR EXISTS (SELECT 1 FROM unnest(:prefixes::text[]) AS p(prefix) WHERE starts_with(e.type, p.prefix)))
             AS wanted
    FROM event e
    WHERE e.tenant = :tenant AND e.xid IS NOT NULL AND e.xid < (SELECT xmin FROM horizon)
      AND (e.xid, e.id) > (:after_xid::xid8, :after_id)
    ORDER BY e.xid, e.id
    LIMIT :scan
), page AS (
    SELECT xid, id FROM scanned WHERE wanted ORDER BY xid, id LIMIT :page_size
)
SELECT h.xmin::text, (SELECT count(*) FROM scanned), l.xid::text, l.id,
       p.xid::text, e.id, e.type, e.created_at, e.body
FROM horizon h
LEFT JOIN LATERAL (SELECT xid, id FROM scanned ORDER BY xid DESC, id DESC LIMIT 1) l ON true
LEFT JOIN (page p JOIN event e ON e.id = p.id) ON true
ORDER BY p.xid, p.id;
