-- Locks one pending inbound request for publishing, with what making its event needs: the request, its source's
-- provider and type mapping. No row: it is published or failed already, or another transaction (another replica, the
-- sweep) holds it right now; SKIP LOCKED answers that at once instead of waiting. Only the request row is locked, not
-- its source.
--
-- Index: source_request_pkey (V10), (id): one row; source_pkey (V10) for the join.
--
-- Parameters: :id text. Locks: run it in BEGIN … ROLLBACK by hand (sql/README.md).
SELECT r.source_id, r.tenant, r.provider_event_id, r.provider_event_type, r.body, s.provider,
       s.type_mapping::text
FROM source_request r JOIN source s ON s.id = r.source_id
WHERE r.id = :id AND r.status = 'pending'
FOR UPDATE OF r SKIP LOCKED;
