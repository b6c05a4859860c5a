package io.hookline.ratelimit;

import io.github.bucket4j.TimeMeter;
import io.hookline.config.HooklineConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * This replica's rate limiter, built from {@code hookline.rate-limit.*} at start-up (so a broken key stops the
 * service before it serves). This class is threadsafe.
 */
@Startup
@ApplicationScoped
public class RateLimiter {
    @Inject
    HooklineConfig config;

    private TenantBuckets buckets;

    @PostConstruct
    void init() {
        HooklineConfig.RateLimit r = config.rateLimit();
        validate(r);
        buckets = r.enabled()
                ? new TenantBuckets(r.burst(), r.requestsPerSecond(), r.maxTenants(), TimeMeter.SYSTEM_NANOTIME)
                : null;
    }

    public boolean enabled() {
        return buckets != null;
    }

    /** Takes a request from the tenant's bucket; only when {@link #enabled()}. */
    public TenantBuckets.Take take(String tenant) {
        return buckets.take(tenant);
    }

    /** The rules of the rate-limit keys; the message names the key at fault. */
    static void validate(HooklineConfig.RateLimit r) {
        require(r.burst() >= 1, "hookline.rate-limit.burst must be >= 1, was " + r.burst());
        require(
                r.requestsPerSecond() > 0 && r.requestsPerSecond() <= 1_000_000,
                "hookline.rate-limit.requests-per-second must be > 0 and <= 1000000, was " + r.requestsPerSecond());
        require(r.maxTenants() >= 1, "hookline.rate-limit.max-tenants must be >= 1, was " + r.maxTenants());
    }

    private static void require(boolean rule, String message) {
        if (!rule) {
            throw new IllegalStateException(message);
        }
    }
}
