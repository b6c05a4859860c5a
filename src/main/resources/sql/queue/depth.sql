-- Queue depth for the metrics: pending, pending and due at :now, in flight. Each count stops at a million rows, so a
-- scrape costs the same however large the backlog.
--
-- Index: delivery_due (V1), partial on status = 'pending', for the first two (the second a range on
-- next_attempt_at); delivery_lease (V1), partial on status = 'in_flight', for the third. Index-only scans where the
-- visibility map allows.
--
-- Parameters: :now timestamptz.
SELECT (SELECT count(*) FROM (SELECT 1 FROM delivery WHERE status = 'pending' LIMIT 1000000) p),
       (SELECT count(*) FROM (SELECT 1 FROM delivery WHERE status = 'pending' AND next_attempt_at <= :now
                              LIMIT 1000000) d),
       (SELECT count(*) FROM (SELECT 1 FROM delivery WHERE status = 'in_flight' LIMIT 1000000) f);
