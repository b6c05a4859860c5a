/**
 * Inbound provider webhooks, as pure functions: verifying a request by its provider's own rules (Stripe, GitHub,
 * Standard Webhooks, a plain hex HMAC), reading the provider's event id and type from it, and normalising it into a
 * Hookline event type and data. Nothing here touches the database, the clock or the network: the caller passes the
 * time, the secret and the raw bytes, so every rule is tested with plain JUnit and vectors computed outside Java.
 */
package io.hookline.ingest;
