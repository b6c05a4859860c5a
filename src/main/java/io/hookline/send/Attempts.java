package io.hookline.send;

import io.hookline.crypto.WebhookSecret;
import io.hookline.queue.AttemptRecord;
import io.hookline.queue.Claim;
import io.hookline.queue.Outcome;
import io.hookline.retry.RetryPolicy;
import io.hookline.signing.Signatures;
import io.hookline.store.ErrorClass;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One attempt at a claimed delivery: sign, send, and decide what follows (done, retry, failed). Shared by the
 * dispatcher and the synchronous test send, so both sign and judge alike. This class is threadsafe.
 */
public class Attempts {
    private final Sender sender;
    private final RetryPolicy retry;
    private final Clock clock;
    private final String headerPrefix;
    private final String userAgent;

    public Attempts(Sender sender, RetryPolicy retry, Clock clock, String headerPrefix, String userAgent) {
        this.sender = sender;
        this.retry = retry;
        this.clock = clock;
        this.headerPrefix = headerPrefix;
        this.userAgent = userAgent;
    }

    public RetryPolicy retryPolicy() {
        return retry;
    }

    /**
     * @param secrets the webhook's valid secrets, newest first (not empty)
     * @param retryOnFailure false for a one-off send (the test endpoint): a failure is then final
     */
    public CompletionStage<Outcome> attempt(Claim claim, List<WebhookSecret> secrets, boolean retryOnFailure) {
        return send(claim, secrets, retryOnFailure).thenApply(Sent::outcome);
    }

    /** An attempt's outcome, and the receiver's {@code Retry-After} on a 429 or 503 (null otherwise or unreadable). */
    public record Sent(Outcome outcome, Duration retryAfter) {}

    /** {@link #attempt}, with the receiver's Retry-After: the dispatcher pauses the endpoint's lane for it. */
    public CompletionStage<Sent> send(Claim claim, List<WebhookSecret> secrets, boolean retryOnFailure) {
        Instant startedAt = clock.instant();
        Map<String, String> headers = headers(claim, secrets, startedAt.getEpochSecond());
        return sender.send(claim.url(), headers, claim.body())
                .thenApply(result -> new Sent(
                        judge(claim, result, startedAt, retryOnFailure),
                        retryAfter(result).orElse(null)));
    }

    private Optional<Duration> retryAfter(SendResult result) {
        return result.status() != null && (result.status() == 429 || result.status() == 503)
                ? RetryPolicy.parseRetryAfter(result.retryAfter(), clock)
                : Optional.empty();
    }

    Map<String, String> headers(Claim claim, List<WebhookSecret> secrets, long timestamp) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", userAgent);
        headers.put(headerPrefix + "-Signature", Signatures.hex(secrets.get(0), claim.body()));
        headers.put(headerPrefix + "-Delivery", claim.deliveryId());
        headers.put(headerPrefix + "-Event", claim.eventType());
        headers.put("webhook-id", claim.eventId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put(
                "webhook-signature", Signatures.standardWebhooks(secrets, claim.eventId(), timestamp, claim.body()));
        return headers;
    }

    Outcome judge(Claim claim, SendResult result, Instant startedAt, boolean retryOnFailure) {
        AttemptRecord attempt = new AttemptRecord(
                startedAt,
                result.durationMs(),
                result.status(),
                result.body(),
                result.errorClass(),
                result.errorMessage());
        if (result.ok()) {
            return new Outcome.Succeeded(claim, attempt);
        }
        if (result.status() != null && result.status() == 410) {
            return new Outcome.Failed(claim, attempt, true);
        }
        if (!retryOnFailure) {
            return new Outcome.Failed(claim, attempt, false);
        }
        return retry.nextAttempt(claim.attempt(), retryAfter(result))
                .<Outcome>map(next -> new Outcome.Retry(claim, attempt, next))
                .orElseGet(() -> new Outcome.Failed(claim, attempt, false));
    }

    /** A bug while attempting (not a receiver failure): logged by the caller, retried like any failure. */
    public Outcome internalError(Claim claim, Throwable error) {
        Instant now = clock.instant();
        String why = error instanceof IllegalStateException && error.getMessage() != null
                ? error.getMessage()
                : error.getClass().getSimpleName();
        AttemptRecord attempt = new AttemptRecord(now, 0, null, null, ErrorClass.INTERNAL, "not sent: " + why);
        return retry.nextAttempt(claim.attempt(), Optional.empty())
                .<Outcome>map(next -> new Outcome.Retry(claim, attempt, next))
                .orElseGet(() -> new Outcome.Failed(claim, attempt, false));
    }
}
