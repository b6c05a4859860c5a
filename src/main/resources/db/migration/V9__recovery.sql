-- Recovery (POST /v1/webhooks/{id}/recover): a delivery re-queued from a failed one names it, so a second recover of
-- the same window re-queues nothing while the copy is waiting, being sent or has succeeded.
ALTER TABLE delivery ADD COLUMN recovered_from text;

-- At most one live or successful copy per failed delivery; a copy that fails again leaves the index, and the next
-- recover may queue another. Also what recover's ON CONFLICT names.
CREATE UNIQUE INDEX delivery_recovered_once ON delivery (recovered_from)
    WHERE recovered_from IS NOT NULL AND status IN ('pending', 'in_flight', 'succeeded');
