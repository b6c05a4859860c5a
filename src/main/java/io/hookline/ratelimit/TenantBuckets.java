package io.hookline.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One token bucket per tenant, in this replica's memory: {@code capacity} tokens, refilled smoothly at
 * {@code perSecond}; every request takes one. N replicas therefore allow a tenant N times the rate.
 * <p>
 * At most {@code maxTenants} buckets are kept, least recently used dropped first. A bucket left alone for
 * capacity / rate seconds (2 s with the defaults) is full, and a dropped bucket comes back full, so dropping idle
 * tenants changes nothing; only when more than {@code maxTenants} tenants are active within that time does a dropped
 * tenant get a few requests more than its limit. 10,000 buckets take about 2 MB. This class is threadsafe.
 */
public final class TenantBuckets {

    /** The outcome of one request: whether it may proceed, and what the rate-limit headers say. */
    public record Take(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

    private final long capacity;
    private final Duration timeToFill;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets;

    public TenantBuckets(long capacity, double perSecond, int maxTenants, TimeMeter time) {
        if (capacity < 1 || !(perSecond > 0) || maxTenants < 1) {
            throw new IllegalArgumentException("capacity >= 1, perSecond > 0 and maxTenants >= 1 are required");
        }
        this.capacity = capacity;
        // "capacity tokens per time-to-fill", refilled greedily (a token at a time), is the same rate as perSecond
        // and stays exact for fractional rates such as 0.5/s
        this.timeToFill = Duration.ofNanos(Math.max(1, Math.round(capacity * 1e9 / perSecond)));
        this.time = time;
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxTenants;
            }
        };
    }

    /** Takes a token from the tenant's bucket, if it has one. */
    public Take take(String tenant) {
        return take(tenant, 1);
    }

    /**
     * Takes {@code tokens} tokens (at least 1, at most the capacity) from the tenant's bucket, all of them or none: a
     * batch request counts one token per event.
     */
    public Take take(String tenant, long tokens) {
        if (tokens < 1 || tokens > capacity) {
            throw new IllegalArgumentException("tokens must be between 1 and the capacity " + capacity);
        }
        Bucket bucket;
        synchronized (buckets) {
            bucket = buckets.computeIfAbsent(tenant, t -> newBucket());
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(tokens);
        long retryAfter = probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill()));
        return new Take(
                probe.isConsumed(),
                capacity,
                probe.getRemainingTokens(),
                seconds(probe.getNanosToWaitForReset()),
                retryAfter);
    }

    /** Buckets held now. */
    public int size() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, timeToFill))
                .withCustomTimePrecision(time)
                .build();
    }

    /** Whole seconds, rounded up: a client that waits that long finds what was promised. */
    private static long seconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999) / 1_000_000_000;
    }
}
