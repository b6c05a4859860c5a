-- A customer's own cap on the requests Hookline sends to one endpoint at once (PATCH {"maxConcurrency": N}).
-- NULL: no cap of the customer's; the endpoint's adaptive limit then moves up to the replica's ceiling
-- (hookline.delivery.max-concurrency-per-webhook). The upper bound is that ceiling, a setting, so only the lower
-- bound is a constraint here; the API refuses values above the ceiling. The claim returns it with every delivery, so a
-- change takes effect at the next claim without a cache.
ALTER TABLE webhook ADD COLUMN max_concurrency integer CHECK (max_concurrency IS NULL OR max_concurrency >= 1);
