-- A new error class, invalid_response: an answer that is not HTTP, or whose status line or headers are over the
-- sender's limits (4,096 and 8,192 bytes). Until now such an attempt was logged as `connection`, which also means
-- "refused, reset or closed": the operator could not tell a receiver that is down from one that answers garbage, and
-- the fix differs (start the server vs. fix what it sends). The API documents the set (DeliveryAttempt.errorClass),
-- and io.hookline.delivery.http.ErrorClass holds the same values (DatabaseEnumsTest keeps them equal).
--
-- V1 declared the CHECK inline on the column, so PostgreSQL named it delivery_attempt_error_class_check; it is
-- dropped and added again under that same name, so the name stays what a V1-only database has. A CHECK cannot be
-- altered in place. Existing rows are not changed: their `connection` stays as it was logged (the message, which
-- starts with "invalid response", still tells them apart). ADD CONSTRAINT checks every existing row under an ACCESS
-- EXCLUSIVE lock; the new set only grows the old one, so every row passes, and the check is one sequential scan of
-- delivery_attempt (the retention job keeps it bounded).
ALTER TABLE delivery_attempt DROP CONSTRAINT delivery_attempt_error_class_check;
ALTER TABLE delivery_attempt ADD CONSTRAINT delivery_attempt_error_class_check
    CHECK (error_class IN ('http_status', 'timeout', 'connection', 'tls', 'dns', 'blocked_address', 'redirect',
                           'invalid_response', 'internal'));
