/**
 * Per-tenant rate limits of the /v1 API: a Bucket4j token bucket per tenant in each replica's memory (the limit is
 * per replica), applied by a Quarkus REST filter after authentication, reported in X-RateLimit-* headers.
 */
package io.hookline.ratelimit;
