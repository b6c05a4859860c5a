-- Wakes every replica's dispatcher after a publish has committed: sent, coalesced, by the PublishNotifier on the
-- queue pool. Each replica LISTENs on this channel (DeliveryQueue.CHANNEL holds the same name).
--
-- Index: none (no table).
--
-- Parameters: none.
SELECT pg_notify('hookline_deliveries', '');
