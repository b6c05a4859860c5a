package io.hookline.config;

import io.hookline.testsupport.ConfigProblems;
import io.hookline.testsupport.UnitTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rules of the hookline.* keys, as start-up applies them: every broken rule is one line naming its key, the rule
 * and the value, and the service does not start. (The rate-limit and retention keys: RateLimitConfigTest and
 * RetentionConfigTest.)
 */
@UnitTest
class HooklineConfigTest {

    @Test
    void the_defaults_are_valid() {
        assertEquals(List.of(), ConfigProblems.of(Map.of()));
        HooklineConfig config = ConfigProblems.valid(Map.of());
        assertEquals(Duration.ofSeconds(10), config.delivery().timeout());
        assertEquals(100, config.dispatcher().batchSize());
    }

    @Test
    void every_broken_rule_is_reported_with_its_key_the_rule_and_the_value() {
        assertEquals(
                List.of(
                        "hookline.delivery max-in-flight-per-webhook (8) must not exceed max-in-flight (4)",
                        "hookline.delivery.header-prefix must be letters, digits and '-' (was 'X Bad')",
                        "hookline.delivery.retry-jitter must be >= 0 and < 1 (was 1.5)",
                        "hookline.delivery.timeout must be a positive duration such as 10s (was PT0S)",
                        "hookline.dispatcher.batch-size must be between 1 and 1000 (was 0)",
                        "hookline.dispatcher.poll-interval must be at least 1s, the scheduler's resolution (was PT0.1S)",
                        "hookline.events.max-payload-bytes must be between 1024 and 1000000 (was 10)"),
                ConfigProblems.of(Map.of(
                        "hookline.delivery.timeout", "0s",
                        "hookline.delivery.retry-jitter", "1.5",
                        "hookline.delivery.header-prefix", "X Bad",
                        "hookline.delivery.max-in-flight", "4",
                        "hookline.delivery.max-in-flight-per-webhook", "8",
                        "hookline.dispatcher.poll-interval", "100ms",
                        "hookline.dispatcher.batch-size", "0",
                        "hookline.events.max-payload-bytes", "10")));
    }

    @Test
    void a_value_breaking_a_rule_from_either_side_gets_one_line() {
        assertEquals(
                List.of("hookline.dispatcher.batch-size must be between 1 and 1000 (was 5000)"),
                ConfigProblems.of(Map.of("hookline.dispatcher.batch-size", "5000")));
        assertEquals(
                List.of("hookline.delivery.retry-jitter must be >= 0 and < 1 (was -0.1)"),
                ConfigProblems.of(Map.of("hookline.delivery.retry-jitter", "-0.1")));
        assertEquals(
                List.of("hookline.delivery.retry-jitter must be >= 0 and < 1 (was NaN)"),
                ConfigProblems.of(Map.of("hookline.delivery.retry-jitter", "NaN")));
    }

    @Test
    void a_negative_retry_delay_is_named_by_its_position_in_the_schedule() {
        assertEquals(
                List.of("hookline.delivery.retry-schedule[1] must not be negative (was PT-5S)"),
                ConfigProblems.of(Map.of("hookline.delivery.retry-schedule", "5s,-5s,0s")));
    }

    @Test
    void names_and_texts_must_be_present_and_printable() {
        assertEquals(
                List.of(
                        "hookline.delivery.user-agent must be non-empty printable text",
                        "hookline.dispatcher.admin-role must name a role",
                        "hookline.tenant-claim must name a claim"),
                ConfigProblems.of(Map.of(
                        "hookline.tenant-claim", " ",
                        "hookline.dispatcher.admin-role", " ",
                        "hookline.delivery.user-agent", "Hookline\t1")));
        assertEquals(
                List.of("hookline.delivery.user-agent must be non-empty printable text"),
                ConfigProblems.of(Map.of("hookline.delivery.user-agent", "   ")));
        assertEquals(List.of(), ConfigProblems.of(Map.of("hookline.delivery.user-agent", "Acme Hooks/2.0 (ünïcode)")));
    }

    @Test
    void durations_that_must_be_positive_or_at_least_a_second_name_their_key() {
        assertEquals(
                List.of(
                        "hookline.delivery.disable-after must be a positive duration such as 10s (was PT-1S)",
                        "hookline.dispatcher.lease-margin must be at least 1s (was PT0.5S)",
                        "hookline.dispatcher.max-drain must be a positive duration such as 10s (was PT0S)",
                        "hookline.dispatcher.shutdown-grace must not be negative (was PT-1S)"),
                ConfigProblems.of(Map.of(
                        "hookline.delivery.disable-after", "-1s",
                        "hookline.dispatcher.lease-margin", "500ms",
                        "hookline.dispatcher.max-drain", "0s",
                        "hookline.dispatcher.shutdown-grace", "-1s")));
        assertEquals(List.of(), ConfigProblems.of(Map.of("hookline.dispatcher.shutdown-grace", "0s")));
    }

    @Test
    void counts_have_lower_bounds() {
        assertEquals(
                List.of(
                        "hookline.delivery.disable-after-failures must be >= 0, 0 meaning no count limit (was -1)",
                        "hookline.delivery.max-in-flight must be >= 1 (was 0)",
                        "hookline.delivery.max-in-flight-per-webhook must be >= 1 (was 0)"),
                ConfigProblems.of(Map.of(
                        "hookline.delivery.disable-after-failures", "-1",
                        "hookline.delivery.max-in-flight", "0",
                        "hookline.delivery.max-in-flight-per-webhook", "0")));
    }

    @Test
    void test_send_bounds_must_be_positive_and_the_tenant_bound_within_the_replica_bound() {
        assertEquals(
                List.of("hookline.test-send max-concurrent-per-tenant (9) must not exceed max-concurrent (8)"),
                ConfigProblems.of(Map.of(
                        "hookline.test-send.max-concurrent",
                        "8",
                        "hookline.test-send.max-concurrent-per-tenant",
                        "9")));
        assertEquals(
                List.of(
                        "hookline.test-send.max-concurrent must be >= 1 (was 0)",
                        "hookline.test-send.max-concurrent-per-tenant must be >= 1 (was 0)"),
                ConfigProblems.of(Map.of(
                        "hookline.test-send.max-concurrent",
                        "0",
                        "hookline.test-send.max-concurrent-per-tenant",
                        "0")));
    }

    @Test
    void the_token_cache_may_be_off_but_not_negative_and_its_entries_must_live_a_while() {
        assertEquals(List.of(), ConfigProblems.of(Map.of("hookline.token-cache.size", "0")));
        assertEquals(
                List.of(
                        "hookline.token-cache.max-age must be a positive duration such as 10s (was PT0S)",
                        "hookline.token-cache.size must not be negative (was -1)"),
                ConfigProblems.of(Map.of("hookline.token-cache.size", "-1", "hookline.token-cache.max-age", "0s")));
    }
}
