package io.hookline.queue;

import java.time.Instant;

/**
 * A delivery claimed by this replica: everything needed to send it without another query, and the fencing token
 * without which its result cannot be written.
 */
public record Claim(
        String deliveryId,
        String eventId,
        String webhookId,
        String tenant,
        int attempt,
        long leaseToken,
        Instant leaseUntil,
        String eventType,
        byte[] body,
        String url,
        /** false when the webhook was disabled or revoked after the delivery was queued: it is then not sent */
        boolean webhookLive,
        /** when the event was published: the start of the publish-to-delivery lag */
        Instant eventCreatedAt,
        /** the webhook's own cap on requests in flight to it (per replica), null for none */
        Integer maxConcurrency) {}
