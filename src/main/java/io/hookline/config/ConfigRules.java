package io.hookline.config;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidationException.Problem;
import io.smallrye.config.ConfigValidator;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of every {@code hookline.*} key, checked while SmallRye Config builds {@link HooklineConfig} and
 * {@link PortalConfig}: the service does not start when a value breaks one, and the start-up error lists every broken
 * rule, one line per key, such as {@code hookline.dispatcher.batch-size must be between 1 and 1000 (was 5000)}. A rule
 * between two keys of a group names the group, then both keys: {@code hookline.delivery max-in-flight-per-webhook (32)
 * must not exceed max-in-flight (16)}.
 *
 * <p>Registered as a configuration customizer ({@code META-INF/services/io.smallrye.config.SmallRyeConfigBuilderCustomizer},
 * which Quarkus adds to the runtime configuration's builder), it is SmallRye Config's validator for the application's
 * mappings. It replaces Bean Validation constraints on the mapping interfaces: with one constraint on any mapping,
 * quarkus-hibernate-validator validates every configuration class of every extension (about 200) with a validator
 * built at start-up, which measured 0.55 s of a 2.6 s start on the 2-core benchmark machine (issue 12); these checks
 * take well under a millisecond. Request bodies keep their Bean Validation constraints ({@code io.hookline.contract}).
 */
public final class ConfigRules implements ConfigValidator, SmallRyeConfigBuilderCustomizer {
    static final String POSITIVE = "must be a positive duration such as 10s";
    static final String SCHEDULER = "must be at least 1s, the scheduler's resolution";
    static final Pattern HEADER_PREFIX = Pattern.compile("[A-Za-z0-9-]+");
    static final Pattern PRINTABLE = Pattern.compile("(?U)(?=.*\\S)\\P{Cntrl}+");
    static final Pattern PUBLIC_URL = Pattern.compile("https?://[^/?#\\s]+(/[^?#\\s]*)?");

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        builder.withValidator(this);
    }

    @Override
    public void validateMapping(Class<?> mappingClass, String prefix, Object mappingObject)
            throws ConfigValidationException {
        List<String> problems;
        if (mappingObject instanceof HooklineConfig config) {
            problems = problems(config);
        } else if (mappingObject instanceof PortalConfig portal) {
            problems = PortalConfigCheck.problems(portal);
        } else {
            return;
        }
        if (!problems.isEmpty()) {
            throw new ConfigValidationException(
                    problems.stream().map(Problem::new).toArray(Problem[]::new));
        }
    }

    /** Every rule {@code c} breaks, one line each; empty when all is well. */
    public static List<String> problems(HooklineConfig c) {
        Lines p = new Lines();
        p.named("hookline.tenant-claim", c.tenantClaim(), "must name a claim");
        p.named("hookline.platform-role", c.platformRole(), "must name a role");
        delivery(p, c.delivery());
        dispatcher(p, c.dispatcher());
        if (c.tokenCache().size() < 0) {
            p.add(
                    "hookline.token-cache.size",
                    "must not be negative",
                    c.tokenCache().size());
        }
        p.positive("hookline.token-cache.max-age", c.tokenCache().maxAge(), POSITIVE);
        p.between("hookline.events.max-payload-bytes", c.events().maxPayloadBytes(), 1024, 1_000_000);
        p.between("hookline.events.batch-max-items", c.events().batchMaxItems(), 1, 1000);
        ingest(p, c.ingest());
        Duration feedPoll = c.feed().pollInterval();
        if (feedPoll.compareTo(Duration.ofMillis(10)) < 0 || feedPoll.compareTo(Duration.ofSeconds(10)) > 0) {
            p.add("hookline.feed.poll-interval", "must be between 10ms and 10s", feedPoll);
        }
        HooklineConfig.TestSend t = c.testSend();
        p.atLeastOne("hookline.test-send.max-concurrent", t.maxConcurrent());
        p.atLeastOne("hookline.test-send.max-concurrent-per-tenant", t.maxConcurrentPerTenant());
        // a max-concurrent below 1 is reported on its own above
        if (t.maxConcurrentPerTenant() > Math.max(1, t.maxConcurrent())) {
            p.lines.add("hookline.test-send max-concurrent-per-tenant (" + t.maxConcurrentPerTenant()
                    + ") must not exceed max-concurrent (" + t.maxConcurrent() + ")");
        }
        retention(p, c.retention());
        HooklineConfig.RateLimit r = c.rateLimit();
        if (!(r.requestsPerSecond() > 0 && r.requestsPerSecond() <= 1_000_000)) {
            p.add("hookline.rate-limit.requests-per-second", "must be > 0 and <= 1000000", r.requestsPerSecond());
        }
        p.atLeastOne("hookline.rate-limit.burst", r.burst());
        p.atLeastOne("hookline.rate-limit.max-tenants", r.maxTenants());
        return p.lines;
    }

    private static void delivery(Lines p, HooklineConfig.Delivery d) {
        String k = "hookline.delivery.";
        p.positive(k + "timeout", d.timeout(), POSITIVE);
        List<Duration> schedule = d.retrySchedule();
        for (int i = 0; i < schedule.size(); i++) {
            p.notNegative(k + "retry-schedule[" + i + "]", schedule.get(i));
        }
        double jitter = d.retryJitter();
        if (!(jitter >= 0 && jitter < 1)) {
            p.add(k + "retry-jitter", "must be >= 0 and < 1", jitter);
        }
        if (!HEADER_PREFIX.matcher(d.headerPrefix()).matches()) {
            p.add(k + "header-prefix", "must be letters, digits and '-'", "'" + d.headerPrefix() + "'");
        }
        if (!PRINTABLE.matcher(d.userAgent()).matches()) {
            p.lines.add(k + "user-agent must be non-empty printable text");
        }
        p.atLeastOne(k + "max-in-flight", d.maxInFlight());
        d.maxConcurrencyPerWebhook().ifPresent(n -> p.atLeastOne(k + "max-concurrency-per-webhook", n));
        d.maxInFlightPerWebhook().ifPresent(n -> p.atLeastOne(k + "max-in-flight-per-webhook", n));
        p.atLeastOne(k + "initial-concurrency-per-webhook", d.initialConcurrencyPerWebhook());
        p.positive(k + "disable-after", d.disableAfter(), POSITIVE);
        if (d.disableAfterFailures() < 0) {
            p.add(k + "disable-after-failures", "must be >= 0, 0 meaning no count limit", d.disableAfterFailures());
        }
        if (d.maxConcurrencyPerWebhook().isPresent()
                && d.maxInFlightPerWebhook().isPresent()) {
            p.lines.add("hookline.delivery max-in-flight-per-webhook is deprecated and max-concurrency-per-webhook is"
                    + " set too: keep only max-concurrency-per-webhook");
        } else {
            String key =
                    d.maxInFlightPerWebhook().isPresent() ? "max-in-flight-per-webhook" : "max-concurrency-per-webhook";
            int ceiling = DeliveryLimits.ceiling(d);
            if (ceiling > d.maxInFlight()) {
                p.lines.add("hookline.delivery " + key + " (" + ceiling + ") must not exceed max-in-flight ("
                        + d.maxInFlight() + ")");
            }
        }
    }

    private static void dispatcher(Lines p, HooklineConfig.Dispatcher d) {
        String k = "hookline.dispatcher.";
        p.named(k + "admin-role", d.adminRole(), "must name a role");
        p.positive(k + "max-drain", d.maxDrain(), POSITIVE);
        p.atLeastOneSecond(k + "poll-interval", d.pollInterval(), SCHEDULER);
        p.between(k + "batch-size", d.batchSize(), 1, 1000);
        p.atLeastOneSecond(k + "lease-margin", d.leaseMargin(), "must be at least 1s");
        p.notNegative(k + "shutdown-grace", d.shutdownGrace());
    }

    private static void ingest(Lines p, HooklineConfig.Ingest i) {
        String k = "hookline.ingest.";
        Duration tolerance = i.tolerance();
        if (tolerance.compareTo(Duration.ofSeconds(1)) < 0 || tolerance.compareTo(Duration.ofDays(1)) > 0) {
            p.add(k + "tolerance", "must be between 1s and 1d", tolerance);
        }
        Optional<String> url = i.publicUrl();
        if (url.isPresent() && !PUBLIC_URL.matcher(url.get()).matches()) {
            p.add(k + "public-url", "must be an absolute http or https URL without query or fragment", url.get());
        }
        p.atLeastOneSecond(k + "sweep-interval", i.sweepInterval(), SCHEDULER);
        p.positive(k + "log-retention", i.logRetention(), "must be a positive duration");
    }

    private static void retention(Lines p, HooklineConfig.Retention r) {
        String k = "hookline.retention.";
        p.atLeastOneSecond(k + "interval", r.interval(), SCHEDULER);
        p.positive(k + "succeeded", r.succeeded(), POSITIVE);
        p.positive(k + "failed", r.failed(), POSITIVE);
        p.atLeastOne(k + "batch-size", r.batchSize());
        p.positive(k + "time-budget", r.timeBudget(), POSITIVE);
    }

    /** The lines of broken rules: "key rule (was value)". */
    private static final class Lines {
        final List<String> lines = new ArrayList<>();

        void add(String key, String rule, Object was) {
            lines.add(key + " " + rule + " (was " + was + ")");
        }

        void named(String key, String value, String rule) {
            if (value.isBlank()) {
                lines.add(key + " " + rule);
            }
        }

        void atLeastOne(String key, long value) {
            if (value < 1) {
                add(key, "must be >= 1", value);
            }
        }

        void between(String key, long value, long min, long max) {
            if (value < min || value > max) {
                add(key, "must be between " + min + " and " + max, value);
            }
        }

        void positive(String key, Duration value, String rule) {
            if (value.isNegative() || value.isZero()) {
                add(key, rule, value);
            }
        }

        void notNegative(String key, Duration value) {
            if (value.isNegative()) {
                add(key, "must not be negative", value);
            }
        }

        void atLeastOneSecond(String key, Duration value, String rule) {
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                add(key, rule, value);
            }
        }
    }
}
