package io.hookline.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a failed delivery again. The schedule lists the delays before the 2nd, 3rd, … attempt (default 5 s,
 * 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 28 hours); each delay is spread by ±jitter so that a
 * receiver coming back from an outage is not hit by every retry in the same second. A {@code Retry-After} answer (429,
 * 503) is honoured: the next attempt is not made before it, up to four times the scheduled delay so a receiver cannot
 * park a delivery for days; a shorter one does not bring the retry forward (a receiver answering "Retry-After: 2"
 * would otherwise use up a day's attempts in seconds).
 * Pure: time comes from the given clock. This class is threadsafe if its random generator is.
 */
public final class RetryPolicy {
    static final int RETRY_AFTER_CAP_FACTOR = 4;

    private final List<Duration> schedule;
    private final double jitter;
    private final Clock clock;
    private final RandomGenerator random;

    public RetryPolicy(List<Duration> schedule, double jitter, Clock clock, RandomGenerator random) {
        if (!(jitter >= 0 && jitter < 1)) { // written this way so that NaN is refused too
            throw new IllegalArgumentException("retry jitter must be >= 0 and < 1, was " + jitter);
        }
        for (Duration d : schedule) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("retry delays must not be negative, was " + d);
            }
        }
        this.schedule = List.copyOf(schedule);
        this.jitter = jitter;
        this.clock = clock;
        this.random = random;
    }

    /** Attempts a delivery gets in all: the first one and one per scheduled delay. */
    public int maxAttempts() {
        return schedule.size() + 1;
    }

    /**
     * @param attemptsMade attempts made so far, counting the one that just failed (1 after the first attempt)
     * @param retryAfter the receiver's {@code Retry-After}, if it sent one with a 429 or 503
     * @return when to try again, or empty when the delivery has had all its attempts
     */
    public Optional<Instant> nextAttempt(int attemptsMade, Optional<Duration> retryAfter) {
        if (attemptsMade < 1 || attemptsMade > schedule.size()) {
            return Optional.empty();
        }
        Duration base = schedule.get(attemptsMade - 1);
        Duration scheduled = spread(base);
        Duration delay = retryAfter
                .map(asked -> max(scheduled, min(asked, base.multipliedBy(RETRY_AFTER_CAP_FACTOR))))
                .orElse(scheduled);
        return Optional.of(clock.instant().plus(delay));
    }

    private Duration spread(Duration base) {
        if (jitter == 0 || base.isZero()) {
            return base;
        }
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.round(base.toMillis() * factor));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Reads a {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110). Empty when absent or unreadable;
     * a date in the past means "now".
     */
    public static Optional<Duration> parseRetryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration until = Duration.between(clock.instant(), at);
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
