package io.hookline.ratelimit;

import io.hookline.config.HooklineConfig;
import io.hookline.testsupport.UnitTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The start-up rules of the hookline.rate-limit.* keys. */
@UnitTest
class RateLimitConfigTest {

    record Keys(boolean enabled, double requestsPerSecond, long burst, int maxTenants)
            implements HooklineConfig.RateLimit {}

    @Test
    void the_defaults_and_a_fractional_rate_pass() {
        assertDoesNotThrow(() -> RateLimiter.validate(new Keys(true, 50, 100, 10_000)));
        assertDoesNotThrow(() -> RateLimiter.validate(new Keys(true, 0.5, 1, 1)));
    }

    @Test
    void each_broken_rule_is_refused_naming_the_key() {
        assertRefused(new Keys(true, 50, 0, 10_000), "hookline.rate-limit.burst must be >= 1, was 0");
        assertRefused(
                new Keys(true, 0, 100, 10_000),
                "hookline.rate-limit.requests-per-second must be > 0 and <= 1000000, was 0.0");
        assertRefused(
                new Keys(true, Double.NaN, 100, 10_000),
                "hookline.rate-limit.requests-per-second must be > 0 and <= 1000000, was NaN");
        assertRefused(new Keys(true, 50, 100, 0), "hookline.rate-limit.max-tenants must be >= 1, was 0");
    }

    private static void assertRefused(Keys keys, String message) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RateLimiter.validate(keys));
        assertEquals(message, e.getMessage());
    }
}
