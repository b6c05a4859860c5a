-- The event feed's horizon now, as text (an xid8 in decimal): the oldest transaction still running in the cluster.
-- The same expression as in read.sql; FeedWaiters polls it while long polls wait, to wake those that read below an
-- older one.
--
-- Index: none (no table).
--
-- Parameters: none.
SELECT pg_snapshot_xmin(pg_current_snapshot())::text;
