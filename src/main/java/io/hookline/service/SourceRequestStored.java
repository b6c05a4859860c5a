package io.hookline.service;

/** CDI event: a verified inbound request was stored; observed after commit by {@link IngestPublisher}. */
record SourceRequestStored(String requestId) {}
