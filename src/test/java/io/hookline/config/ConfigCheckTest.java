package io.hookline.config;

import io.hookline.testsupport.UnitTest;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up check of every hookline.* key, on configurations built the way Quarkus builds them. */
@UnitTest
class ConfigCheckTest {

    private static List<String> problems(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(HooklineConfig.class)
                .withDefaultValues(values)
                .build();
        return ConfigCheck.problems(config.getConfigMapping(HooklineConfig.class));
    }

    @Test
    void the_defaults_are_valid() {
        assertEquals(List.of(), problems(Map.of()));
    }

    @Test
    void every_broken_rule_is_reported_with_its_key() {
        List<String> problems = problems(Map.of(
                "hookline.delivery.timeout", "0s",
                "hookline.delivery.retry-jitter", "1.5",
                "hookline.delivery.header-prefix", "X Bad",
                "hookline.delivery.max-in-flight", "4",
                "hookline.delivery.max-in-flight-per-webhook", "8",
                "hookline.dispatcher.poll-interval", "100ms",
                "hookline.dispatcher.batch-size", "0",
                "hookline.events.max-payload-bytes", "10"));
        assertEquals(7, problems.size(), String.join("\n", problems));
        for (String key : List.of(
                "hookline.delivery.timeout",
                "hookline.delivery.retry-jitter",
                "hookline.delivery.header-prefix",
                "hookline.delivery.max-in-flight-per-webhook",
                "hookline.dispatcher.poll-interval",
                "hookline.dispatcher.batch-size",
                "hookline.events.max-payload-bytes")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(key + ":")), key + " not reported: " + problems);
        }
    }

    @Test
    void the_per_webhook_ceiling_defaults_to_128_and_the_deprecated_key_still_sets_it() {
        HooklineConfig.Delivery defaults = delivery(Map.of());
        assertEquals(128, DeliveryLimits.ceiling(defaults));
        assertEquals(16, DeliveryLimits.initial(defaults));
        HooklineConfig.Delivery old = delivery(Map.of("hookline.delivery.max-in-flight-per-webhook", "8"));
        assertEquals(8, DeliveryLimits.ceiling(old), "an existing configuration keeps its per-webhook maximum");
        assertEquals(8, DeliveryLimits.initial(old), "and starts there, never above it");
        assertEquals(
                List.of("hookline.delivery.max-in-flight-per-webhook: deprecated, and max-concurrency-per-webhook is "
                        + "set too; keep only max-concurrency-per-webhook"),
                problems(Map.of(
                        "hookline.delivery.max-in-flight-per-webhook",
                        "8",
                        "hookline.delivery.max-concurrency-per-webhook",
                        "64")));
        assertEquals(
                List.of("hookline.delivery.max-concurrency-per-webhook: must be between 1 and max-in-flight (was 300)"),
                problems(Map.of("hookline.delivery.max-concurrency-per-webhook", "300")));
        assertEquals(
                List.of("hookline.delivery.initial-concurrency-per-webhook: must be >= 1 (was 0)"),
                problems(Map.of("hookline.delivery.initial-concurrency-per-webhook", "0")));
    }

    private static HooklineConfig.Delivery delivery(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(HooklineConfig.class)
                .withDefaultValues(values)
                .build()
                .getConfigMapping(HooklineConfig.class)
                .delivery();
    }

    @Test
    void test_send_bounds_must_be_positive_and_the_tenant_bound_within_the_replica_bound() {
        assertEquals(
                List.of("hookline.test-send.max-concurrent-per-tenant: must be between 1 and max-concurrent (was 9)"),
                problems(Map.of(
                        "hookline.test-send.max-concurrent",
                        "8",
                        "hookline.test-send.max-concurrent-per-tenant",
                        "9")));
        List<String> zero = problems(
                Map.of("hookline.test-send.max-concurrent", "0", "hookline.test-send.max-concurrent-per-tenant", "0"));
        assertEquals(2, zero.size(), String.join("\n", zero));
        assertTrue(zero.get(0).startsWith("hookline.test-send.max-concurrent: must be >= 1"), zero.get(0));
    }
}
