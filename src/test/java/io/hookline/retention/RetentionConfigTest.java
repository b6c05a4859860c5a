package io.hookline.retention;

import io.hookline.config.HooklineConfig;
import io.hookline.testsupport.UnitTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The start-up rules of the hookline.retention.* keys. */
@UnitTest
class RetentionConfigTest {

    record Keys(
            boolean enabled, Duration interval, Duration succeeded, Duration failed, int batchSize, Duration timeBudget)
            implements HooklineConfig.Retention {}

    static final Keys DEFAULTS =
            new Keys(true, Duration.ofHours(1), Duration.ofDays(30), Duration.ofDays(90), 1000, Duration.ofMinutes(5));

    @Test
    void the_defaults_pass() {
        assertDoesNotThrow(() -> RetentionJob.validate(DEFAULTS));
    }

    @Test
    void an_interval_below_one_second_is_refused_naming_the_key() {
        Keys keys = new Keys(
                true, Duration.ofMillis(500), DEFAULTS.succeeded(), DEFAULTS.failed(), 1000, DEFAULTS.timeBudget());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RetentionJob.validate(keys));
        assertEquals(
                "hookline.retention.interval must be at least 1s (the scheduler's resolution), was PT0.5S",
                e.getMessage());
    }

    @Test
    void zero_ages_batch_sizes_and_budgets_are_refused_naming_the_key() {
        assertRefused(
                new Keys(true, DEFAULTS.interval(), Duration.ZERO, DEFAULTS.failed(), 1000, DEFAULTS.timeBudget()),
                "hookline.retention.succeeded must be > 0");
        assertRefused(
                new Keys(
                        true,
                        DEFAULTS.interval(),
                        DEFAULTS.succeeded(),
                        Duration.ofDays(-1),
                        1000,
                        DEFAULTS.timeBudget()),
                "hookline.retention.failed must be > 0");
        assertRefused(
                new Keys(true, DEFAULTS.interval(), DEFAULTS.succeeded(), DEFAULTS.failed(), 0, DEFAULTS.timeBudget()),
                "hookline.retention.batch-size must be >= 1");
        assertRefused(
                new Keys(true, DEFAULTS.interval(), DEFAULTS.succeeded(), DEFAULTS.failed(), 1000, Duration.ZERO),
                "hookline.retention.time-budget must be > 0");
    }

    private static void assertRefused(Keys keys, String rule) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RetentionJob.validate(keys));
        assertEquals(rule, e.getMessage().substring(0, rule.length()), e.getMessage());
    }
}
