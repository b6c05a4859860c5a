package io.hookline.retry;

import io.hookline.testsupport.UnitTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@UnitTest
class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z"); // a Sunday
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final List<Duration> DEFAULT_SCHEDULE = List.of(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(10));

    private static RetryPolicy policy(double jitter, RandomGenerator random) {
        return new RetryPolicy(DEFAULT_SCHEDULE, jitter, CLOCK, random);
    }

    private static RetryPolicy exact() {
        return policy(0, new SplittableRandom(1));
    }

    /** A generator whose {@code nextDouble()} always returns the given value. */
    private static RandomGenerator always(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private static Duration delay(Optional<Instant> next) {
        return Duration.between(NOW, next.orElseThrow());
    }

    @Test
    void the_default_schedule_gives_eight_attempts_in_all() {
        assertEquals(8, exact().maxAttempts());
    }

    @Test
    void without_jitter_each_retry_waits_exactly_its_scheduled_delay() {
        RetryPolicy policy = exact();
        for (int made = 1; made <= 7; made++) {
            assertEquals(
                    DEFAULT_SCHEDULE.get(made - 1), delay(policy.nextAttempt(made, Optional.empty())), "after " + made);
        }
    }

    @Test
    void after_the_last_attempt_there_is_no_next_one() {
        RetryPolicy policy = exact();
        assertTrue(policy.nextAttempt(7, Optional.empty()).isPresent());
        assertEquals(Optional.empty(), policy.nextAttempt(8, Optional.empty()));
        assertEquals(Optional.empty(), policy.nextAttempt(8, Optional.of(Duration.ofSeconds(1))));
        assertEquals(Optional.empty(), policy.nextAttempt(9, Optional.empty()));
    }

    @Test
    void jitter_keeps_every_delay_within_twenty_percent_and_actually_varies() {
        RetryPolicy policy = policy(0.2, new SplittableRandom(20260301L));
        for (int made = 1; made <= 7; made++) {
            long base = DEFAULT_SCHEDULE.get(made - 1).toMillis();
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int draw = 0; draw < 2000; draw++) {
                long ms = delay(policy.nextAttempt(made, Optional.empty())).toMillis();
                min = Math.min(min, ms);
                max = Math.max(max, ms);
            }
            String where = "after " + made + ": min " + min + " max " + max + " base " + base;
            assertTrue(min >= Math.round(base * 0.8) && max <= Math.round(base * 1.2), where);
            assertTrue(min < base * 0.85 && max > base * 1.15, where);
        }
    }

    @Test
    void jitter_at_the_ends_of_the_random_range_moves_the_delay_by_exactly_the_jitter() {
        Optional<Duration> none = Optional.empty();
        assertEquals(Duration.ofMinutes(24), delay(policy(0.2, always(0.0)).nextAttempt(3, none)));
        assertEquals(Duration.ofMinutes(30), delay(policy(0.2, always(0.5)).nextAttempt(3, none)));
        assertEquals(
                Duration.ofMinutes(36),
                delay(policy(0.2, always(Math.nextDown(1.0))).nextAttempt(3, none)));
    }

    @Test
    void retry_after_longer_than_the_scheduled_delay_is_waited_for() {
        Optional<Duration> asked = RetryPolicy.parseRetryAfter(" 600 ", CLOCK);
        assertEquals(Optional.of(Duration.ofSeconds(600)), asked);
        assertEquals(Duration.ofSeconds(600), delay(policy(0.2, always(0.0)).nextAttempt(2, asked)));
    }

    @Test
    void retry_after_shorter_than_the_scheduled_delay_does_not_bring_the_retry_forward() {
        // a receiver answering 429 with Retry-After: 2 must not burn its attempts in seconds
        Optional<Duration> asked = RetryPolicy.parseRetryAfter("2", CLOCK);
        assertEquals(Duration.ofMinutes(4), delay(policy(0.2, always(0.0)).nextAttempt(2, asked)));
    }

    @Test
    void retry_after_is_capped_at_four_times_the_scheduled_delay() {
        RetryPolicy policy = exact();
        assertEquals(Duration.ofSeconds(20), delay(policy.nextAttempt(1, RetryPolicy.parseRetryAfter("20", CLOCK))));
        assertEquals(Duration.ofSeconds(20), delay(policy.nextAttempt(1, RetryPolicy.parseRetryAfter("21", CLOCK))));
        assertEquals(Duration.ofHours(40), delay(policy.nextAttempt(7, RetryPolicy.parseRetryAfter("864000", CLOCK))));
    }

    @Test
    void retry_after_as_an_http_date_is_honoured_and_capped() {
        Optional<Duration> inTwoMinutes = RetryPolicy.parseRetryAfter("Sun, 01 Mar 2026 12:02:00 GMT", CLOCK);
        assertEquals(Optional.of(Duration.ofMinutes(2)), inTwoMinutes);
        assertEquals(Duration.ofMinutes(5), delay(exact().nextAttempt(2, inTwoMinutes)), "the schedule is longer");
        Optional<Duration> inTenMinutes = RetryPolicy.parseRetryAfter("Sun, 01 Mar 2026 12:10:00 GMT", CLOCK);
        assertEquals(Duration.ofMinutes(10), delay(exact().nextAttempt(2, inTenMinutes)));

        Optional<Duration> tomorrow = RetryPolicy.parseRetryAfter("Mon, 02 Mar 2026 12:00:00 GMT", CLOCK);
        assertEquals(Optional.of(Duration.ofDays(1)), tomorrow);
        assertEquals(Duration.ofMinutes(20), delay(exact().nextAttempt(2, tomorrow)));
    }

    @Test
    void a_retry_after_date_in_the_past_leaves_the_schedule_as_it_is() {
        Optional<Duration> past = RetryPolicy.parseRetryAfter("Sun, 01 Mar 2026 11:00:00 GMT", CLOCK);
        assertEquals(Optional.of(Duration.ZERO), past);
        assertEquals(Optional.of(NOW.plus(Duration.ofHours(2))), exact().nextAttempt(4, past));
    }

    @Test
    void an_unreadable_retry_after_is_ignored_and_the_schedule_applies() {
        for (String garbage : Arrays.asList(
                null,
                "",
                "   ",
                "soon",
                "-5",
                "1.5",
                "120s",
                "0x10",
                "2026-03-01T12:02:00Z",
                "Sun, 01 Mar 2026 25:00:00 GMT")) {
            Optional<Duration> parsed = RetryPolicy.parseRetryAfter(garbage, CLOCK);
            assertEquals(Optional.empty(), parsed, "for " + garbage);
            assertEquals(Duration.ofMinutes(5), delay(exact().nextAttempt(2, parsed)), "for " + garbage);
        }
    }

    @Test
    void a_jitter_outside_zero_inclusive_to_one_exclusive_is_refused_with_a_message() {
        for (double jitter : new double[] {-0.01, 1.0, 1.5, Double.NaN}) {
            IllegalArgumentException refused = assertThrows(
                    IllegalArgumentException.class, () -> policy(jitter, new SplittableRandom(1)), "jitter " + jitter);
            assertTrue(refused.getMessage().contains("jitter"), refused.getMessage());
            assertTrue(refused.getMessage().contains(String.valueOf(jitter)), refused.getMessage());
        }
    }

    @Test
    void a_negative_delay_is_refused_with_a_message() {
        List<Duration> schedule = List.of(Duration.ofSeconds(5), Duration.ofSeconds(-1));
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> new RetryPolicy(schedule, 0.2, CLOCK, new SplittableRandom(1)));
        assertTrue(refused.getMessage().contains("negative"), refused.getMessage());
        assertTrue(refused.getMessage().contains("PT-1S"), refused.getMessage());
    }
}
