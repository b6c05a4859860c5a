package io.hookline.retention;

import io.hookline.testsupport.ConfigProblems;
import io.hookline.testsupport.UnitTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The start-up rules of the hookline.retention.* keys (constraints on HooklineConfig.Retention). */
@UnitTest
class RetentionConfigTest {

    @Test
    void the_defaults_pass() {
        assertEquals(List.of(), ConfigProblems.of(Map.of()));
        assertEquals(
                Duration.ofDays(90), ConfigProblems.valid(Map.of()).retention().failed());
    }

    @Test
    void an_interval_below_one_second_is_refused_naming_the_key() {
        assertEquals(
                List.of("hookline.retention.interval must be at least 1s, the scheduler's resolution (was PT0.5S)"),
                ConfigProblems.of(Map.of("hookline.retention.interval", "500ms")));
    }

    @Test
    void zero_ages_batch_sizes_and_budgets_are_refused_naming_the_key() {
        assertRefused("succeeded", "0s", "hookline.retention.succeeded must be a positive duration");
        assertRefused("failed", "-1d", "hookline.retention.failed must be a positive duration");
        assertRefused("batch-size", "0", "hookline.retention.batch-size must be >= 1 (was 0)");
        assertRefused("time-budget", "0s", "hookline.retention.time-budget must be a positive duration");
    }

    private static void assertRefused(String key, String value, String rule) {
        List<String> problems = ConfigProblems.of(Map.of("hookline.retention." + key, value));
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(
                rule,
                problems.get(0)
                        .substring(0, Math.min(rule.length(), problems.get(0).length())),
                problems.get(0));
    }
}
