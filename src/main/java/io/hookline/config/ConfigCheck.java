package io.hookline.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks every hookline.* value at start-up and refuses to start with all the broken rules listed, each naming its
 * key (the master key is checked where the key ring is built, see {@link io.hookline.crypto.CryptoProducer}).
 */
@ApplicationScoped
public class ConfigCheck {
    private static final Pattern HEADER_TOKEN = Pattern.compile("[A-Za-z0-9-]+");
    /** The envelope around the data and the HTTP layer's own limit leave room for this much. */
    static final int MAX_PAYLOAD = 1_000_000;

    void check(@Observes StartupEvent event, HooklineConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Hookline cannot start, its configuration breaks these rules:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /** Every rule the configuration breaks, as "key: rule (was value)". Empty when all is well. */
    public static List<String> problems(HooklineConfig c) {
        List<String> p = new ArrayList<>();
        HooklineConfig.Delivery d = c.delivery();
        HooklineConfig.Dispatcher w = c.dispatcher();
        if (c.tenantClaim().isBlank()) {
            p.add("hookline.tenant-claim: must name a claim");
        }
        positive(p, "hookline.delivery.timeout", d.timeout());
        for (Duration delay : d.retrySchedule()) {
            if (delay.isNegative()) {
                p.add("hookline.delivery.retry-schedule: delays must not be negative (was " + delay + ")");
            }
        }
        if (!(d.retryJitter() >= 0 && d.retryJitter() < 1)) {
            p.add("hookline.delivery.retry-jitter: must be >= 0 and < 1 (was " + d.retryJitter() + ")");
        }
        if (!HEADER_TOKEN.matcher(d.headerPrefix()).matches()) {
            p.add("hookline.delivery.header-prefix: must be letters, digits and '-' (was '" + d.headerPrefix() + "')");
        }
        if (d.userAgent().isBlank() || d.userAgent().chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            p.add("hookline.delivery.user-agent: must be non-empty printable text");
        }
        if (d.maxInFlight() < 1) {
            p.add("hookline.delivery.max-in-flight: must be >= 1 (was " + d.maxInFlight() + ")");
        }
        if (d.maxInFlightPerWebhook() < 1 || d.maxInFlightPerWebhook() > d.maxInFlight()) {
            p.add("hookline.delivery.max-in-flight-per-webhook: must be between 1 and max-in-flight (was "
                    + d.maxInFlightPerWebhook() + ")");
        }
        positive(p, "hookline.delivery.disable-after", d.disableAfter());
        if (d.disableAfterFailures() < 0) {
            p.add("hookline.delivery.disable-after-failures: must be >= 0, 0 meaning no count limit (was "
                    + d.disableAfterFailures() + ")");
        }
        if (w.pollInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            p.add("hookline.dispatcher.poll-interval: must be at least 1s, the scheduler's resolution (was "
                    + w.pollInterval() + ")");
        }
        if (w.batchSize() < 1 || w.batchSize() > 1000) {
            p.add("hookline.dispatcher.batch-size: must be between 1 and 1000 (was " + w.batchSize() + ")");
        }
        if (w.leaseMargin().compareTo(Duration.ofSeconds(1)) < 0) {
            p.add("hookline.dispatcher.lease-margin: must be at least 1s (was " + w.leaseMargin() + ")");
        }
        if (w.shutdownGrace().isNegative()) {
            p.add("hookline.dispatcher.shutdown-grace: must not be negative (was " + w.shutdownGrace() + ")");
        }
        if (w.adminRole().isBlank()) {
            p.add("hookline.dispatcher.admin-role: must name a role");
        }
        positive(p, "hookline.dispatcher.max-drain", w.maxDrain());
        HooklineConfig.TestSend t = c.testSend();
        if (t.maxConcurrent() < 1) {
            p.add("hookline.test-send.max-concurrent: must be >= 1 (was " + t.maxConcurrent() + ")");
        }
        if (t.maxConcurrentPerTenant() < 1 || t.maxConcurrentPerTenant() > Math.max(1, t.maxConcurrent())) {
            p.add("hookline.test-send.max-concurrent-per-tenant: must be between 1 and max-concurrent (was "
                    + t.maxConcurrentPerTenant() + ")");
        }
        Duration feedPoll = c.feed().pollInterval();
        if (feedPoll.compareTo(Duration.ofMillis(10)) < 0 || feedPoll.compareTo(Duration.ofSeconds(10)) > 0) {
            p.add("hookline.feed.poll-interval: must be between 10ms and 10s (was " + feedPoll + ")");
        }
        int payload = c.events().maxPayloadBytes();
        if (payload < 1024 || payload > MAX_PAYLOAD) {
            p.add("hookline.events.max-payload-bytes: must be between 1024 and " + MAX_PAYLOAD + " (was " + payload
                    + ")");
        }
        return p;
    }

    private static void positive(List<String> p, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            p.add(key + ": must be a positive duration such as 10s (was " + value + ")");
        }
    }
}
