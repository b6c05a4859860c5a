package io.hookline.ratelimit;

import io.github.bucket4j.TimeMeter;
import io.hookline.config.HooklineConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * This replica's rate limiter, built from {@code hookline.rate-limit.*} at start-up (the keys' rules are constraints
 * on {@link HooklineConfig.RateLimit}, checked before any bean is built). This class is threadsafe.
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

    /**
     * Takes the rest of a batch request's cost, all of it or none, after the one token {@link RateLimitFilter} took
     * for the request: {@code events - 1} tokens, so that a batch of n events costs what n single publishes cost. A
     * batch larger than the burst costs the whole burst (else it could never pass). Only when {@link #enabled()}.
     */
    public TenantBuckets.Take takeRestOfBatch(String tenant, int events) {
        long rest = Math.min(events - 1L, config.rateLimit().burst() - 1L);
        return rest < 1 ? null : buckets.take(tenant, rest);
    }
}
