package io.hookline.service;

import io.hookline.contract.ProblemException;
import io.hookline.testsupport.UnitTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounds of test sends, per tenant and per replica, without a server. */
@UnitTest
class TestSendLimitsTest {
    final TestSendLimits limits = new TestSendLimits(5, 3, Duration.ofMillis(2500));

    @Test
    void a_tenant_gets_its_bound_then_429_with_the_delivery_timeout_rounded_up_as_retry_after() {
        for (int i = 0; i < 3; i++) {
            limits.acquire("a");
        }
        ProblemException refused = assertThrows(ProblemException.class, () -> limits.acquire("a"));
        assertEquals(429, refused.status());
        assertEquals("3", refused.headers().get("Retry-After"));
        assertTrue(
                refused.getMessage().startsWith("this tenant already has 3 test sends in progress"),
                refused.getMessage());
        limits.acquire("b");
        assertEquals(4, limits.inProgress());
    }

    @Test
    void the_replica_bound_holds_over_all_tenants() {
        limits.acquire("a");
        limits.acquire("a");
        limits.acquire("b");
        limits.acquire("b");
        limits.acquire("c");
        ProblemException refused = assertThrows(ProblemException.class, () -> limits.acquire("d"));
        assertEquals(429, refused.status());
        assertTrue(
                refused.getMessage().startsWith("this server already has 5 test sends in progress"),
                refused.getMessage());
    }

    @Test
    void a_released_permit_frees_its_slot_once_however_often_it_is_released() {
        List<TestSendLimits.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            permits.add(limits.acquire("a"));
        }
        permits.get(0).release();
        permits.get(0).release();
        assertEquals(2, limits.inProgress());
        limits.acquire("a");
        assertThrows(ProblemException.class, () -> limits.acquire("a"));
        permits.forEach(TestSendLimits.Permit::release);
        assertEquals(1, limits.inProgress());
    }

    @Test
    void bounds_that_cannot_hold_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> new TestSendLimits(0, 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new TestSendLimits(4, 5, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new TestSendLimits(4, 0, Duration.ofSeconds(1)));
    }
}
