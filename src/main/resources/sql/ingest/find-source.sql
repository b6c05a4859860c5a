-- The live source an inbound request is addressed to, with what verifying it needs: its tenant, provider, signature
-- header and sealed secret. No row: the source does not exist or was deleted.
--
-- Index: source_pkey (V10), (id): one row; deleted_at is checked on it.
--
-- Parameters: :source_id text.
SELECT tenant, provider, signature_header, key_id, nonce, ciphertext
FROM source WHERE id = :source_id AND deleted_at IS NULL;
