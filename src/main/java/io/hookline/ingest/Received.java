package io.hookline.ingest;

/**
 * What a verified request is, in the provider's terms.
 *
 * @param providerEventId the provider's id of the event, which de-duplicates retries: Stripe's {@code evt_…}, GitHub's
 *     {@code X-GitHub-Delivery}, Standard Webhooks' {@code webhook-id}, the SHA-256 of the body for the plain scheme
 * @param providerEventType the provider's type: Stripe's {@code type}, GitHub's {@code X-GitHub-Event}, the body's
 *     {@code type} for Standard Webhooks and (when present) the plain scheme
 */
public record Received(String providerEventId, String providerEventType) {
    /** Longest provider event id kept: it becomes part of the event's idempotency key (255 characters at most). */
    public static final int MAX_ID = 200;
    /** Longest provider event type kept. */
    public static final int MAX_TYPE = 255;
}
