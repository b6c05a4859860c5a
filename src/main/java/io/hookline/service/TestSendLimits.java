package io.hookline.service;

import io.hookline.contract.ProblemException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the test sends in progress on this replica: at most {@code maxPerTenant} for one tenant and
 * {@code maxTotal} in all ({@code hookline.test-send.*}). A send over a bound is refused at once with a 429 problem,
 * never queued, so a flood costs the replica nothing but the refusals. {@code Retry-After} is the delivery timeout:
 * every send in progress ends within it, so a slot is free by then.
 * <p>
 * A tenant's count is dropped when it reaches 0, so at most {@code maxTotal} tenants are held. Test sends are rare
 * next to deliveries, so one lock around two counters is all the concurrency control needed. This class is threadsafe.
 */
public class TestSendLimits {
    private final int maxTotal;
    private final int maxPerTenant;
    private final long retryAfterSeconds;
    private final Map<String, Integer> inProgress = new HashMap<>();
    private int total;

    public TestSendLimits(int maxTotal, int maxPerTenant, Duration deliveryTimeout) {
        if (maxTotal < 1 || maxPerTenant < 1 || maxPerTenant > maxTotal) {
            throw new IllegalArgumentException(
                    "need 1 <= maxPerTenant <= maxTotal (were " + maxPerTenant + ", " + maxTotal + ")");
        }
        this.maxTotal = maxTotal;
        this.maxPerTenant = maxPerTenant;
        // rounded up: a client retrying after the whole seconds given must find the slot free
        this.retryAfterSeconds = Math.max(1, (deliveryTimeout.toMillis() + 999) / 1000);
    }

    /**
     * Takes a slot for one test send of {@code tenant}; release it when the send is recorded.
     *
     * @throws ProblemException 429 with {@code Retry-After} when the tenant or the replica is at its bound
     */
    public synchronized Permit acquire(String tenant) {
        int mine = inProgress.getOrDefault(tenant, 0);
        if (mine >= maxPerTenant) {
            throw ProblemException.tooManyRequests(
                    "this tenant already has " + mine + " test sends in progress, the"
                            + " most allowed at once; retry in " + retryAfterSeconds + " s",
                    retryAfterSeconds);
        }
        if (total >= maxTotal) {
            throw ProblemException.tooManyRequests(
                    "this server already has " + total + " test sends in progress, the"
                            + " most allowed at once; retry in " + retryAfterSeconds + " s",
                    retryAfterSeconds);
        }
        inProgress.put(tenant, mine + 1);
        total++;
        return new Permit(tenant);
    }

    /** Test sends in progress, over all tenants. */
    public synchronized int inProgress() {
        return total;
    }

    private synchronized void release(String tenant) {
        inProgress.computeIfPresent(tenant, (t, n) -> n > 1 ? n - 1 : null);
        total--;
    }

    /** One test send's slot. Releasing it more than once has no further effect. */
    public final class Permit {
        private final String tenant;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(String tenant) {
            this.tenant = tenant;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                TestSendLimits.this.release(tenant);
            }
        }
    }
}
