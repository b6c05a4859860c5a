package io.hookline.queue;

import java.time.Instant;

/**
 * What became of one claimed delivery, as the queue records it. A closed set: the dispatcher decides, the queue only
 * writes.
 */
public sealed interface Outcome {
    Claim claim();

    /** An attempt was made (a request was sent, or refused before sending); {@code attempt} says how it went. */
    sealed interface Attempted extends Outcome {
        AttemptRecord attempt();
    }

    /** 2xx: done. */
    record Succeeded(Claim claim, AttemptRecord attempt) implements Attempted {}

    /** Failed; another attempt is due at {@code nextAttemptAt}. */
    record Retry(Claim claim, AttemptRecord attempt, Instant nextAttemptAt) implements Attempted {}

    /** Failed for good: last attempt spent, or the endpoint answered 410 Gone. */
    record Failed(Claim claim, AttemptRecord attempt, boolean gone) implements Attempted {}

    /** Not sent because the webhook is disabled or revoked; no attempt is counted. */
    record Cancelled(Claim claim, String reason) implements Outcome {}

    /**
     * Not sent: back to the queue, no attempt counted. {@code notBefore} null: due again at once (shutdown, too little
     * lease left); otherwise deferred until then (its webhook already has as many requests in flight as allowed).
     */
    record Released(Claim claim, Instant notBefore) implements Outcome {
        public Released(Claim claim) {
            this(claim, null);
        }
    }
}
