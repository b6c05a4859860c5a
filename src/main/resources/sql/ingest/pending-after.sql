-- The next :limit pending inbound requests for the sweep, oldest first, after a cursor (:after_received_at,
-- :after_id), so a run passes each row once even when some stay pending. Start with the epoch and ''.
--
-- Index: source_request_pending (V10), (received_at) WHERE status = 'pending': only the pending rows, in received_at
-- order from the cursor on, however many finished rows the table holds; rows of the same received_at are ordered by
-- id among themselves.
--
-- Parameters: :after_received_at timestamptz, :after_id text, :limit int.
SELECT id, received_at FROM source_request
WHERE status = 'pending' AND (received_at, id) > (:after_received_at, :after_id)
ORDER BY received_at, id
LIMIT :limit;
