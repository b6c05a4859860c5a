package io.hookline.ratelimit;

import io.github.bucket4j.TimeMeter;
import io.hookline.ratelimit.TenantBuckets.Take;
import io.hookline.testsupport.UnitTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token buckets per tenant on a clock the test moves. */
@UnitTest
class TenantBucketsTest {

    /** A clock that only moves when told to. */
    static final class ManualTime implements TimeMeter {
        long nanos = 1_000_000_000L;

        void advance(Duration d) {
            nanos += d.toNanos();
        }

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    final ManualTime time = new ManualTime();

    @Test
    void a_tenant_gets_its_burst_then_one_request_per_refill() {
        TenantBuckets buckets = new TenantBuckets(3, 1, 100, time);

        assertEquals(new Take(true, 3, 2, 1, 0), buckets.take("a"));
        assertEquals(new Take(true, 3, 1, 2, 0), buckets.take("a"));
        assertEquals(new Take(true, 3, 0, 3, 0), buckets.take("a"));
        Take refused = buckets.take("a");
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertEquals(1, refused.retryAfterSeconds());
        assertEquals(3, refused.resetSeconds());

        time.advance(Duration.ofMillis(999));
        assertFalse(buckets.take("a").allowed(), "a token takes a whole second at 1/s");
        time.advance(Duration.ofMillis(1));
        assertEquals(new Take(true, 3, 0, 3, 0), buckets.take("a"));

        time.advance(Duration.ofSeconds(10));
        assertEquals(new Take(true, 3, 2, 1, 0), buckets.take("a"), "a bucket refills up to its capacity, no more");
    }

    @Test
    void a_fractional_rate_asks_for_a_longer_wait_rounded_up() {
        TenantBuckets buckets = new TenantBuckets(1, 0.4, 100, time);

        assertTrue(buckets.take("a").allowed());
        Take refused = buckets.take("a");
        assertFalse(refused.allowed());
        assertEquals(3, refused.retryAfterSeconds(), "2.5 s until the next token, said as 3");
        time.advance(Duration.ofMillis(2500));
        assertTrue(buckets.take("a").allowed());
    }

    @Test
    void tenants_do_not_share_a_bucket() {
        TenantBuckets buckets = new TenantBuckets(1, 1, 100, time);

        assertTrue(buckets.take("a").allowed());
        assertFalse(buckets.take("a").allowed());
        assertEquals(new Take(true, 1, 0, 1, 0), buckets.take("b"));
    }

    @Test
    void beyond_max_tenants_the_least_recently_used_bucket_is_dropped() {
        TenantBuckets buckets = new TenantBuckets(1, 1, 2, time);

        assertTrue(buckets.take("a").allowed());
        assertTrue(buckets.take("b").allowed());
        assertFalse(buckets.take("a").allowed(), "a is now the most recently used");
        assertTrue(buckets.take("c").allowed());

        assertEquals(2, buckets.size());
        assertFalse(buckets.take("a").allowed(), "a kept its empty bucket");
        assertTrue(buckets.take("b").allowed(), "b's bucket was dropped and comes back full");
    }
}
