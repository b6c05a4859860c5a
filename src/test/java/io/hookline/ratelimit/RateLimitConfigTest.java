package io.hookline.ratelimit;

import io.hookline.testsupport.ConfigProblems;
import io.hookline.testsupport.UnitTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The start-up rules of the hookline.rate-limit.* keys (constraints on HooklineConfig.RateLimit). */
@UnitTest
class RateLimitConfigTest {

    @Test
    void the_defaults_and_a_fractional_rate_pass() {
        assertEquals(List.of(), ConfigProblems.of(Map.of()));
        assertEquals(
                List.of(),
                ConfigProblems.of(Map.of(
                        "hookline.rate-limit.requests-per-second", "0.5",
                        "hookline.rate-limit.burst", "1",
                        "hookline.rate-limit.max-tenants", "1")));
        assertEquals(
                0.5,
                ConfigProblems.valid(Map.of("hookline.rate-limit.requests-per-second", "0.5"))
                        .rateLimit()
                        .requestsPerSecond());
    }

    @Test
    void each_broken_rule_is_refused_naming_the_key() {
        assertRefused("burst", "0", "hookline.rate-limit.burst must be >= 1 (was 0)");
        assertRefused(
                "requests-per-second",
                "0",
                "hookline.rate-limit.requests-per-second must be > 0 and <= 1000000 (was 0.0)");
        assertRefused(
                "requests-per-second",
                "NaN",
                "hookline.rate-limit.requests-per-second must be > 0 and <= 1000000 (was NaN)");
        assertRefused(
                "requests-per-second",
                "2000000",
                "hookline.rate-limit.requests-per-second must be > 0 and <= 1000000 (was 2000000.0)");
        assertRefused("max-tenants", "0", "hookline.rate-limit.max-tenants must be >= 1 (was 0)");
    }

    private static void assertRefused(String key, String value, String problem) {
        assertEquals(List.of(problem), ConfigProblems.of(Map.of("hookline.rate-limit." + key, value)));
    }
}
